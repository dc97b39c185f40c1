// Puts into each app folder's assets/ what the build makes and git does not keep twice: the
// package's browser files (assets/leastdata/, the .wasm beside its loader), the ZAF SDK bundle
// (assets/zaf_sdk.js) and the Zendesk Garden stylesheets the app's pages link
// (assets/garden/<component>.css). After it, each folder is what Zendesk accepts for upload.
// Run by `scripts/build package`; `node apps/tools/assemble.js` alone needs dist/ and
// build/zaf-sdk/zaf_sdk.js.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const SDK = join(ROOT, 'build', 'zaf-sdk', 'zaf_sdk.js');
// The Node entry points and the CLI do not run in an app's iframe.
const NOT_FOR_BROWSERS = new Set(['node.js', 'node.cjs', 'cli.js']);

/** The app folders: every directory of apps/ with a manifest.json. */
export function appFolders() {
  const apps = join(ROOT, 'apps');
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(apps, entry.name, 'manifest.json')))
    .map((entry) => join(apps, entry.name));
}

// The Garden components an app's HTML pages link as garden/<name>.css.
function gardenComponents(assets) {
  const names = new Set();
  for (const file of readdirSync(assets).filter((f) => f.endsWith('.html'))) {
    for (const [, name] of readFileSync(join(assets, file), 'utf8').matchAll(/href="garden\/([a-z]+)\.css"/g)) names.add(name);
  }
  return [...names];
}

export function assemble(folder) {
  for (const needed of [join(DIST, 'browser.js'), SDK]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run scripts/build package first`);
  }
  const assets = join(folder, 'assets');
  const packageDir = join(assets, 'leastdata');
  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir);
  for (const file of readdirSync(DIST)) {
    if ((file.endsWith('.js') || file.endsWith('.mjs') || file.endsWith('.wasm')) && !NOT_FOR_BROWSERS.has(file)) {
      copyFileSync(join(DIST, file), join(packageDir, file));
    }
  }
  copyFileSync(SDK, join(assets, 'zaf_sdk.js'));
  const garden = join(assets, 'garden');
  rmSync(garden, { recursive: true, force: true });
  mkdirSync(garden);
  for (const name of gardenComponents(assets)) {
    const css = join(ROOT, 'node_modules', '@zendeskgarden', `css-${name}`, 'dist', 'index.css');
    if (!existsSync(css)) throw new Error(`${css} is missing: add @zendeskgarden/css-${name} to devDependencies`);
    copyFileSync(css, join(garden, `${name}.css`));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const folder of appFolders()) {
    assemble(folder);
    console.log(`apps: assembled ${folder.slice(ROOT.length)}`);
  }
}
