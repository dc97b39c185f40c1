// PostgreSQL restarted under load. While clients keep writing and reading, the throwaway
// cluster is stopped (fast shutdown: sessions are terminated, as in a restart or failover),
// left down for a while, and started again. The endpoint is not restarted: during the
// outage every request must fail cleanly and quickly (503 `unavailable`), and once the
// database is back requests must succeed again on their own; every write acknowledged at
// any point must be readable at the end. And after a restart nobody noticed (no traffic
// meanwhile), the stale connections left in the endpoint's pool must not fail a request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, postgresBackend, startEndpoint } from './helpers.js';

const CLIENTS = 6;
const OUTAGE_MS = 2000;
const REQUEST_BOUND_MS = 5000;  // no request may take longer, outage or not
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL restarted under load', { concurrency: 1 }, () => {
  let backend, ctx, server, tenant;  // set by before()

  before(async () => {
    ({ backend, ctx, tenant, server } = await startEndpoint({
      backend: await postgresBackend(), tenant: 'pgrestart', serve: ['--sweep-interval', '0', '--rate-limit', '0'],
    }));
  });

  after(async () => {
    await ctx?.close();
    await backend?.stop();
  });

  test('requests fail cleanly with 503 during the outage and succeed again without restarting the endpoint', async (t) => {
    const results = [];
    const acked = [];
    let stop = false;

    const timed = async (method, path, options) => {
      const started = Date.now();
      try {
        const r = await call(server, method, path, { ...options, signal: AbortSignal.timeout(15000) });
        results.push({ started, ended: Date.now(), status: r.status, code: r.json?.error?.code, text: r.text });
        return r;
      } catch (error) {
        results.push({ started, ended: Date.now(), error: String(error) });
        return undefined;
      }
    };
    const client = async (c) => {
      for (let i = 0; !stop; i++) {
        const name = `r${c}-${i}`;
        const value = `value-${c}-${i}`;
        const put = await timed('PUT', `/v1/tokens/${name}`, { token: tenant.token(), body: { value } });
        if (put?.status === 201) {
          acked.push({ name, value });
          const get = await timed('GET', `/v1/tokens/${name}`, { token: tenant.token() });
          if (get?.status === 200) assert.equal(get.json.value, value);
        } else {
          await sleep(20);  // a failing database: do not spin
        }
      }
    };
    const health = [];
    const poller = (async () => {
      while (!stop) {
        const r = await timed('GET', '/healthz', {});
        if (r) health.push({ at: Date.now(), status: r.status });
        await sleep(100);
      }
    })();

    const load = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await sleep(1000);
    const stopping = Date.now();
    await backend.stopCluster('fast');
    const down = Date.now();
    await sleep(OUTAGE_MS);
    const starting = Date.now();
    await backend.startCluster();
    const up = Date.now();
    await sleep(3000);
    stop = true;
    await Promise.all([...load, poller]);

    // No request was dropped or hung, and the endpoint process never went away.
    assert.ok(server.alive(), 'the endpoint exited');
    assert.deepEqual(results.filter((r) => r.error), [], 'requests without an HTTP answer');
    const slowest = Math.max(...results.map((r) => r.ended - r.started));
    assert.ok(slowest < REQUEST_BOUND_MS, `a request took ${slowest} ms`);

    // API failures are 503 unavailable, JSON; nothing else (/healthz has its own document).
    const api = results.filter((r) => !r.text?.includes('"region"'));
    for (const r of api.filter((x) => x.status >= 300)) {
      assert.equal(r.status, 503, r.text);
      assert.equal(r.code, 'unavailable', r.text);
    }
    const during = api.filter((r) => r.started >= stopping && r.started < up);
    const afterUp = api.filter((r) => r.started >= up);
    const failedAfter = afterUp.filter((r) => r.status === 503);
    const firstOk = afterUp.find((r) => r.status < 300);
    assert.ok(during.some((r) => r.status === 503), 'no request failed while the database was down');
    assert.ok(health.some((h) => h.at > down && h.at < starting && h.status === 503), '/healthz did not report the outage');
    assert.equal(health.at(-1).status, 200);
    assert.ok(afterUp.length > 50, `only ${afterUp.length} requests after the restart`);
    assert.deepEqual(failedAfter, [], 'requests failed after the database was back');

    // Every acknowledged write survived the restart.
    const missing = [];
    for (const { name, value } of acked) {
      const r = await call(server, 'GET', `/v1/tokens/${name}`, { token: tenant.token() });
      if (r.status !== 200 || r.json.value !== value) missing.push(name);
    }
    assert.deepEqual(missing, []);

    t.diagnostic(`outage: stop ${down - stopping} ms + down ${starting - down} ms + start ${up - starting} ms = ${up - stopping} ms`);
    t.diagnostic(`during the outage: ${during.length} API requests, ${during.filter((r) => r.status === 503).length} failed with 503, ` +
      `${during.filter((r) => r.status < 300).length} succeeded; slowest request overall ${slowest} ms`);
    t.diagnostic(`after the restart: ${afterUp.length} API requests, ${failedAfter.length} failed; first success ` +
      `${firstOk ? firstOk.ended - up : '-'} ms after the cluster was up; ${acked.length} acknowledged writes all readable`);
  });

  test('a restart without traffic leaves stale pooled connections that fail no request', async () => {
    // Eight requests at once open every connection of the pool (4).
    const names = Array.from({ length: 8 }, (_, i) => `quiet-${i}`);
    const puts = await Promise.all(names.map((n) => call(server, 'PUT', `/v1/tokens/${n}`, { token: tenant.token(), body: { value: n } })));
    assert.deepEqual(puts.map((r) => r.status), names.map(() => 201));
    await backend.stopCluster('fast');
    await backend.startCluster();
    const one = [];
    for (const n of names) one.push((await call(server, 'GET', `/v1/tokens/${n}`, { token: tenant.token() })).status);
    const together = await Promise.all(names.map((n) => call(server, 'GET', `/v1/tokens/${n}`, { token: tenant.token() })));
    assert.deepEqual([...one, ...together.map((r) => r.status)], [...names, ...names].map(() => 200));
  });
});
