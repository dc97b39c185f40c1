// The published package as its users get it: `npm pack`, installed into an empty
// project, then used from Node ESM and CommonJS, type-checked by tsc (ESM and CJS), and
// run as a CLI. Also: only dist/ ships, no runtime dependencies, and its size.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

let work;
let tarball;
let packed;

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'leastdata-package-'));
  // npm test has built dist/ already; --ignore-scripts keeps pack from rebuilding it.
  [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
  tarball = join(work, packed.filename);
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], work);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('only dist/, the README, the licence and package.json ship; no runtime dependencies', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const file of files) {
    assert.ok(/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(file), `unexpected file in the package: ${file}`);
  }
  for (const needed of ['dist/node.js', 'dist/node.cjs', 'dist/browser.js', 'dist/leastdata.wasm', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js']) {
    assert.ok(files.includes(needed), `missing ${needed}`);
  }
  const manifest = JSON.parse(readFileSync(join(work, 'node_modules/leastdata/package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.scripts.prepack, 'bash scripts/build package', 'npm pack builds what it ships');

  const installed = join(work, 'node_modules/leastdata/dist');
  const size = (name) => {
    const bytes = readFileSync(join(installed, name));
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const wasm = size('leastdata.wasm');
  const glue = size('leastdata.mjs');
  console.log(`# package: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked; ` +
    `wasm ${wasm.raw} raw / ${wasm.gzip} gzip; glue ${glue.raw} raw / ${glue.gzip} gzip`);
});

const check = `
  const ld = await load();
  const out = ld.compile({ version: 1, select: 'a' }).filter('{"a":12345678901234567890,"b":2}');
  if (out !== '{"a":12345678901234567890}') throw new Error(out);
  let code;
  try { ld.compile('{'); } catch (e) { code = e instanceof LeastDataError && e.code; }
  if (code !== 'invalid_policy') throw new Error(String(code));
  console.log('ok');
`;

test('Node ESM: import from the installed package', () => {
  writeFileSync(join(work, 'esm.mjs'), `import { load, LeastDataError } from 'leastdata';\n${check}`);
  assert.equal(run(process.execPath, ['esm.mjs'], work).trim(), 'ok');
});

test('Node CommonJS: require the installed package', () => {
  writeFileSync(join(work, 'cjs.cjs'), `const { load, LeastDataError } = require('leastdata');\n(async () => {${check}})();`);
  assert.equal(run(process.execPath, ['cjs.cjs'], work).trim(), 'ok');
});

test('the CLI runs from the installed package', () => {
  writeFileSync(join(work, 'policy.json'), JSON.stringify({ version: 1, resources: { ticket: 'id' } }));
  const out = run(join(work, 'node_modules/.bin/leastdata'), ['check-policy', 'policy.json'], work);
  assert.match(out, /^ticket\(id\),tickets\(id\),results\[result_type=ticket\]\(id\),next_page,/);
});

test('TypeScript: the declarations type-check ESM and CommonJS use, and reject misuse', () => {
  for (const file of ['usage.mts', 'usage.cts', 'misuse.mts']) copyFileSync(join(HERE, file), join(work, file));
  const options = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'false'];
  run(process.execPath, [TSC, ...options, 'usage.mts', 'usage.cts'], work);
  let failure = '';
  try {
    run(process.execPath, [TSC, ...options, 'misuse.mts'], work);
  } catch (error) {
    failure = String(error.stdout);
  }
  assert.match(failure, /misuse\.mts\(5,.*TS2322|misuse\.mts\(5,/, `tsc must reject version 2: ${failure}`);
  assert.match(failure, /misuse\.mts\(6,/, `tsc must reject filter(42): ${failure}`);
});
