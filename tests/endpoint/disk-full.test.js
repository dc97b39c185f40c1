// SQLite on a full disk. The database lives on a small tmpfs mounted for the test (this
// needs root, as the PostgreSQL tests do: there is no fallback, the test fails saying what
// is missing). With the endpoint running, another file fills the filesystem: writes must
// fail with 507 `insufficient_storage` and change nothing - not even half of a multi-row
// deletion - while reads keep working; once the file is removed, writes succeed again
// without a restart, every acknowledged write is intact and the database passes
// PRAGMA integrity_check.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTenant, call, requireBinary, sqliteBackend, sqliteIntegrity, startEndpoint } from './helpers.js';

const SIZE = '8m';

// Writes zeros to `file` until the filesystem refuses another byte; returns the bytes written.
function fill(file) {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (const chunk of [1 << 20, 1 << 16, 4096, 512, 1]) {
      const zeros = Buffer.alloc(chunk);
      for (;;) {
        try {
          written += writeSync(fd, zeros);
        } catch (error) {
          if (error.code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

describe('SQLite on a full disk', { concurrency: 1 }, () => {
  let root;
  let mnt;
  let mounted = false;
  let backend;
  let ctx;
  let server;

  before(async () => {
    requireBinary();
    root = mkdtempSync(join(tmpdir(), 'leastdata-diskfull-'));
    mnt = join(root, 'mnt');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE},mode=0700`, 'tmpfs', mnt], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      throw new Error('the disk-full test puts the database on a small tmpfs and needs to mount one ' +
        `(root with CAP_SYS_ADMIN: mount -t tmpfs -o size=${SIZE} tmpfs DIR); mount failed: ${error.stderr || error.message}`);
    }
    ({ backend, ctx, server } = await startEndpoint({
      backend: sqliteBackend({ dir: mnt }), tenant: null, serve: ['--sweep-interval', '0', '--rate-limit', '0'],
    }));
  });

  after(async () => {
    await ctx?.close();
    if (mounted) execFileSync('umount', [mnt]);
    await backend?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('writes fail with 507 and change nothing, reads go on, and writes work again when space returns', async (t) => {
    const tenant = addTenant(ctx, 'full');
    const doomed = addTenant(ctx, 'doomed');
    const acked = [];
    const put = async (who, name, value) => {
      const r = await call(server, 'PUT', `/v1/tokens/${name}`, { token: who.token(), body: { value } });
      if (r.status === 201) acked.push({ who, name, value });
      return r;
    };
    for (let i = 0; i < 20; i++) assert.equal((await put(tenant, `before-${i}`, `v${i}-${'x'.repeat(2000)}`)).status, 201);
    assert.equal((await put(doomed, 'kept', 'kept while the disk is full')).status, 201);
    assert.equal((await call(server, 'PUT', '/v1/settings/app', { token: tenant.admin(), body: { settings: { a: 1 } } })).status, 201);

    // Fill the filesystem.
    const filler = join(mnt, 'filler');
    const filled = fill(filler);
    assert.equal(statfsSync(mnt).bavail, 0);

    // Every kind of write is refused with 507 insufficient_storage, none with anything else.
    const statuses = {};
    const expect507 = (what, r) => {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      assert.ok(r.status === 201 || r.status === 200 || r.status === 507, `${what}: ${r.status} ${r.text}`);
      if (r.status === 507) {
        assert.equal(r.json.error.code, 'insufficient_storage', r.text);
        assert.equal(r.headers.get('content-type'), 'application/json');
      }
      return r;
    };
    let refused = 0;
    for (let i = 0; i < 30; i++) {
      if (expect507('PUT token', await put(tenant, `full-${i}`, `f${i}-${'y'.repeat(2000)}`)).status === 507) refused++;
    }
    assert.ok(refused >= 25, `only ${refused} of 30 token writes refused on a full disk`);
    expect507('PUT settings', await call(server, 'PUT', '/v1/settings/app', { token: tenant.admin(), body: { settings: { a: 2 } } }));
    expect507('POST job', await call(server, 'POST', '/v1/jobs', { token: tenant.token(), body: { kind: 'k', ids: { ticket: [1] } } }));
    expect507('POST stats', await call(server, 'POST', '/v1/stats', { token: tenant.token(), body: { app: 'a', counters: { n: 1 } } }));
    // A deletion is all or nothing: refused, the tenant and its data are all still there.
    const deletion = expect507('POST deletion', await call(server, 'POST', '/v1/deletion', { token: doomed.admin(), body: { confirm: doomed.sub } }));
    assert.equal(deletion.status, 507);

    // Reads keep working, and see every acknowledged write.
    assert.equal((await call(server, 'GET', '/healthz')).status, 200);
    for (const { who, name, value } of acked) {
      const r = await call(server, 'GET', `/v1/tokens/${name}`, { token: who.token() });
      assert.equal(r.status, 200, `${name}: ${r.text}`);
      assert.equal(r.json.value, value);
    }
    const settings = await call(server, 'GET', '/v1/settings/app', { token: tenant.token() });
    assert.ok(settings.json.version === 1 || settings.json.settings.a === 2, settings.text);
    assert.equal(sqliteIntegrity(backend.file), 'ok');
    const stillFull = statuses;

    // Space returns: writes succeed again, same process.
    unlinkSync(filler);
    const recovered = Date.now();
    for (let i = 0; i < 10; i++) assert.equal((await put(tenant, `after-${i}`, `a${i}`)).status, 201);
    const deleted = await call(server, 'POST', '/v1/deletion', { token: doomed.admin(), body: { confirm: doomed.sub } });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(deleted.json.deleted.tokens, 1);
    acked.splice(0, acked.length, ...acked.filter((w) => w.who !== doomed));
    for (const { who, name, value } of acked) {
      const r = await call(server, 'GET', `/v1/tokens/${name}`, { token: who.token() });
      assert.equal(r.json?.value, value, `${name}: ${r.status}`);
    }
    assert.ok(server.alive());
    assert.ok(/"event":"storage_full"/.test(server.logs()));

    await server.stop();
    assert.equal(sqliteIntegrity(backend.file), 'ok');
    t.diagnostic(`disk full (tmpfs ${SIZE}, filler ${filled} bytes): statuses ${JSON.stringify(stillFull)} for 30 token ` +
      'writes, a settings write, a job, stats and a deletion; ' +
      `reads all 200; after freeing space 10/10 writes and the deletion succeeded (${Date.now() - recovered} ms), ` +
      `${acked.length} acknowledged tokens intact, integrity_check ok`);
  });
});
