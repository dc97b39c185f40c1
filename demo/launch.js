// Starts the whole demo — the leastdata endpoint on SQLite as a child process, then the
// workspace server — from a state directory (default .data/): signing and master keys
// (`keygen`), a provisioned tenant whose jwt_secret plays Zendesk's secure setting
// (tenant.json, mode 0600), and the SQLite database. Used by `npm start` (scripts/start →
// node demo/server.js → runDemo) and by the e2e test (launchDemo on free ports).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { SUBDOMAIN } from './zendesk/data.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const ENDPOINT_BIN = join(ROOT, 'build', 'native', 'server', 'leastdata-endpoint');
// The endpoint's OAuth client with Zendesk (a global client's identifier starts with zdg-).
const OAUTH_CLIENT_ID = 'zdg-leastdata-demo';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// The OAuth client secret the endpoint and the simulated Zendesk share, made once (0600).
function oauthClient(dataDir) {
  const file = join(dataDir, 'oauth-client.secret');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { id: OAUTH_CLIENT_ID, secret: readFileSync(file, 'utf8').trim(), file };
}

function runEndpointCommand(bin, args) {
  const result = spawnSync(bin, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run ${bin}: ${result.error.message}`);
  return result;
}

function commandError(result) {
  const line = result.stderr.split('\n').find((text) => text.startsWith('{"error"'));
  try {
    return JSON.parse(line).error;
  } catch {
    return { code: 'failed', message: result.stderr.trim() || `exit status ${result.status}` };
  }
}

/**
 * Keys and a provisioned tenant in `dataDir`, created when missing. A tenant that was
 * deleted (the demo's "Delete our data") is provisioned again, with a new secret.
 * @returns {{ db: string, keys: string, subdomain: string, jwtSecret: string }}
 */
export function ensureState({ dataDir, bin = ENDPOINT_BIN, subdomain = SUBDOMAIN, log = () => {} }) {
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: build it with scripts/build all (or cmake --build --preset native --target leastdata_endpoint)`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const keys = join(dataDir, 'keys');
  const db = `sqlite:${join(dataDir, 'leastdata.db')}`;
  const tenantFile = join(dataDir, 'tenant.json');
  if (!existsSync(keys)) {
    const result = runEndpointCommand(bin, ['keygen', '--keys', keys]);
    if (result.status !== 0) throw new Error(`keygen failed: ${commandError(result).message}`);
    log(`generated the endpoint's master and signing keys in ${keys}`);
  }
  // `tenant add` succeeds when the tenant does not exist (first run, or after a deletion)
  // and prints its secret once; otherwise the secret saved the first time is used.
  const added = runEndpointCommand(bin, ['tenant', 'add', subdomain, '--db', db, '--keys', keys]);
  if (added.status === 0) {
    const tenant = JSON.parse(added.stdout);
    writeFileSync(tenantFile, `${JSON.stringify(tenant)}\n`, { mode: 0o600 });
    chmodSync(tenantFile, 0o600);
    log(`provisioned tenant ${tenant.subdomain} (its jwt_secret is kept in ${tenantFile}, mode 0600)`);
    return { db, keys, subdomain, jwtSecret: tenant.jwt_secret };
  }
  const error = commandError(added);
  if (error.code !== 'conflict' || !existsSync(tenantFile)) {
    throw new Error(`tenant add ${subdomain} failed: ${error.message}` +
      (existsSync(tenantFile) ? '' : ` (no ${tenantFile}: remove ${dataDir} to start afresh)`));
  }
  const saved = JSON.parse(readFileSync(tenantFile, 'utf8'));
  return { db, keys, subdomain, jwtSecret: saved.jwt_secret };
}

/**
 * Starts `leastdata-endpoint serve` on a free loopback port.
 * @returns {Promise<{ origin: string, stop(): Promise<void> }>}
 */
export function startEndpoint({ bin = ENDPOINT_BIN, db, keys, listen = '127.0.0.1:0', args = [], onLog = () => {} }) {
  const child = spawn(bin, ['serve', '--db', db, '--keys', keys, '--listen', listen, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let started = false;
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      onLog(line);
      if (started) return;
      try {
        const event = JSON.parse(line);
        if (event.event === 'listening') {
          started = true;
          resolve({
            origin: `http://127.0.0.1:${event.port}`,
            pid: child.pid,
            stop: async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
              await exited;
              clearTimeout(timer);
            },
          });
        }
      } catch {
        // not a JSON log line
      }
    });
    child.once('error', reject);
    exited.then(({ code, signal }) => {
      if (!started) reject(new Error(`the endpoint exited before listening (${signal ?? `status ${code}`})`));
    });
  });
}

