// The real `zcli apps:server` (@zendesk/zcli from npm, the local check Zendesk's tooling
// offers without Zendesk's servers) serves every app folder: /app.json describes the app as its
// manifest does, every asset answers 200 (the wasm as application/wasm), and nothing outside
// assets/ is served — not the manifest, the translations, nor zcli's own settings file.
// zcli reads development values of the app's parameters from zcli.apps.config.json; it is
// written into a copy of the folder, never into apps/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { appFolders, assemble } from '../../apps/tools/assemble.js';
import { LOCATIONS_WITH_ICONS } from './zendesk-catalog.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ZCLI = join(ROOT, 'node_modules', '.bin', 'zcli');

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name), base) : [relative(base, join(dir, entry.name)).split(sep).join('/')]);
}

async function serve(folder, port) {
  // No update check or telemetry: the test talks to 127.0.0.1 only.
  const env = { ...process.env, ZCLI_SKIP_NEW_VERSION_CHECK: 'true', ZCLI_DISABLE_TELEMETRY: 'true' };
  const child = spawn(ZCLI, ['apps:server', folder, '--bind', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zcli apps:server did not start:\n${log}`)), 60_000);
    const onData = (chunk) => {
      log += chunk;
      if (/Apps server is running/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`zcli apps:server exited with ${code}:\n${log}`));
    });
  });
  child.removeAllListeners('exit');
  return { stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

for (const source of appFolders()) {
  test(`zcli apps:server serves ${relative(ROOT, source)}: app.json as the manifest says, every asset, nothing else`, { timeout: 120_000 }, async () => {
    assemble(source);
    const work = mkdtempSync(join(tmpdir(), 'leastdata-zcli-'));
    const folder = join(work, 'app');
    cpSync(source, folder, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    const values = Object.fromEntries((manifest.parameters ?? []).map((p) => [p.name, p.type === 'url' ? 'https://leastdata.example.eu' : `dev-${p.name}`]));
    writeFileSync(join(folder, 'zcli.apps.config.json'), JSON.stringify({ parameters: values }));
    const port = await freePort();
    const server = await serve(folder, port);
    try {
      const app = await (await fetch(`http://127.0.0.1:${port}/app.json`)).json();
      assert.equal(app.apps.length, 1);
      const [described] = app.apps;
      assert.equal(described.name, manifest.name);
      assert.equal(described.version, manifest.version);
      assert.equal(described.framework_version, manifest.frameworkVersion);
      // zcli adds the icon of a location with a button when the folder has one (buildAppJSON.js:
      // assets/icon_<location>.svg, under <product>/ for a multi-product app; the same locations
      // as zendesk_apps_support's).
      const locations = structuredClone(manifest.location);
      const multiProduct = Object.keys(locations).length > 1;
      for (const [product, named] of Object.entries(locations)) {
        for (const [name, location] of Object.entries(named)) {
          const svg = `${multiProduct ? `${product}/` : ''}icon_${name}.svg`;
          if (LOCATIONS_WITH_ICONS[product]?.includes(name) && existsSync(join(folder, 'assets', svg))) location.svg = svg;
        }
      }
      assert.deepEqual(described.locations, locations);
      const prefix = new URL(described.asset_url_prefix).pathname;
      assert.match(prefix, /^\/[^/]+\/assets\/$/);
      const assets = files(join(folder, 'assets'));
      assert.ok(assets.includes('leastdata/leastdata.wasm') && assets.includes('iframe.html'));
      for (const asset of assets) {
        const r = await fetch(`http://127.0.0.1:${port}${prefix}${asset}`);
        assert.equal(r.status, 200, asset);
        if (asset.endsWith('.wasm')) assert.equal(r.headers.get('content-type'), 'application/wasm');
        await r.arrayBuffer();
      }
      const base = prefix.replace(/assets\/$/, '');
      for (const hidden of ['manifest.json', 'translations/en.json', 'zcli.apps.config.json', '.zcliignore', 'assets/%2e%2e/manifest.json']) {
        const r = await fetch(`http://127.0.0.1:${port}${base}${hidden}`);
        assert.equal(r.status, 404, hidden);
        assert.ok(!(await r.text()).includes('dev-shared_secret'), hidden);
      }
    } finally {
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
}
