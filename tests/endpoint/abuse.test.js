// Hostile and broken clients at the endpoint (SQLite): garbage request lines, headers,
// paths and bodies over raw sockets; head and body limits; floods of idle and slow
// connections; the connection cap; the per-tenant rate limit. Every case must end in a
// status below 500 (or a closed connection where no answer is possible) within a bound,
// and a normal client must be served right after it - and during the floods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { addTenant, call, rawExchange, startEndpoint } from './helpers.js';

// --request-timeout and --idle-timeout of the garbage server: a request that never
// completes is answered 408 after this long.
const REQUEST_TIMEOUT_S = 2;

// A request as bytes: method, target, headers (Content-Length added for a body unless
// given), body (string or Buffer).
function request(method, target, { headers = {}, body, version = 'HTTP/1.1' } = {}) {
  const h = { Host: '127.0.0.1', ...headers };
  if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) {
    h['Content-Length'] = Buffer.byteLength(body);
  }
  const head = `${method} ${target} ${version}\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body === undefined ? Buffer.alloc(0) : Buffer.from(body)]);
}

// Deterministic junk (xorshift32), so a failure is reproducible.
function junk(length, seed, { newlines = true } = {}) {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
    if (!newlines && (out[i] === 0x0a || out[i] === 0x0d)) out[i] = 0x20;
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('endpoint under abuse (SQLite)', { concurrency: 1 }, () => {
  let backend, ctx, server, tenant;  // set by before()

  before(async () => {
    ({ backend, ctx, tenant, server } = await startEndpoint({
      tenant: 'abuse',
      serve: ['--sweep-interval', '0', '--rate-limit', '0', '--request-timeout', String(REQUEST_TIMEOUT_S), '--idle-timeout', '2'],
    }));
  });

  after(async () => {
    await ctx?.close();
    await backend?.stop();
  });

  async function assertServing() {
    const r = await call(server, 'GET', '/healthz');
    assert.equal(r.status, 200, `the server no longer answers normally: ${r.status} ${r.text}`);
  }

  // ---- garbage: request line, head, path, framing, body --------------------------------

  const auth = () => ({ Authorization: `Bearer ${tenant.token()}` });
  const json = { 'Content-Type': 'application/json' };

  // expect: a status, or 'closed' (no answer is possible); code: the JSON error code.
  // Every answer must be below 500 and arrive within `timeout`.
  const cases = [
    { name: 'a blank request line', send: '\r\n\r\n', expect: 400 },
    { name: 'binary junk with line breaks', send: () => junk(4096, 7), expect: [400, 408, 431] },
    { name: 'binary junk without line breaks (20 KiB)', send: () => junk(20000, 11, { newlines: false }), expect: 414, code: 'uri_too_long' },
    { name: 'an unknown method', send: request('BREW', '/healthz'), expect: 400 },
    { name: 'a lowercase method', send: request('get', '/healthz'), expect: 400 },
    { name: 'the HTTP/2 connection preface', send: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', expect: 400 },
    { name: 'an HTTP/0.9 request', send: 'GET /healthz\r\n\r\n', expect: 400 },
    { name: 'an unknown HTTP version', send: request('GET', '/healthz', { version: 'HTTP/7.1' }), expect: 400 },
    { name: 'HTTP/1.0 without Host', send: 'GET /healthz HTTP/1.0\r\n\r\n', expect: 200 },
    { name: 'bare LF line endings', send: 'GET /healthz HTTP/1.1\nHost: x\n\n', expect: 400 },
    { name: 'a NUL byte in the request line', send: 'GET /heal\0thz HTTP/1.1\r\nHost: x\r\n\r\n', expect: 400 },
    { name: 'a request line of 9000 bytes', send: request('GET', `/${'a'.repeat(9000)}`), expect: 414, code: 'uri_too_long' },
    { name: 'a header line of 9000 bytes', send: request('GET', '/healthz', { headers: { 'X-Big': 'b'.repeat(9000) } }), expect: 431, code: 'headers_too_large' },
    {
      name: '1000 headers (a 20 KiB head)',
      send: request('GET', '/healthz', { headers: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`X-H${i}`, 'v'.repeat(10)])) }),
      expect: 431,
      code: 'headers_too_large',
    },
    { name: 'a header line without a colon', send: 'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', expect: [200, 400] },
    { name: 'non-ASCII bytes in header names and values', send: Buffer.concat([Buffer.from('GET /healthz HTTP/1.1\r\nX-\xff\xfe: \x80\x81\xc0\r\n', 'latin1'), Buffer.from('\r\n')]), expect: [200, 400] },
    { name: 'an absolute-form target', send: request('GET', 'http://evil.example/healthz'), expect: 404 },
    { name: 'path traversal and an encoded NUL', send: () => request('GET', '/v1/../../etc/passwd%00', { headers: auth() }), expect: 404 },
    { name: 'invalid percent-encoding in a path parameter', send: () => request('GET', '/v1/settings/%zz%', { headers: auth() }), expect: [400, 404] },
    { name: 'encoded slashes and dots in a token name', send: () => request('GET', '/v1/tokens/..%2f..%2fx', { headers: auth() }), expect: [400, 404] },
    { name: 'a garbage query string', send: () => request('GET', '/v1/stats?app=%ff%fe&from=zzz&to[]=1&&&=', { headers: auth() }), expect: 400 },
    { name: 'OPTIONS *', send: request('OPTIONS', '*'), expect: 404 },
    { name: 'CONNECT', send: request('CONNECT', '127.0.0.1:22'), expect: [400, 404, 405] },
    { name: 'TRACE', send: request('TRACE', '/healthz'), expect: [400, 404, 405] },
    { name: 'an invalid Range header', send: request('GET', '/healthz', { headers: { Range: 'bytes=zz-' } }), expect: 416 },
    { name: 'a Content-Length that is not a number', send: request('PUT', '/v1/tokens/x', { headers: { 'Content-Length': 'ten' } }), expect: 400, code: 'invalid_request' },
    { name: 'a negative Content-Length', send: request('PUT', '/v1/tokens/x', { headers: { 'Content-Length': '-1' } }), expect: 400, code: 'invalid_request' },
    { name: 'a Content-Length beyond 2^64', send: request('PUT', '/v1/tokens/x', { headers: { 'Content-Length': '99999999999999999999999' } }), expect: 400, code: 'invalid_request' },
    { name: 'two Content-Length headers', send: 'PUT /v1/tokens/x HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}', expect: 400, code: 'invalid_request' },
    { name: 'a Content-Length above the body limit (2 MiB, unsent)', send: request('POST', '/v1/jobs', { headers: { 'Content-Length': String(2 * 1024 * 1024) } }), expect: 413, code: 'payload_too_large' },
    { name: 'a body shorter than its Content-Length', send: request('PUT', '/v1/tokens/x', { headers: { ...json, 'Content-Length': '100' }, body: '{"value":' }), expect: 408, code: 'request_timeout', timeout: 8000 },
    { name: 'a chunked body', send: 'POST /v1/jobs HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n', expect: 411, code: 'length_required' },
    { name: 'Transfer-Encoding and Content-Length together', send: 'POST /v1/jobs HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}', expect: 411, code: 'length_required' },
    { name: 'a gzip-encoded body', send: () => request('POST', '/v1/jobs', { headers: { ...auth(), ...json, 'Content-Encoding': 'gzip' }, body: Buffer.from('1f8b0800000000000003abae0500435fe59b02000000', 'hex') }), expect: 415, code: 'unsupported_media_type' },
    { name: 'a head that never ends', send: 'GET /healthz HTTP/1.1\r\nHost: x\r\n', expect: 408, code: 'request_timeout', timeout: 8000 },
    { name: 'a request sent one byte at a time', send: () => [...request('GET', '/healthz')].map((b) => Buffer.from([b])), gap: 5, expect: 200 },
    { name: 'two pipelined requests', send: Buffer.concat([request('GET', '/healthz'), request('GET', '/.well-known/leastdata-keys.json')]), responses: 2, expect: 200 },
    { name: 'a GET with a body, then a pipelined request', send: Buffer.concat([request('GET', '/healthz', { body: 'x'.repeat(100) }), request('GET', '/healthz')]), responses: 2, expect: 200 },
    {
      name: 'Expect: 100-continue',
      send: () => {
        const body = JSON.stringify({ value: 'continued' });
        return [request('PUT', '/v1/tokens/continued', { headers: { ...auth(), ...json, 'Content-Length': body.length, Expect: '100-continue' } }), body];
      },
      gap: 300,
      expect: 201,
      check: (r) => assert.equal(r.responses[0].status, 100),
    },
    { name: 'invalid JSON', send: () => request('PUT', '/v1/tokens/x', { headers: { ...auth(), ...json }, body: '{"value":' }), expect: 400, code: 'invalid_json' },
    { name: 'invalid UTF-8 in a JSON string', send: () => request('PUT', '/v1/tokens/x', { headers: { ...auth(), ...json }, body: Buffer.from('{"value":"\xc3\x28\xff"}', 'latin1') }), expect: 400, code: 'invalid_json' },
    { name: 'JSON nested 100 000 deep', send: () => request('POST', '/v1/jobs', { headers: { ...auth(), ...json }, body: '['.repeat(100000) + ']'.repeat(100000) }), expect: 400, code: 'invalid_json' },
    { name: 'JSON objects nested 50 000 deep', send: () => request('POST', '/v1/jobs', { headers: { ...auth(), ...json }, body: '{"a":'.repeat(50000) + '1' + '}'.repeat(50000) }), expect: 400, code: 'invalid_json' },
    { name: 'a number too large for a double', send: () => request('POST', '/v1/stats', { headers: { ...auth(), ...json }, body: '{"app":"a","counters":{"n":1e999999}}' }), expect: [400, 422] },
    { name: 'duplicate JSON members', send: () => request('PUT', '/v1/tokens/x', { headers: { ...auth(), ...json }, body: '{"value":"a","value":"b"}' }), expect: 400, code: 'invalid_json' },
    { name: 'NUL bytes in a JSON body', send: () => request('PUT', '/v1/tokens/x', { headers: { ...auth(), ...json }, body: '{"value":"\0\0"}\0' }), expect: 400, code: 'invalid_json' },
    { name: 'binary junk as a JSON body', send: () => request('POST', '/v1/jobs', { headers: { ...auth(), ...json }, body: junk(50000, 3) }), expect: 400, code: 'invalid_json' },
    { name: 'a text/plain body', send: () => request('PUT', '/v1/tokens/x', { headers: { ...auth(), 'Content-Type': 'text/plain' }, body: 'value' }), expect: 415, code: 'unsupported_media_type' },
    { name: 'a multipart body with a broken boundary', send: () => request('POST', '/v1/jobs', { headers: { ...auth(), 'Content-Type': 'multipart/form-data; boundary=' }, body: '--\r\n\r\nx' }), expect: [400, 415] },
    { name: 'a form body over 8 KiB', send: () => request('POST', '/v1/jobs', { headers: { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a='.padEnd(9000, 'b') }), expect: [413, 415] },
    { name: 'a PUT without Content-Length (an empty body)', send: () => request('PUT', '/v1/tokens/x', { headers: { ...auth(), ...json } }), expect: 400, code: 'invalid_json' },
    { name: 'a binary bearer token', send: Buffer.concat([Buffer.from('GET /v1/tokens/x HTTP/1.1\r\nAuthorization: Bearer '), junk(300, 5, { newlines: false }), Buffer.from('\r\n\r\n')]), expect: 401 },
    { name: 'a 6 KiB bearer token', send: request('GET', '/v1/tokens/x', { headers: { Authorization: `Bearer ${'a'.repeat(3000)}.${'b'.repeat(3000)}.c` } }), expect: 401 },
    { name: 'a client that half-closes mid-head', send: 'GET /healthz HTTP/1.1\r\nHo', halfClose: true, expect: 'closed' },
  ];

  for (const c of cases) {
    test(`garbage: ${c.name}`, async () => {
      const pieces = typeof c.send === 'function' ? c.send() : c.send;
      const timeout = c.timeout ?? 5000;
      const started = Date.now();
      let r;
      if (c.halfClose) {
        r = await new Promise((resolve) => {
          const s = connect(server.port, '127.0.0.1', () => s.end(pieces));
          const chunks = [];
          s.on('data', (d) => chunks.push(d));
          s.on('close', () => resolve({ closed: true, data: Buffer.concat(chunks) }));
          s.on('error', () => {});
          setTimeout(() => resolve({ timedOut: true }), timeout).unref();
        });
        assert.ok(!r.timedOut, 'the server did not close the connection');
      } else {
        r = await rawExchange(server.port, pieces, { gap: c.gap, timeout, responses: c.responses ?? 1 });
        assert.ok(!r.timedOut, `no answer within ${timeout} ms`);
        const finals = r.responses.filter((x) => x.status >= 200);
        for (const x of r.responses) assert.ok(x.status < 500, `status ${x.status}: ${x.body}`);
        if (c.expect !== 'closed') {
          assert.ok(finals.length >= (c.responses ?? 1), `expected a response, got ${JSON.stringify(r)}`);
          const expected = [c.expect].flat();
          for (const x of finals) {
            assert.ok(expected.includes(x.status), `expected ${expected}, got ${x.status} ${x.body}`);
            if (x.status >= 400) {
              assert.equal(x.headers['content-type'], 'application/json', x.body);
              const body = JSON.parse(x.body);
              assert.equal(typeof body.error.code, 'string');
              if (c.code) assert.equal(body.error.code, c.code, x.body);
            }
          }
        }
        c.check?.(r);
      }
      assert.ok(Date.now() - started < timeout);
      await assertServing();
    });
  }

  test('no garbage case reached a handler as an internal error', () => {
    assert.ok(server.alive());
    const bad = server.logs().split('\n').filter((l) => /"level":"error"/.test(l));
    assert.deepEqual(bad, []);
  });

  // ---- floods ------------------------------------------------------------------------------

  test('300 idle, 50 slow-header and 20 slow-body connections do not hold back a normal client', async (t) => {
    const flood = await ctx.serve(['--sweep-interval', '0', '--rate-limit', '0', '--idle-timeout', '3', '--request-timeout', '4']);
    const opened = [];
    const open = (onConnect) =>
      new Promise((resolve) => {
        const s = connect(flood.port, '127.0.0.1', () => {
          onConnect?.(s);
          resolve(s);
        });
        s.record = { closedAt: null, data: '' };
        s.on('data', (d) => (s.record.data += d.toString('latin1')));
        s.on('close', () => (s.record.closedAt = Date.now()));
        s.on('error', () => {});
        opened.push(s);
      });
    try {
      const floodStart = Date.now();
      const idle = await Promise.all(Array.from({ length: 300 }, () => open()));
      const slowHead = await Promise.all(Array.from({ length: 50 }, () => open((s) => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'))));
      const slowBody = await Promise.all(Array.from({ length: 20 }, () =>
        open((s) => s.write(request('PUT', '/v1/tokens/slow', { headers: { 'Content-Type': 'application/json', 'Content-Length': '1000' } })))));
      const trickle = setInterval(() => {
        for (const s of slowHead) if (!s.destroyed) s.write(`X-Slow-${Date.now()}: 1\r\n`);
        for (const s of slowBody) if (!s.destroyed) s.write(' ');
      }, 500);
      try {
        const latencies = [];
        for (let i = 0; i < 20; i++) {
          const started = Date.now();
          const r = i % 2 === 0
            ? await call(flood, 'GET', '/healthz')
            : await call(flood, 'PUT', `/v1/tokens/flood-${i}`, { token: tenant.token(), body: { value: `v${i}` } });
          latencies.push(Date.now() - started);
          assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`);
          await sleep(50);
        }
        const max = Math.max(...latencies);
        const median = [...latencies].sort((a, b) => a - b)[10];
        t.diagnostic(`flood: 370 hostile connections; normal client over 20 requests: median ${median} ms, max ${max} ms`);
        assert.ok(max < 2000, `a normal request took ${max} ms during the flood`);

        // The server, not the clients, ends them: idle ones silently after --idle-timeout,
        // slow ones with 408 after --request-timeout.
        const deadline = floodStart + 9000;
        while (opened.some((s) => s.record.closedAt === null) && Date.now() < deadline) await sleep(100);
        const open408 = [...slowHead, ...slowBody].filter((s) => !/^HTTP\/1\.1 408 /.test(s.record.data));
        assert.deepEqual(opened.filter((s) => s.record.closedAt === null).length, 0, 'connections left open by the server');
        assert.equal(idle.filter((s) => s.record.data !== '').length, 0, 'idle connections are closed without an answer');
        assert.equal(open408.length, 0, `slow connections without a 408: ${open408[0]?.record.data}`);
        const idleClose = Math.max(...idle.map((s) => s.record.closedAt - floodStart));
        const slowClose = Math.max(...[...slowHead, ...slowBody].map((s) => s.record.closedAt - floodStart));
        t.diagnostic(`flood: idle connections closed by ${idleClose} ms, slow ones answered 408 and closed by ${slowClose} ms`);
      } finally {
        clearInterval(trickle);
      }
      assert.equal((await call(flood, 'GET', '/healthz')).status, 200);
    } finally {
      for (const s of opened) s.destroy();
      await flood.stop();
    }
  });

  test('at --max-connections the longest-waiting connection gives way to a new one', async (t) => {
    const capped = await ctx.serve(['--sweep-interval', '0', '--max-connections', '64']);
    const sockets = [];
    try {
      for (let i = 0; i < 100; i++) {
        sockets.push(await new Promise((resolve) => {
          const s = connect(capped.port, '127.0.0.1', () => resolve(s));
          s.closedByServer = false;
          s.on('close', () => (s.closedByServer = true));
          s.on('error', () => {});
        }));
      }
      const started = Date.now();
      const r = await call(capped, 'GET', '/healthz');
      const ms = Date.now() - started;
      assert.equal(r.status, 200);
      assert.ok(ms < 1000, `${ms} ms`);
      await sleep(200);
      const closed = sockets.filter((s) => s.closedByServer).length;
      t.diagnostic(`max-connections 64: 100 idle sockets opened, ${closed} closed by the server, a new client served in ${ms} ms`);
      assert.ok(closed >= 36, `${closed} closed`);
      assert.ok(sockets.slice(0, 30).every((s) => s.closedByServer), 'the oldest connections gave way');
    } finally {
      for (const s of sockets) s.destroy();
      await capped.stop();
    }
  });

  // ---- rate limit ------------------------------------------------------------------------

  test('a tenant over its rate limit gets 429 with Retry-After; other tenants are not affected', async () => {
    const limited = await ctx.serve(['--sweep-interval', '0', '--rate-limit', '5']);
    try {
      const a = addTenant(ctx, 'busy');
      const b = addTenant(ctx, 'quiet');
      for (let i = 0; i < 5; i++) assert.equal((await call(limited, 'GET', '/v1/tokens/x', { token: a.token() })).status, 404);
      const over = await call(limited, 'GET', '/v1/tokens/x', { token: a.token('2001') });
      assert.equal(over.status, 429, over.text);
      assert.equal(over.json.error.code, 'rate_limited');
      const retry = Number(over.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 12, `Retry-After: ${over.headers.get('retry-after')}`);
      // Another agent or an admin of the same tenant shares the bucket; another tenant does not.
      assert.equal((await call(limited, 'GET', '/v1/report', { token: a.admin() })).status, 429);
      for (let i = 0; i < 5; i++) assert.equal((await call(limited, 'GET', '/v1/tokens/x', { token: b.token() })).status, 404);
      // Requests without a valid token are refused before the limit and do not use it up.
      for (let i = 0; i < 20; i++) assert.equal((await call(limited, 'GET', '/v1/tokens/x')).status, 401);
      assert.equal((await call(limited, 'GET', '/healthz')).status, 200);
    } finally {
      await limited.stop();
    }
  });
});