/**
 * The endpoint and the workspace server.
 * @param {{ port?: number, dataDir?: string, bin?: string, log?: (line: string) => void,
 *           endpointLog?: (line: string) => void, endpointArgs?: string[],
 *           zendesk?: Parameters<import('./server.js').createDemoServer>[0]['zendesk'],
 *           endpointFront?: (endpointOrigin: string) => Promise<{ origin: string, close(): Promise<void> }> }} [options]
 *   `zendesk` configures the simulated Zendesk (server.js); `endpointFront` puts a front the
 *   tests control between everything and the endpoint: the apps, Zendesk's OAuth redirect and
 *   the endpoint's public URL all use its origin.
 */
export async function launchDemo(options = {}) {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ?? join(ROOT, '.data');
  const state = ensureState({ dataDir, bin: options.bin, log });
  const client = oauthClient(dataDir);
  // The endpoint's address is fixed first: the simulated Zendesk registers its callback URL,
  // and the endpoint is told where that Zendesk and the app are.
  const endpointListen = `127.0.0.1:${await freePort()}`;
  const front = options.endpointFront ? await options.endpointFront(`http://${endpointListen}`) : undefined;
  const endpointOrigin = front?.origin ?? `http://${endpointListen}`;
  // Imported here, not at the top: `node demo/server.js` imports this module, and a
  // static import back would wait on server.js's own evaluation.
  const { createDemoServer } = await import('./server.js');
  const server = await createDemoServer({
    port: options.port ?? 0,
    endpointOrigin,
    subdomain: state.subdomain,
    tenantSecret: () => state.jwtSecret,
    oauthClient: client,
    zendesk: options.zendesk,
  });
  const endpointOptions = {
    bin: options.bin, db: state.db, keys: state.keys, onLog: options.endpointLog,
    listen: endpointListen,
    args: ['--identity', 'zendesk', '--zendesk-url', `http://localhost:${server.port}`, '--zendesk-oauth-client-id', client.id,
      '--zendesk-oauth-secret-file', client.file, '--public-url', endpointOrigin,
      '--app-origin', `${server.appOrigin},${server.gdprAppOrigin}`, ...(options.endpointArgs ?? [])],
  };
  let endpoint;
  try {
    endpoint = await startEndpoint(endpointOptions);
  } catch (error) {
    await server.close();
    await front?.close();
    throw error;
  }
  return {
    url: server.workspaceUrl,
    port: server.port,
    appOrigin: server.appOrigin,
    gdprAppOrigin: server.gdprAppOrigin,
    endpointOrigin,
    endpointPid: endpoint.pid,
    subdomain: state.subdomain,
    /** Stops the endpoint (the e2e test's "endpoint down"); startEndpoint() brings it back on the same address. */
    stopEndpoint: () => endpoint.stop(),
    startEndpoint: async () => {
      endpoint = await startEndpoint(endpointOptions);
    },
    db: state.db,
    // The simulated Zendesk's data, for tests: the generated account and the requesters.
    account: server.account,
    requesters: server.requesters,
    signInAs: server.signInAs,
    close: async () => {
      await server.close();
      await endpoint.stop();
      await front?.close();
    },
  };
}

/** `npm start`: runs until SIGINT/SIGTERM, then stops the server and the endpoint. */
export async function runDemo() {
  const port = process.env.PORT === undefined ? 4567 : Number(process.env.PORT);
  const dataDir = join(ROOT, '.data');
  const endpointLogFile = join(dataDir, 'endpoint.log');
  let logStream;
  const demo = await launchDemo({
    port,
    dataDir,
    log: (line) => console.log(`demo: ${line}`),
    endpointLog: (line) => {
      logStream ??= createWriteStream(endpointLogFile, { flags: 'a', mode: 0o600 });
      logStream.write(`${line}\n`);
    },
  });
  console.log(`demo: endpoint listening on ${demo.endpointOrigin} (SQLite ${join(dataDir, 'leastdata.db')}, log ${endpointLogFile})`);
  console.log(`demo: the sidebar app is served from ${demo.appOrigin}, the GDPR-cleanup nav bar app from ${demo.gdprAppOrigin} (origins of their own, as in Zendesk)`);
  console.log(`\n  leastdata demo: ${demo.url}`);
  console.log(`    the ticket and its sidebar app, as an agent:  ${demo.url}`);
  console.log(`    the app's admin page, as an admin:            ${demo.url}?as=admin&view=admin`);
  console.log(`    the GDPR-cleanup app, as an admin:            ${demo.url}?as=admin&view=gdpr-cleanup`);
  console.log('\n  Ctrl-C stops it.\n');
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ndemo: ${signal}: stopping the server and the endpoint`);
    await demo.close();
    logStream?.end();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
