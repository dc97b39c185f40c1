// Helpers for the black-box endpoint tests: the built binary, a throwaway SQLite file or
// PostgreSQL cluster (which can be stopped and started again), a started `serve` with a
// movable clock, tenants and JWTs signed with node:crypto, raw database access, raw HTTP over
// a socket, and an independent certificate verifier (Ed25519 over JCS).
import { spawn, execFile, execFileSync, spawnSync } from 'node:child_process';
import { createDecipheriv, createHmac, createSign, createPublicKey, generateKeyPairSync, hkdfSync, verify, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync, chownSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const binary = process.env.LEASTDATA_ENDPOINT_BIN ?? join(root, 'build', 'native', 'server', 'leastdata-endpoint');
const pgBin = process.env.LEASTDATA_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const DAY = 86400;

export function requireBinary() {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: cmake --preset native && cmake --build --preset native --target leastdata_endpoint`);
  }
}

export const unique = (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`;

// ---- ports ------------------------------------------------------------------------------

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---- databases --------------------------------------------------------------------------

// A SQLite file in a fresh temp dir, or in `dir` (removed by stop() all the same).
export function sqliteBackend({ dir = mkdtempSync(join(tmpdir(), 'leastdata-endpoint-sqlite-')) } = {}) {
  const file = join(dir, 'endpoint.sqlite');
  return {
    name: 'sqlite',
    file,
    url: `sqlite:${file}`,
    hex: (column) => `hex(${column})`,
    // Tab-separated rows of a query, read with the sqlite3 shell (WAL included).
    query(sql) {
      const out = execFileSync('sqlite3', ['-batch', '-noheader', '-separator', '\t', file, sql], { encoding: 'utf8' });
      return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    },
    // Every byte the database keeps on disk: the main file and its write-ahead log.
    async rawBytes() {
      return ['', '-wal', '-journal']
        .map((suffix) => file + suffix)
        .filter((f) => existsSync(f))
        .map((f) => ({ file: f, bytes: readFileSync(f) }));
    },
    // A backup as an operator takes it (sqlite3 .backup, online), and a database restored
    // from it: { file, bytes, url }.
    backup() {
      const copy = join(dir, `backup-${randomBytes(4).toString('hex')}.sqlite`);
      execFileSync('sqlite3', [file, `.backup '${copy}'`]);
      return { file: copy, bytes: readFileSync(copy), url: `sqlite:${copy}` };
    },
    restore(backup) {
      return backup.url;
    },
    async stop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, out);
    else if (st.isFile()) out.push(path);
  }
  return out;
}

// A throwaway PostgreSQL 15 cluster: initdb into a temp dir owned by postgres, started on a
// free port with its socket in that dir, one database; stopped and removed by stop().
// stopCluster() and startCluster() take it down and bring it back on the same port, without
// blocking the event loop (so load generated meanwhile keeps running).
export async function postgresBackend() {
  const dir = mkdtempSync(join(tmpdir(), 'leastdata-endpoint-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const asPostgres = (cmd, args, opts = {}) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(pgBin, cmd), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const startArgs = ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c full_page_writes=off`, 'start'];
  asPostgres('pg_ctl', startArgs);
  const pgCtl = (args) => promisify(execFile)('runuser', ['-u', 'postgres', '--', join(pgBin, 'pg_ctl'), ...args]);
  const psql = (sql, database = 'leastdata') =>
    execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port),
      '-U', 'postgres', '-d', database, '-c', sql], { encoding: 'utf8' });
  psql('CREATE DATABASE leastdata', 'postgres');
  return {
    name: 'postgresql',
    url: `postgresql://postgres@127.0.0.1:${port}/leastdata`,
    hex: (column) => `encode(${column}, 'hex')`,
    query(sql) {
      return psql(sql).split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    },
    // mode: 'fast' (sessions are terminated, as in a restart) or 'immediate' (as in a crash).
    async stopCluster(mode = 'fast') {
      await pgCtl(['-D', data, '-m', mode, '-w', 'stop']);
    },
    async startCluster() {
      await pgCtl(startArgs);
    },
    // Every file of the cluster (heap, indexes, WAL) after a checkpoint, plus a data dump.
    // Asynchronous: reading a cluster takes seconds, and an event loop blocked past the
    // server's idle timeout sends the next request on a connection the server has closed.
    async rawBytes() {
      const run = promisify(execFile);
      await run('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'leastdata', '-c', 'CHECKPOINT']);
      const files = [];
      for (const f of walk(data)) files.push({ file: f, bytes: await readFile(f) });
      const dump = await run(join(pgBin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '--data-only', 'leastdata'],
        { encoding: 'buffer', maxBuffer: 1 << 30 });
      files.push({ file: 'pg_dump', bytes: dump.stdout });
      return files;
    },
    // A plain-SQL pg_dump (greppable, as a backup file on disk is), and a new database of
    // the cluster restored from it.
    backup() {
      const file = join(dir, `backup-${randomBytes(4).toString('hex')}.sql`);
      execFileSync(join(pgBin, 'pg_dump'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Fp', '-f', file, 'leastdata']);
      return { file, bytes: readFileSync(file) };
    },
    restore(backup) {
      const name = `restored_${randomBytes(4).toString('hex')}`;
      psql(`CREATE DATABASE ${name}`, 'postgres');
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres',
        '-d', name, '-f', backup.file], { stdio: ['ignore', 'ignore', 'pipe'] });
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// Files (of rawBytes()) that contain `needle`.
// PRAGMA integrity_check and foreign_key_check ('ok' when both pass) on a copy of a SQLite
// file and its WAL as they are: the sqlite3 shell would checkpoint the WAL when it closes (a
// restarted endpoint must be the one to recover it), and a full disk has no room for it.
export function sqliteIntegrity(file) {
  const dir = mkdtempSync(join(tmpdir(), 'leastdata-integrity-'));
  try {
    copyFileSync(file, join(dir, 'db.sqlite'));
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, join(dir, 'db.sqlite-wal'));
    return execFileSync('sqlite3', [join(dir, 'db.sqlite'), 'PRAGMA integrity_check; PRAGMA foreign_key_check;'], { encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function filesContaining(files, needle) {
  const bytes = Buffer.from(needle, 'utf8');
  return files.filter(({ bytes: b }) => b.indexOf(bytes) !== -1).map(({ file }) => file);
}

// ---- the endpoint -----------------------------------------------------------------------

// A keys directory, a clock file, and CLI access; `serve()` starts instances on it.
export function endpointContext(backend) {
  const dir = mkdtempSync(join(tmpdir(), 'leastdata-endpoint-'));
  const keys = join(dir, 'keys');
  const clockFile = join(dir, 'clock');
  writeFileSync(clockFile, '0');
  const env = { ...process.env, LEASTDATA_TEST_CLOCK_FILE: clockFile };
  const instances = [];

  const ctx = {
    dir,
    keys,
    backend,
    clockFile,
    offsetSeconds: 0,
    // Moves the time of every process of this context (server and CLI).
    setOffset(seconds) {
      ctx.offsetSeconds = seconds;
      writeFileSync(clockFile, String(seconds));
    },
    nowSeconds() {
      return Math.floor(Date.now() / 1000) + ctx.offsetSeconds;
    },
    // Runs a subcommand; resolves { status, stdout, stderr, json }.
    cli(args, { withDb = true } = {}) {
      const full = withDb ? [...args, '--db', backend.url, '--keys', keys] : args;
      const r = spawnSync(binary, full, { env, encoding: 'utf8' });
      let json;
      try {
        json = JSON.parse(r.stdout);
      } catch {
        json = undefined;
      }
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
    },
    // Starts `serve`; resolves { port, url, logs(), stop() } once it listens.
    async serve(extra = [], { clockFile: ownClock, db = backend.url } = {}) {
      // Users and roles from the JWT claims unless a test asks for sign-in with Zendesk.
      const identity = extra.includes('--identity') ? [] : ['--identity', 'claims'];
      const args = ['serve', '--db', db, '--keys', keys, '--listen', '127.0.0.1:0', ...identity, ...extra];
      const child = spawn(binary, args, {
        env: ownClock ? { ...process.env, LEASTDATA_TEST_CLOCK_FILE: ownClock } : env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      const port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 20000);
        child.stderr.on('data', (chunk) => {
          log += chunk;
          const m = /"event":"listening"[^\n]*"port":(\d+)/.exec(log);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`serve exited with ${code}:\n${log}`));
        });
      });
      child.removeAllListeners('exit');
      const instance = {
        port,
        pid: child.pid,
        url: `http://127.0.0.1:${port}`,
        logs: () => log,
        alive: () => child.exitCode === null && child.signalCode === null,
        // Sends `signal` (e.g. SIGKILL) and resolves with the exit code or signal name.
        kill: (signal) =>
          new Promise((resolve) => {
            if (!instance.alive()) return resolve(child.signalCode ?? child.exitCode);
            child.once('exit', (code, sig) => resolve(sig ?? code));
            child.kill(signal);
          }),
        // SIGTERM, and SIGKILL if it has not exited after 5 s (a stuck server must not hang the suite).
        stop: () =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
            const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', (code) => {
              clearTimeout(killer);
              resolve(code);
            });
            child.kill('SIGTERM');
          }),
      };
      instances.push(instance);
      return instance;
    },
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ctx;
}

// A new tenant of `ctx` (CLI `tenant add`) with HS256 tokens for its agents and admins: a
// unique subdomain starting with `prefix`, or `prefix` itself with { exact: true }.
export function addTenant(ctx, prefix = 't', { exact = false } = {}) {
  const sub = exact ? prefix : unique(prefix);
  const r = ctx.cli(['tenant', 'add', sub]);
  if (r.status !== 0) throw new Error(`tenant add ${sub}: ${r.stderr}`);
  const secret = r.json.jwt_secret;
  const claims = (agent, role) => {
    const iat = ctx.nowSeconds();
    return { iss: `${sub}.zendesk.com`, aud: 'leastdata', sub: agent, iat, exp: iat + 3600, role };
  };
  return {
    sub,
    secret,
    token: (agent = '1001') => signHS256(claims(agent, 'agent'), secret),
    admin: (agent = '9001') => signHS256(claims(agent, 'admin'), secret),
  };
}

// The start-up every endpoint test shares: keys, then a tenant (addTenant's `prefix` and
// options; none with tenant: null), then a running `serve` with `serve` as its options (none
// with serve: null), on `backend` (a fresh SQLite file unless given).
export async function startEndpoint({ backend, tenant = 't', exact = false, serve = [] } = {}) {
  requireBinary();
  const ctx = endpointContext(backend ?? sqliteBackend());
  const keygen = ctx.cli(['keygen', '--keys', ctx.keys], { withDb: false });
  if (keygen.status !== 0) throw new Error(`keygen: ${keygen.stderr}`);
  return {
    ctx,
    backend: ctx.backend,
    tenant: tenant === null ? undefined : addTenant(ctx, tenant, { exact }),
    server: serve === null ? undefined : await ctx.serve(serve),
  };
}

// ---- JWTs ---------------------------------------------------------------------------------

const b64u = (data) => Buffer.from(data).toString('base64url');
const part = (value) => b64u(typeof value === 'string' ? value : JSON.stringify(value));

export function signHS256(claims, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${b64u(createHmac('sha256', secret).update(signed).digest())}`;
}

export function signRS256(claims, privateKey, header = { alg: 'RS256', typ: 'JWT' }) {
  const signed = `${part(header)}.${part(claims)}`;
  const signer = createSign('RSA-SHA256');
  signer.update(signed);
  return `${signed}.${b64u(signer.sign(privateKey))}`;
}

export function unsignedToken(claims, header = { alg: 'none', typ: 'JWT' }) {
  return `${part(header)}.${part(claims)}.`;
}

export function rsaKeyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

// ---- HTTP ---------------------------------------------------------------------------------

// fetch to the instance; resolves { status, headers, text, json }. `signal` aborts it.
export async function call(instance, method, path, { token, body, headers = {}, rawBody, signal } = {}) {
  // A connection per call: a kept-alive one that the endpoint closed after --idle-timeout,
  // while the test was busy elsewhere (reading the database files), would fail the next
  // request with "other side closed" — a race of the test's client, not the endpoint's.
  const h = { connection: 'close', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload = rawBody;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
  }
  const res = await fetch(`${instance.url}${path}`, { method, headers: h, body: payload, signal });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

// The HTTP/1.1 responses in `data` (a Buffer): [{ status, headers, body }], headers with
// lowercase names; `partial` is true when the last one is incomplete.
export function parseResponses(data) {
  const responses = [];
  let at = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end === -1) return { responses, partial: at < data.length };
    const [statusLine, ...lines] = data.subarray(at, end).toString('latin1').split('\r\n');
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    const length = status < 200 ? 0 : Number(headers['content-length'] ?? 0);
    if (data.length < end + 4 + length) return { responses, partial: true };
    responses.push({ status, headers, body: data.subarray(end + 4, end + 4 + length).toString('utf8') });
    at = end + 4 + length;
  }
}

// Raw HTTP on a new socket to 127.0.0.1:port: writes `pieces` (strings or Buffers; `gap` ms
// apart), then reads until `responses` final (non-1xx) responses are complete, the server
// closes the connection, or `timeout` ms pass. Resolves { responses, closed, timedOut, partial }.
export function rawExchange(port, pieces, { gap = 0, timeout = 5000, responses: wanted = 1 } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const finish = (how) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseResponses(Buffer.concat(chunks));
      resolve({ ...parsed, responses: parsed.responses, closed: how === 'closed', timedOut: how === 'timeout' });
    };
    const timer = setTimeout(() => finish('timeout'), timeout);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const { responses: got } = parseResponses(Buffer.concat(chunks));
      if (got.filter((r) => r.status >= 200).length >= wanted) finish('complete');
    });
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('closed'));
    socket.on('connect', async () => {
      for (const piece of [pieces].flat()) {
        if (settled || socket.destroyed) return;
        socket.write(piece);
        if (gap) await new Promise((r) => setTimeout(r, gap));
      }
    });
  });
}

// ---- certificates -------------------------------------------------------------------------

// RFC 8785 for what JSON.parse returns: strings and numbers are already written the JCS
// way by JSON.stringify; members are sorted by UTF-16 code units (the default sort).
export const jcs = (v) =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(jcs).join(',')}]`
      : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`;

// ---- key unwrapping, independently of the endpoint (server/envelope.hpp) ------------------

const lengthPrefixed = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  const n = Buffer.alloc(4);
  n.writeUInt32BE(bytes.length);
  return Buffer.concat([n, bytes]);
};

// Tries to open a wrapped data key (the bytes of tenant_keys.wrapped_key) of `tenantId`
// with a master key and, for format 2, a tenant key file's bytes. True if it opens: an
// attacker's attempt with whatever keys are left.
export function unwraps(wrapped, tenantId, master, tenantKey) {
  const header = wrapped.subarray(0, 7);
  const format = header[2];
  let key = master;
  if (format === 2) {
    if (!tenantKey) return false;
    key = Buffer.from(hkdfSync('sha256', Buffer.concat([master, tenantKey]), Buffer.from('leastdata/tenant-key-wrap/v2'),
      Buffer.from(tenantId), 32));
  }
  const ad = Buffer.concat([header, ...['leastdata', 'tenant_keys', 'wrapped_key', tenantId, tenantId].map(lengthPrefixed)]);
  const nonce = wrapped.subarray(7, 19);
  const tag = wrapped.subarray(wrapped.length - 16);
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(ad);
    d.setAuthTag(tag);
    d.update(wrapped.subarray(19, wrapped.length - 16));
    d.final();
    return true;
  } catch {
    return false;
  }
}

// Every key a keys directory holds, decoded: { masters: [Buffer], tenantKeys: [Buffer] }.
export function keysIn(keysDir) {
  const decode = (file) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  const masters = readdirSync(keysDir).filter((f) => /^master-v\d+\.key$/.test(f)).map((f) => decode(join(keysDir, f)));
  const tenantDir = join(keysDir, 'tenants');
  const tenantKeys = existsSync(tenantDir) ? readdirSync(tenantDir).map((f) => decode(join(tenantDir, f))) : [];
  return { masters, tenantKeys };
}

// Independent verification with node:crypto; returns true or throws with the reason.
export function verifyCertificate(certificate, jwks) {
  const { signature, ...unsigned } = certificate;
  const jwk = jwks.keys.find((k) => k.kid === unsigned.key_id && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk) throw new Error(`no Ed25519 key ${unsigned.key_id}`);
  const sig = Buffer.from(signature, 'base64url');
  if (sig.length !== 64 || sig.toString('base64url') !== signature) throw new Error('malformed signature');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  if (!verify(null, Buffer.from(jcs(unsigned), 'utf8'), key, sig)) throw new Error('signature does not verify');
  return true;
}
