// kill -9 of the endpoint in the middle of concurrent writes, on SQLite and on PostgreSQL.
// Every write the endpoint acknowledged (2xx) before the kill must be readable, with its
// content, from a new instance started on the same database; a write whose answer never
// came is either there in full or not at all; the database stays consistent (SQLite:
// PRAGMA integrity_check) and the new instance starts without errors and serves writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { call, postgresBackend, sqliteBackend, sqliteIntegrity, startEndpoint } from './helpers.js';

const CLIENTS = 8;
const ROUNDS = 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SERVE = ['--sweep-interval', '0', '--rate-limit', '0'];

// One client's writes, each to keys of its own, so an acknowledged write has exactly one
// possible content: a token, a settings document, a job created then patched, a counter.
// `acked` receives what was acknowledged, `unknown` the write in flight when the server died.
async function writer(server, tenant, round, client, state) {
  const agent = String(100 + client);
  for (let i = 0; !state.stop; i++) {
    const tag = `${round}-${client}-${i}`;
    const steps = [
      { kind: 'token', name: `w${tag}`, agent, value: `v-${tag}-${randomBytes(6).toString('hex')}` },
      { kind: 'settings', app: `a${tag}`, settings: { round, client, i, nonce: randomBytes(6).toString('hex') } },
      { kind: 'job', ids: [i + 1] },
      { kind: 'patch', ids: [client + 1, i + 1] },
      { kind: 'stat', counter: `c${round}_${client}` },
    ];
    let job;
    for (const w of steps) {
      if (state.stop) return;
      let r;
      try {
        if (w.kind === 'token') {
          r = await call(server, 'PUT', `/v1/tokens/${w.name}`, { token: tenant.token(agent), body: { value: w.value } });
        } else if (w.kind === 'settings') {
          r = await call(server, 'PUT', `/v1/settings/${w.app}`, { token: tenant.admin(), body: { settings: w.settings } });
        } else if (w.kind === 'job') {
          r = await call(server, 'POST', '/v1/jobs', { token: tenant.token(agent), body: { kind: 'crash', ids: { ticket: w.ids } } });
        } else if (w.kind === 'patch') {
          w.job = job;
          r = await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: tenant.token(agent), body: { ids: { user: w.ids } } });
        } else {
          r = await call(server, 'POST', '/v1/stats', { token: tenant.token(agent), body: { app: 'crash', counters: { [w.counter]: 1 } } });
        }
      } catch {
        state.unknown.push(w);  // no answer: the server died with this write in flight
        state.stop = true;
        return;
      }
      assert.ok(r.status >= 200 && r.status < 300, `${w.kind}: ${r.status} ${r.text}`);
      if (w.kind === 'job') {
        job = { id: r.json.id, ticket: w.ids, user: [] };
        w.job = job;
      }
      if (w.kind === 'patch') job.user = w.ids;
      state.acked.push(w);
    }
  }
}

