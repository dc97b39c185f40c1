#!/usr/bin/env node
// Bundles the real Zendesk App Framework SDK (npm `zendesk_app_framework_sdk`, CommonJS
// sources only) into one browser script defining the global `ZAFClient`, the way Zendesk
// serves zaf_sdk.min.js to apps: build/zaf-sdk/zaf_sdk.js, loaded with a <script> tag by
// the browser tests and the demo. Skips the work when the bundle is newer than its inputs.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const SDK_DIR = dirname(require.resolve('zendesk_app_framework_sdk/package.json'));
const OUTFILE = join(ROOT, 'build', 'zaf-sdk', 'zaf_sdk.js');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function newestInput() {
  const inputs = [fileURLToPath(import.meta.url), join(SDK_DIR, 'package.json'), ...filesUnder(join(SDK_DIR, 'lib'))];
  return Math.max(...inputs.map((file) => statSync(file).mtimeMs));
}

function upToDate() {
  try {
    return statSync(OUTFILE).mtimeMs >= newestInput();
  } catch {
    return false;
  }
}

if (upToDate()) {
  console.log(`bundle-zaf-sdk: ${OUTFILE} is up to date`);
} else {
  const { name, version, licenses } = JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8'));
  const license = licenses?.map((entry) => entry.type).join(', ') ?? 'see its package.json';
  mkdirSync(dirname(OUTFILE), { recursive: true });
  await build({
    entryPoints: [join(SDK_DIR, 'lib', 'index.js')],
    outfile: OUTFILE,
    bundle: true,
    format: 'iife',
    globalName: 'ZAFClient',
    platform: 'browser',
    target: 'es2017',
    minify: false,
    legalComments: 'inline',
    banner: { js: `/* ${name} ${version} (${license}), bundled by scripts/bundle-zaf-sdk.js: defines window.ZAFClient */` },
    logLevel: 'warning',
  });
  console.log(`bundle-zaf-sdk: wrote ${OUTFILE} from ${name} ${version}`);
}
