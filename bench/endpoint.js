// The endpoint under load: GET /v1/settings/{app} (HS256 JWT verified on every request)
// and POST /v1/stats, on SQLite and on a throwaway PostgreSQL cluster, at fixed concurrency
// with wrk (closed loop: requests/s and latency percentiles) and at a fixed request rate
// with bench/fixed-rate.js (open loop: latency percentiles from each request's due time).
// The server runs with --rate-limit 0 (the per-tenant limit would otherwise answer 429)
// and without the test clock file (which it would re-read on every request).
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { binary, endpointContext, postgresBackend, requireBinary, signHS256, sqliteBackend } from '../tests/endpoint/helpers.js';
import { fixedRate } from './fixed-rate.js';

const WRK_SCRIPT = fileURLToPath(new URL('./wrk/request.lua', import.meta.url));
const TENANT = 'bench';
const SETTINGS = { settings: { theme: 'dark', fields: ['id', 'subject', 'status'], refresh_seconds: 30, sample_rate: 0.25 } };
const STATS = { app: 'sidebar', counters: { tickets_viewed: 1, fields_dropped: 42 } };

const BACKENDS = { sqlite: sqliteBackend, postgresql: postgresBackend };

/** Starts `serve` on a free port with no rate limit, no periodic sweep and the system clock. */
async function serve(backend, keys) {
  const env = { ...process.env };
  delete env.LEASTDATA_TEST_CLOCK_FILE;
  const child = spawn(binary, ['serve', '--db', backend.url, '--keys', keys, '--listen', '127.0.0.1:0',
    '--rate-limit', '0', '--sweep-interval', '0', '--identity', 'claims'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  // The server logs every request: keep draining, keep only the tail for error messages.
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-8192);
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 20_000);
    const onData = () => {
      const m = /"event":"listening"[^\n]*"port":(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    }),
  };
}

function jwt(secret, role) {
  const now = Math.floor(Date.now() / 1000);
  return signHS256({ iss: `${TENANT}.zendesk.com`, aud: 'leastdata', sub: role === 'admin' ? '9001' : '1001', role, iat: now, exp: now + 3600 }, secret);
}

// Asynchronous on purpose: the event loop must keep draining the server's log pipe, or the
// server blocks writing its request log once the pipe is full.
async function wrk(url, { method, path, token, body }, { threads, connections, seconds }) {
  const result = await promisify(execFile)('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', WRK_SCRIPT, url], {
    encoding: 'utf8',
    env: { ...process.env, LEASTDATA_WRK_METHOD: method, LEASTDATA_WRK_PATH: path, LEASTDATA_WRK_JWT: token, ...(body ? { LEASTDATA_WRK_BODY: body } : {}) },
  }).catch((error) => {
    throw new Error(`wrk failed (${error.code}): ${error.stderr}`);
  });
  const line = result.stdout.trim().split('\n').pop();
  const r = JSON.parse(line);
  const failures = Object.values(r.errors).reduce((a, b) => a + b, 0);
  if (r.errors.status > 0) throw new Error(`${method} ${path}: ${r.errors.status} responses ≥ 400 under wrk:\n${result.stdout}`);
  return {
    threads,
    connections,
    duration_s: r.duration_us / 1e6,
    requests: r.requests,
    requests_per_s: r.requests / (r.duration_us / 1e6),
    p50_ms: r.p50_us / 1000,
    p90_ms: r.p90_us / 1000,
    p99_ms: r.p99_us / 1000,
    max_ms: r.max_us / 1000,
    socket_errors: failures,
  };
}

async function expectOk(url, { method, path, token, body }) {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
}

/**
 * @param {{ backends: string[], wrk: { threads, connections, seconds }, rate: { rate, durationMs, warmupMs },
 *           log: (line: string) => void }} options
 */
export async function endpointBench({ backends, wrk: wrkOptions, rate, log }) {
  requireBinary();
  const rows = [];
  for (const name of backends) {
    const backend = await BACKENDS[name]();
    const ctx = endpointContext(backend);
    let server;
    try {
      const keygen = ctx.cli(['keygen', '--keys', ctx.keys], { withDb: false });
      if (keygen.status !== 0) throw new Error(`keygen failed: ${keygen.stderr}`);
      const tenant = ctx.cli(['tenant', 'add', TENANT]);
      if (tenant.status !== 0) throw new Error(`tenant add failed: ${tenant.stderr}`);
      const secret = tenant.json.jwt_secret;
      server = await serve(backend, ctx.keys);
      await expectOk(server.url, { method: 'PUT', path: '/v1/settings/sidebar', token: jwt(secret, 'admin'), body: JSON.stringify(SETTINGS) });
      const agent = jwt(secret, 'agent');
      const routes = {
        'GET settings': { method: 'GET', path: '/v1/settings/sidebar', token: agent },
        'POST stats': { method: 'POST', path: '/v1/stats', token: agent, body: JSON.stringify(STATS) },
      };
      for (const [route, req] of Object.entries(routes)) {
        await expectOk(server.url, req);
        log(`endpoint ${name} ${route}: wrk -t${wrkOptions.threads} -c${wrkOptions.connections} -d${wrkOptions.seconds}s`);
        const closed = await wrk(server.url, req, wrkOptions);
        log(`  ${closed.requests_per_s.toFixed(0)} req/s, p50 ${closed.p50_ms.toFixed(2)} ms, p99 ${closed.p99_ms.toFixed(2)} ms`);
        log(`endpoint ${name} ${route}: open loop at ${rate.rate} req/s for ${rate.durationMs / 1000} s`);
        const open = await fixedRate({
          url: server.url + req.path,
          method: req.method,
          headers: { authorization: `Bearer ${req.token}`, ...(req.body ? { 'content-type': 'application/json' } : {}) },
          body: req.body,
          ...rate,
        });
        if (open.non_2xx > 0 || open.errors > 0) {
          throw new Error(`${name} ${route} at ${rate.rate} req/s: ${open.non_2xx} non-2xx responses, ${open.errors} errors\n${server.log()}`);
        }
        log(`  achieved ${open.rate_achieved.toFixed(0)} req/s, p50 ${open.p50_ms.toFixed(2)} ms, p99 ${open.p99_ms.toFixed(2)} ms`);
        rows.push({ backend: name, route, fixed_concurrency: closed, fixed_rate: open });
      }
    } finally {
      await server?.stop();
      await ctx.close();
      await backend.stop();
    }
  }
  return { server_options: '--rate-limit 0 --sweep-interval 0 (default --threads 8)', rows };
}