// Checks every acknowledged write against the new instance; `unknown` writes must be there
// in full or not at all. Resolves the number of acknowledged writes found missing or wrong.
async function verify(server, tenant, acked, unknown) {
  const lost = [];
  const check = async (w, mayBeAbsent) => {
    if (w.kind === 'token') {
      const r = await call(server, 'GET', `/v1/tokens/${w.name}`, { token: tenant.token(w.agent) });
      if (!(r.status === 200 && r.json.value === w.value) && !(mayBeAbsent && r.status === 404)) lost.push({ w, got: r.text });
    } else if (w.kind === 'settings') {
      const r = await call(server, 'GET', `/v1/settings/${w.app}`, { token: tenant.token() });
      if (!(r.status === 200 && isDeepStrictEqual(r.json.settings, w.settings)) && !(mayBeAbsent && r.status === 404)) {
        lost.push({ w, got: r.text });
      }
    }
  };
  // A job as last acknowledged (created, then perhaps patched), or with the patch that was
  // in flight; a job whose creation was in flight has no known id and is not looked for.
  const checkJob = async (job) => {
    const r = await call(server, 'GET', `/v1/jobs/${job.id}`, { token: tenant.token() });
    const allowed = [job.user, ...unknown.filter((w) => w.kind === 'patch' && w.job === job).map((w) => w.ids)];
    const ok = r.status === 200 && JSON.stringify(r.json.ids.ticket) === JSON.stringify(job.ticket) &&
      allowed.some((user) => JSON.stringify(r.json.ids.user) === JSON.stringify(user));
    if (!ok) lost.push({ w: { kind: 'job', job }, got: r.text });
  };
  for (let i = 0; i < acked.length; i += 16) await Promise.all(acked.slice(i, i + 16).map((w) => check(w, false)));
  for (const w of unknown) await check(w, true);
  const jobs = [...new Set(acked.filter((w) => w.kind === 'job').map((w) => w.job))];
  for (let i = 0; i < jobs.length; i += 16) await Promise.all(jobs.slice(i, i + 16).map(checkJob));

  // Counters: at least every acknowledged increment, at most one more per writer.
  const r = await call(server, 'GET', '/v1/stats?app=crash', { token: tenant.token() });
  assert.equal(r.status, 200, r.text);
  const totals = {};
  for (const day of r.json.days) for (const [k, v] of Object.entries(day.counters)) totals[k] = (totals[k] ?? 0) + v;
  const expected = {};
  for (const w of acked) if (w.kind === 'stat') expected[w.counter] = (expected[w.counter] ?? 0) + 1;
  for (const [counter, n] of Object.entries(expected)) {
    const extra = unknown.filter((w) => w.counter === counter).length;
    if (!(totals[counter] >= n && totals[counter] <= n + extra)) lost.push({ w: { kind: 'stat', counter }, got: `${totals[counter]}, expected ${n}` });
  }
  return lost;
}

function crashSuite(name, makeBackend) {
  describe(`kill -9 during concurrent writes (${name})`, { concurrency: 1 }, () => {
    let backend;
    let ctx;
    let tenant;

    before(async () => {
      ({ backend, ctx, tenant } = await startEndpoint({ backend: await makeBackend(), tenant: 'crash', serve: null }));
    });

    after(async () => {
      await ctx?.close();
      await backend?.stop();
    });

    test(`${ROUNDS} rounds of ${CLIENTS} writers killed mid-flight lose no acknowledged write`, async (t) => {
      const acked = [];
      const unknown = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const server = await ctx.serve(SERVE);
        const state = { stop: false, acked: [], unknown: [] };
        const writers = Array.from({ length: CLIENTS }, (_, c) => writer(server, tenant, round, c, state));
        const started = Date.now();
        while (state.acked.length < 150 && Date.now() - started < 5000) await sleep(20);
        await sleep(Math.floor(Math.random() * 100));
        assert.equal(await server.kill('SIGKILL'), 'SIGKILL');
        state.stop = true;
        await Promise.all(writers);
        acked.push(...state.acked);
        unknown.push(...state.unknown);

        let wal = '';
        if (backend.name === 'sqlite') {
          wal = `, WAL left behind ${existsSync(`${backend.file}-wal`) ? statSync(`${backend.file}-wal`).size : 0} bytes`;
          assert.equal(sqliteIntegrity(backend.file), 'ok');
        }

        const restarted = await ctx.serve(SERVE);
        const lost = await verify(restarted, tenant, acked, unknown);
        t.diagnostic(`${name} round ${round}: ${state.acked.length} writes acknowledged before kill -9 ` +
          `(${acked.length} so far), ${state.unknown.length} in flight, ${lost.length} lost${wal}`);
        assert.deepEqual(lost, [], 'acknowledged writes lost or changed');

        // The new instance serves writes, and started without errors.
        const r = await call(restarted, 'PUT', `/v1/tokens/after-${round}`, { token: tenant.token(), body: { value: 'after' } });
        assert.equal(r.status, 201, r.text);
        assert.ok(!/"level":"error"/.test(restarted.logs()), restarted.logs());
        await restarted.stop();
      }
      if (backend.name === 'sqlite') assert.equal(sqliteIntegrity(backend.file), 'ok');
    });
  });
}

crashSuite('SQLite', async () => sqliteBackend());
crashSuite('PostgreSQL', postgresBackend);
