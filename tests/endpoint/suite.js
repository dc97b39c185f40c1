// The black-box suite of leastdata-endpoint (DESIGN §6-§7), run unchanged against SQLite
// (sqlite.test.js) and PostgreSQL (postgres.test.js). Everything goes through HTTP to
// 127.0.0.1, the CLI, or the raw database (to check what is — and is not — stored).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DAY, call, endpointContext, filesContaining, jcs, keysIn, requireBinary, rsaKeyPair, signHS256, signRS256, unique,
  unsignedToken, unwraps, verifyCertificate,
} from './helpers.js';

const TABLES = ['tenant_keys', 'agents', 'tokens', 'shared_tokens', 'settings', 'stats', 'jobs', 'declared_policies', 'access_days'];

export function endpointSuite(makeBackend) {
  let backend;
  let ctx;
  let server; // --zendesk-public-key, no periodic sweep
  let rsa;
  let other; // a second RSA key pair the endpoint does not know

  before(async () => {
    requireBinary();
    backend = await makeBackend();
    ctx = endpointContext(backend);
    const keygen = ctx.cli(['keygen', '--keys', ctx.keys], { withDb: false });
    assert.equal(keygen.status, 0, keygen.stderr);
    rsa = rsaKeyPair();
    other = rsaKeyPair();
    const pem = join(ctx.dir, 'zendesk.pem');
    writeFileSync(pem, rsa.publicKey);
    // Failed authentications are not limited here (the suite sends many on purpose); the
    // limit has its own test below.
    server = await ctx.serve(['--zendesk-public-key', pem, '--sweep-interval', '0', '--issuer', 'leastdata test endpoint',
      '--auth-failure-limit', '0']);
  });

  after(async () => {
    await ctx?.close();
    await backend?.stop();
  });

  // ---- helpers --------------------------------------------------------------------------

  const claims = (sub, { agent = '1001', role = 'agent', email, aud = 'leastdata', iat, ttl = 600, ...extra } = {}) => {
    const issued = iat ?? ctx.nowSeconds();
    const c = { iss: `${sub}.zendesk.com`, aud, sub: agent, iat: issued, exp: issued + ttl, role, ...extra };
    if (email) c.email = email;
    return c;
  };

  function newTenant(prefix = 't') {
    const sub = unique(prefix);
    const r = ctx.cli(['tenant', 'add', sub]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.subdomain, sub);
    const secret = r.json.jwt_secret;
    return {
      sub,
      secret,
      token: (options = {}) => signHS256(claims(sub, options), secret),
      admin: (options = {}) => signHS256(claims(sub, { agent: '9001', role: 'admin', ...options }), secret),
      id: () => backend.query(`SELECT id FROM tenants WHERE subdomain = '${sub}'`)[0]?.[0],
    };
  }

  const rowsOf = (tenantId) =>
    Object.fromEntries(TABLES.map((t) => [t, Number(backend.query(`SELECT COUNT(*) FROM ${t} WHERE tenant_id = '${tenantId}'`)[0][0])]));

  async function jwks() {
    const r = await call(server, 'GET', '/.well-known/leastdata-keys.json');
    assert.equal(r.status, 200);
    return r.json;
  }

  const expectError = (r, status, code) => {
    assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status} ${r.text}`);
    assert.equal(r.json?.error?.code, code, r.text);
    assert.equal(typeof r.json.error.message, 'string');
  };

  // ---- public routes, routing ----------------------------------------------------------

  test('GET /healthz reports status and region', async () => {
    const r = await call(server, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok', region: 'eu-central-1' });
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('GET /.well-known/leastdata-keys.json publishes the Ed25519 key', async () => {
    const keys = await jwks();
    assert.equal(keys.keys.length, 1);
    const [k] = keys.keys;
    assert.equal(k.kty, 'OKP');
    assert.equal(k.crv, 'Ed25519');
    assert.match(k.kid, /^ed25519-/);
    assert.equal(Buffer.from(k.x, 'base64url').length, 32);
    assert.equal(k.d, undefined);
  });

  test('unknown routes are 404, wrong methods 405 with Allow', async () => {
    expectError(await call(server, 'GET', '/v1/nothing'), 404, 'not_found');
    expectError(await call(server, 'GET', '/v1/settings/'), 404, 'not_found');
    const r = await call(server, 'DELETE', '/v1/report');
    expectError(r, 405, 'method_not_allowed');
    assert.equal(r.headers.get('allow'), 'GET');
    assert.equal((await call(server, 'POST', '/healthz')).status, 405);
  });

  // ---- authentication -------------------------------------------------------------------

  test('a valid HS256 token of the tenant is accepted', async () => {
    const t = newTenant();
    const r = await call(server, 'PUT', '/v1/agents/me', { token: t.token({ email: 'a@example.com' }) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.agent.id, '1001');
  });

  test('missing or non-bearer credentials are 401 unauthorized', async () => {
    const t = newTenant();
    expectError(await call(server, 'GET', '/v1/tokens/x'), 401, 'unauthorized');
    const basic = await call(server, 'GET', '/v1/tokens/x', { headers: { authorization: `Basic ${t.token()}` } });
    expectError(basic, 401, 'unauthorized');
    assert.match(basic.headers.get('www-authenticate'), /^Bearer/);
  });

  test('JWT negative cases are 401 invalid_token', async () => {
    const t = newTenant();
    const u = newTenant();
    const now = ctx.nowSeconds();
    const c = (o) => claims(t.sub, o);
    const hs = (o, secret = t.secret, header) => signHS256(c(o), secret, header);
    const cases = {
      'alg none': unsignedToken(c()),
      'alg none with a signature': unsignedToken(c()) + 'AAAA',
      'alg HS512': signHS256(c(), t.secret, { alg: 'HS512', typ: 'JWT' }),
      'alg ES256': signHS256(c(), t.secret, { alg: 'ES256', typ: 'JWT' }),
      'alg "hs256"': signHS256(c(), t.secret, { alg: 'hs256', typ: 'JWT' }),
      'missing alg': signHS256(c(), t.secret, { typ: 'JWT' }),
      'typ not JWT': signHS256(c(), t.secret, { alg: 'HS256', typ: 'JWS' }),
      'crit header': signHS256(c(), t.secret, { alg: 'HS256', crit: ['exp'] }),
      'RS256 header over an HMAC signature': signHS256(c(), t.secret, { alg: 'RS256', typ: 'JWT' }),
      'HS256 keyed with the RSA public key': signHS256(c(), rsa.publicKey),
      'RS256 signed by an unknown key': signRS256(c(), other.privateKey),
      'HS256 header over an RS256 signature': signRS256(c(), rsa.privateKey, { alg: 'HS256', typ: 'JWT' }),
      "another tenant's secret": hs({}, u.secret),
      'empty secret': hs({}, ''),
      'tampered payload': (() => {
        const [h, , s] = t.token().split('.');
        return `${h}.${Buffer.from(JSON.stringify(c({ role: 'admin' }))).toString('base64url')}.${s}`;
      })(),
      'expired beyond leeway': hs({ iat: now - 700, ttl: 600 }),
      'not yet valid (nbf)': hs({ nbf: now + 120 }),
      'issued in the future': hs({ iat: now + 120 }),
      'exp more than an hour after iat': hs({ ttl: 3601 }),
      'exp before iat': hs({ ttl: -10 }),
      'missing exp': signHS256({ ...c(), exp: undefined }, t.secret),
      'missing iat': signHS256({ ...c(), iat: undefined }, t.secret),
      'exp as a string': signHS256({ ...c(), exp: String(now + 100) }, t.secret),
      'wrong audience': hs({ aud: 'someone-else' }),
      'missing audience': signHS256({ ...c(), aud: undefined }, t.secret),
      'unknown issuer': signHS256({ ...c(), iss: 'nobody-here.zendesk.com' }, t.secret),
      'issuer outside zendesk.com': signHS256({ ...c(), iss: `${t.sub}.example.com` }, t.secret),
      'issuer with upper case': signHS256({ ...c(), iss: `${t.sub.toUpperCase()}.zendesk.com` }, t.secret),
      'missing issuer': signHS256({ ...c(), iss: undefined }, t.secret),
      'sub is an email': hs({ agent: 'agent@example.com' }),
      'sub is zero': hs({ agent: 0 }),
      'sub missing': signHS256({ ...c(), sub: undefined }, t.secret),
      'unknown role': hs({ role: 'owner' }),
      'email not a string': hs({ email: 42 }),
      'two parts': t.token().split('.').slice(0, 2).join('.'),
      'four parts': `${t.token()}.x`,
      'padded base64': t.token().replace(/\.([^.]*)$/, '.$1='),
      'header not JSON': `${Buffer.from('nope').toString('base64url')}.${t.token().split('.').slice(1).join('.')}`,
      'duplicate claim': (() => {
        const payload = Buffer.from(`{"iss":"${t.sub}.zendesk.com","aud":"leastdata","sub":"1","sub":"2","iat":${now},"exp":${now + 60}}`).toString('base64url');
        const h = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
        return signHS256Raw(`${h}.${payload}`, t.secret);
      })(),
      'oversized token (over 4 KiB)': hs({ padding: 'x'.repeat(4500) }),
    };
    const messages = new Set();
    for (const [name, token] of Object.entries(cases)) {
      const r = await call(server, 'PUT', '/v1/agents/me', { token });
      assert.equal(r.status, 401, `${name}: ${r.status} ${r.text}`);
      assert.equal(r.json.error.code, 'invalid_token', name);
      messages.add(r.text);
    }
    // One answer for every refusal: a customer's subdomain is not told from a stranger's.
    assert.deepEqual([...messages], [messages.values().next().value]);
    const unknownIssuer = await call(server, 'GET', '/v1/report', { token: cases['unknown issuer'] });
    const badSignature = await call(server, 'GET', '/v1/report', { token: cases["another tenant's secret"] });
    assert.equal(unknownIssuer.text, badSignature.text);
    // The reason is in the operator's log, without the subdomain.
    const logs = server.logs();
    assert.match(logs, /"detail":"unknown issuer"/);
    assert.match(logs, /"detail":"signature does not verify"/);
    assert.doesNotMatch(logs, /nobody-here/);
  });

  test('failed authentications are limited per source and per claimed issuer; valid tokens still pass', async () => {
    const limited = await ctx.serve(['--sweep-interval', '0', '--auth-failure-limit', '5']);
    try {
      const t = newTenant();
      const forged = signHS256(claims(t.sub, { role: 'admin' }), 'not-the-secret');
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await call(limited, 'GET', '/v1/report', { token: forged })).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
      const refused = await call(limited, 'GET', '/v1/report', { token: forged });
      expectError(refused, 429, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      // The tenant's real agents are not locked out, from the same address either.
      const valid = await call(limited, 'PUT', '/v1/agents/me', { token: t.token() });
      assert.ok(valid.status === 200 || valid.status === 201, valid.text);
      // Another address's failures would be counted apart; this one's are now limited for any issuer.
      expectError(await call(limited, 'GET', '/v1/report', { token: signHS256(claims(unique('x')), 'x') }), 429, 'rate_limited');
    } finally {
      await limited.stop();
    }
  });

  test('leeway: 60 s either side is accepted; aud may be an array', async () => {
    const t = newTenant();
    const now = ctx.nowSeconds();
    for (const token of [
      t.token({ iat: now - 630, ttl: 600 }), // expired 30 s ago
      t.token({ iat: now + 30 }), // issued 30 s ahead
      t.token({ nbf: now + 30 }),
      t.token({ ttl: 3600 }),
      t.token({ aud: ['other', 'leastdata'] }),
      t.token({ agent: 1234567 }), // numeric sub
    ]) {
      const r = await call(server, 'PUT', '/v1/agents/me', { token });
      assert.ok(r.status === 200 || r.status === 201, r.text);
    }
  });

  test('RS256 with the configured Zendesk key is accepted', async () => {
    const t = newTenant();
    const r = await call(server, 'PUT', '/v1/agents/me', { token: signRS256(claims(t.sub, { agent: '77' }), rsa.privateKey) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.agent.id, '77');
  });

  // ---- roles and agents -----------------------------------------------------------------

  test('admin-only operations are 403 for agents', async () => {
    const t = newTenant();
    const agent = t.token();
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: agent, body: { settings: {} } }), 403, 'forbidden');
    expectError(await call(server, 'PUT', '/v1/shared-tokens/k', { token: agent, body: { value: 'v' } }), 403, 'forbidden');
    expectError(await call(server, 'DELETE', '/v1/shared-tokens/k', { token: agent }), 403, 'forbidden');
    expectError(await call(server, 'GET', '/v1/report', { token: agent }), 403, 'forbidden');
    expectError(await call(server, 'POST', '/v1/deletion', { token: agent, body: { confirm: t.sub } }), 403, 'forbidden');
    expectError(await call(server, 'POST', '/v1/lifecycle/deactivate', { token: agent }), 403, 'forbidden');
  });

  test('PUT /v1/agents/me registers from the token and updates', async () => {
    const t = newTenant();
    const first = await call(server, 'PUT', '/v1/agents/me', { token: t.token({ email: 'one@example.com' }) });
    assert.equal(first.status, 201);
    assert.deepEqual({ ...first.json.agent, registered_at: 0, updated_at: 0 },
      { id: '1001', email: 'one@example.com', role: 'agent', registered_at: 0, updated_at: 0 });
    const again = await call(server, 'PUT', '/v1/agents/me', { token: t.token({ email: 'two@example.com', role: 'admin' }), body: {} });
    assert.equal(again.status, 200);
    assert.equal(again.json.agent.email, 'two@example.com');
    assert.equal(again.json.agent.role, 'admin');
    assert.equal(again.json.agent.registered_at, first.json.agent.registered_at);
    expectError(await call(server, 'PUT', '/v1/agents/me', { token: t.token(), body: { email: 'forged@example.com' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/agents/me', { token: t.token(), rawBody: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  });

  // ---- settings -------------------------------------------------------------------------

  test('settings: versioned with ETag and If-Match, admin to write', async () => {
    const t = newTenant();
    const admin = t.admin();
    expectError(await call(server, 'GET', '/v1/settings/sidebar', { token: t.token() }), 404, 'not_found');
    const created = await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, rawBody: '{"settings":{"theme":"dark","n":12345678901234567}}', headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('etag'), '"1"');
    assert.equal(created.json.version, 1);
    const read = await call(server, 'GET', '/v1/settings/sidebar', { token: t.token() });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('etag'), '"1"');
    assert.equal(read.json.settings.theme, 'dark');
    assert.match(read.text, /"n":12345678901234567[,}]/); // large integers stay exact
    // Numbers come back with the decimal value they were sent with, or are refused.
    const exact = '{"settings":{"big":100000000000000000000000000000,"f":0.1,"e":1.50E+3,"z":-0.0,"i":-9223372036854775808}}';
    const stored = await call(server, 'PUT', '/v1/settings/numbers', { token: admin, rawBody: exact, headers: { 'content-type': 'application/json' } });
    assert.equal(stored.status, 201, stored.text);
    const back = (await call(server, 'GET', '/v1/settings/numbers', { token: admin })).text;
    assert.match(back, /"big":1e\+29/);
    assert.match(back, /"e":1500(\.0)?[,}]/);
    assert.match(back, /"i":-9223372036854775808[,}]/);
    for (const inexact of ['123456789012345678901234567890', '0.30000000000000000001', '18446744073709551616', '1.00000000000000000001e5']) {
      const r = await call(server, 'PUT', '/v1/settings/numbers', { token: admin, rawBody: `{"settings":{"n":${inexact}}}`, headers: { 'content-type': 'application/json' } });
      expectError(r, 422, 'inexact_number');
      assert.doesNotMatch(r.text, new RegExp(inexact.slice(0, 8)));
    }
    const updated = await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, body: { settings: { theme: 'light' } }, headers: { 'if-match': '"1"' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.headers.get('etag'), '"2"');
    const stale = await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, body: { settings: { theme: 'x' } }, headers: { 'if-match': '"1"' } });
    expectError(stale, 409, 'version_conflict');
    assert.equal(stale.headers.get('etag'), '"2"');
    expectError(await call(server, 'PUT', '/v1/settings/other', { token: admin, body: { settings: {} }, headers: { 'if-match': '*' } }), 409, 'version_conflict');
    assert.equal((await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, body: { settings: {} }, headers: { 'if-match': '*' } })).status, 200);
    assert.equal((await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, body: { settings: { last: true } } })).json.version, 4);
    expectError(await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, body: { settings: {} }, headers: { 'if-match': 'W/"x"' } }), 400, 'invalid_request');
  });

  test('settings: validation, content type and the 64 KiB limit', async () => {
    const t = newTenant();
    const admin = t.admin();
    expectError(await call(server, 'PUT', '/v1/settings/Bad_App', { token: admin, body: { settings: {} } }), 400, 'invalid_request');
    expectError(await call(server, 'GET', '/v1/settings/-x', { token: admin }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, body: { settings: [] } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, body: { settings: {}, extra: 1 } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, body: [1] }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, rawBody: '{"settings":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, rawBody: '{"settings":{"a":1,"a":2}}', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, rawBody: '{"settings":{}}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, rawBody: '{"settings":{}}' }), 415, 'unsupported_media_type');
    const big = { settings: { blob: 'x'.repeat(64 * 1024) } };
    expectError(await call(server, 'PUT', '/v1/settings/app', { token: admin, body: big }), 413, 'payload_too_large');
    const fits = { settings: { blob: 'x'.repeat(64 * 1024 - 40) } };
    assert.equal((await call(server, 'PUT', '/v1/settings/app', { token: admin, body: fits, headers: { 'content-type': 'application/json; charset=utf-8' } })).status, 201);
  });

  test('the global body limit is 413 payload_too_large', async () => {
    const t = newTenant();
    const huge = { kind: 'x', ids: { ticket: Array.from({ length: 200000 }, (_, i) => i + 1) } };
    expectError(await call(server, 'POST', '/v1/jobs', { token: t.token(), body: huge }), 413, 'payload_too_large');
  });

  // ---- tokens ---------------------------------------------------------------------------

  test('tokens belong to the calling agent', async () => {
    const t = newTenant();
    const a = t.token({ agent: '11' });
    const b = t.token({ agent: '12' });
    const put = await call(server, 'PUT', '/v1/tokens/crm', { token: a, body: { value: 'secret-of-11' } });
    assert.equal(put.status, 201, put.text);
    assert.equal(put.json.value, undefined); // the value is never echoed
    assert.deepEqual((await call(server, 'GET', '/v1/tokens/crm', { token: a })).json, { name: 'crm', value: 'secret-of-11' });
    expectError(await call(server, 'GET', '/v1/tokens/crm', { token: b }), 404, 'not_found');
    expectError(await call(server, 'DELETE', '/v1/tokens/crm', { token: b }), 404, 'not_found');
    assert.equal((await call(server, 'PUT', '/v1/tokens/crm', { token: b, body: { value: 'secret-of-12' } })).status, 201);
    assert.equal((await call(server, 'GET', '/v1/tokens/crm', { token: a })).json.value, 'secret-of-11');
    const expires = new Date((ctx.nowSeconds() + 3600) * 1000).toISOString();
    const upd = await call(server, 'PUT', '/v1/tokens/crm', { token: a, body: { value: 'rotated', expires_at: expires } });
    assert.equal(upd.status, 200);
    const got = await call(server, 'GET', '/v1/tokens/crm', { token: a });
    assert.equal(got.json.value, 'rotated');
    assert.equal(got.json.expires_at, expires);
    assert.equal((await call(server, 'DELETE', '/v1/tokens/crm', { token: a })).status, 204);
    expectError(await call(server, 'GET', '/v1/tokens/crm', { token: a }), 404, 'not_found');
    expectError(await call(server, 'DELETE', '/v1/tokens/crm', { token: a }), 404, 'not_found');
    assert.equal((await call(server, 'GET', '/v1/tokens/crm', { token: b })).json.value, 'secret-of-12');
  });

  test('tokens: validation', async () => {
    const t = newTenant();
    const a = t.token();
    expectError(await call(server, 'PUT', '/v1/tokens/bad%20name', { token: a, body: { value: 'v' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', `/v1/tokens/${'n'.repeat(65)}`, { token: a, body: { value: 'v' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: {} }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: { value: '' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: { value: 5 } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: { value: 'v', owner: 'x' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: { value: 'v', expires_at: 'tomorrow' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: { value: 'v', expires_at: '2001-01-01T00:00:00Z' } }), 400, 'invalid_request');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, body: { value: 'v'.repeat(8193) } }), 413, 'payload_too_large');
    expectError(await call(server, 'PUT', '/v1/tokens/n', { token: a, rawBody: 'value=v', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  });

  test('shared tokens: admin writes, every agent reads', async () => {
    const t = newTenant();
    const admin = t.admin();
    expectError(await call(server, 'GET', '/v1/shared-tokens/api', { token: t.token() }), 404, 'not_found');
    assert.equal((await call(server, 'PUT', '/v1/shared-tokens/api', { token: admin, body: { value: 'shared-value' } })).status, 201);
    assert.equal((await call(server, 'PUT', '/v1/shared-tokens/api', { token: admin, body: { value: 'shared-value-2' } })).status, 200);
    assert.equal((await call(server, 'GET', '/v1/shared-tokens/api', { token: t.token({ agent: '5' }) })).json.value, 'shared-value-2');
    // A personal token of the same name is a different thing.
    expectError(await call(server, 'GET', '/v1/tokens/api', { token: admin }), 404, 'not_found');
    assert.equal((await call(server, 'DELETE', '/v1/shared-tokens/api', { token: admin })).status, 204);
    expectError(await call(server, 'GET', '/v1/shared-tokens/api', { token: t.token() }), 404, 'not_found');
  });

  // ---- statistics -----------------------------------------------------------------------

  test('stats: counters add up per app and day', async () => {
    const t = newTenant();
    const a = t.token();
    const post = await call(server, 'POST', '/v1/stats', { token: a, body: { app: 'sidebar', counters: { tickets_viewed: 3, fields_dropped: 40 } } });
    assert.equal(post.status, 200, post.text);
    assert.equal(post.json.accepted, 2);
    await call(server, 'POST', '/v1/stats', { token: t.token({ agent: '2' }), body: { app: 'sidebar', counters: { tickets_viewed: 2 } } });
    await call(server, 'POST', '/v1/stats', { token: a, body: { app: 'other', counters: { x: 1 } } });
    const day = new Date(ctx.nowSeconds() * 1000).toISOString().slice(0, 10);
    const got = await call(server, 'GET', '/v1/stats?app=sidebar', { token: a });
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, { app: 'sidebar', days: [{ day, counters: { fields_dropped: 40, tickets_viewed: 5 } }] });
    assert.deepEqual((await call(server, 'GET', `/v1/stats?app=sidebar&from=${day}&to=${day}`, { token: a })).json.days.length, 1);
    assert.deepEqual((await call(server, 'GET', '/v1/stats?app=sidebar&to=2000-01-01', { token: a })).json.days, []);
    await call(server, 'POST', '/v1/stats', { token: a, body: { app: 'big', counters: { n: 2 ** 53 - 1 } } });
    await call(server, 'POST', '/v1/stats', { token: a, body: { app: 'big', counters: { n: 2 ** 53 - 1 } } });
    assert.equal((await call(server, 'GET', '/v1/stats?app=big', { token: a })).json.days[0].counters.n, 2 ** 53 - 1);
  });

  test('stats: names, values and queries are validated', async () => {
    const t = newTenant();
    const a = t.token();
    const bad = [
      { app: 'sidebar', counters: { 'agent@example.com': 1 } },
      { app: 'sidebar', counters: { Tickets: 1 } },
      { app: 'sidebar', counters: { ['x'.repeat(65)]: 1 } },
      { app: 'sidebar', counters: { n: -1 } },
      { app: 'sidebar', counters: { n: 1.5 } },
      { app: 'sidebar', counters: { n: '3' } },
      { app: 'sidebar', counters: { n: 2 ** 53 } },
      { app: 'sidebar', counters: {} },
      { app: 'sidebar', counters: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`c${i}`, 1])) },
      { app: 'Side Bar', counters: { n: 1 } },
      { counters: { n: 1 } },
      { app: 'sidebar', counters: { n: 1 }, user: 'someone' },
    ];
    for (const body of bad) {
      expectError(await call(server, 'POST', '/v1/stats', { token: a, body }), 422, 'invalid_stats');
    }
    expectError(await call(server, 'GET', '/v1/stats', { token: a }), 400, 'invalid_request');
    expectError(await call(server, 'GET', '/v1/stats?app=sidebar&from=2024-02-30', { token: a }), 400, 'invalid_request');
    expectError(await call(server, 'POST', '/v1/stats', { token: a, rawBody: 'nope', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
  });

  // ---- jobs -----------------------------------------------------------------------------

  test('jobs: create, read, patch, stop, complete', async () => {
    const t = newTenant();
    const a = t.token();
    const created = await call(server, 'POST', '/v1/jobs', { token: a, rawBody: '{"kind":"gdpr_redaction","ids":{"ticket":[1,"2",9007199254740993],"user":["9223372036854775807"]},"cursor":"page:2=abc"}', headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 201, created.text);
    const job = created.json;
    assert.match(job.id, /^job_/);
    assert.equal(created.headers.get('location'), `/v1/jobs/${job.id}`);
    assert.equal(job.status, 'running');
    assert.deepEqual(job.ids, { ticket: [1, '2', 9007199254740992], user: ['9223372036854775807'], organization: [] }); // JSON.parse rounds
    assert.match(created.text, /"ticket":\[1,"2",9007199254740993\]/); // the endpoint does not
    assert.equal(job.cursor, 'page:2=abc');
    assert.equal(Date.parse(job.delete_at) - Date.parse(job.updated_at), 7 * DAY * 1000);
    // Any agent of the tenant sees the tenant's jobs.
    assert.equal((await call(server, 'GET', `/v1/jobs/${job.id}`, { token: t.token({ agent: '2' }) })).status, 200);
    const patched = await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: { ids: { organization: [5] }, cursor: null } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json.ids.organization, [5]);
    assert.match(patched.text, /"ticket":\[1,"2",9007199254740993\]/);
    assert.equal(patched.json.cursor, null);
    expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: { kind: 'other' } }), 400, 'invalid_request');
    const stopped = await call(server, 'POST', `/v1/jobs/${job.id}/stop`, { token: a });
    assert.equal(stopped.status, 200);
    assert.equal(stopped.json.status, 'stopped');
    assert.ok(stopped.json.stopped_at);
    expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: { cursor: 'x' } }), 409, 'job_stopped');
    assert.equal((await call(server, 'POST', `/v1/jobs/${job.id}/stop`, { token: a })).json.stopped_at, stopped.json.stopped_at);
    const done = await call(server, 'POST', `/v1/jobs/${job.id}/complete`, { token: a });
    assert.deepEqual(done.json, { id: job.id, status: 'completed', deleted: true });
    // Completed: deleted at once, in the database too.
    assert.equal(backend.query(`SELECT COUNT(*) FROM jobs WHERE id = '${job.id}'`)[0][0], '0');
    expectError(await call(server, 'GET', `/v1/jobs/${job.id}`, { token: a }), 404, 'not_found');
    expectError(await call(server, 'POST', `/v1/jobs/${job.id}/complete`, { token: a }), 404, 'not_found');
    expectError(await call(server, 'POST', `/v1/jobs/${job.id}/stop`, { token: a }), 404, 'not_found');
    expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: {} }), 404, 'not_found');
    expectError(await call(server, 'GET', '/v1/jobs/not!an!id', { token: a }), 404, 'not_found');
  });

  test('jobs: concurrent PATCHes of different categories all land (read-modify-write in one transaction)', async () => {
    const t = newTenant();
    const a = t.token({ agent: '1' });
    for (let round = 0; round < 5; round++) {
      const { json: job } = await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'race', ids: {} } });
      const patches = ['ticket', 'user', 'organization'].map((category, i) =>
        call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: { ids: { [category]: [round * 10 + i + 1] } } }));
      for (const patched of await Promise.all(patches)) assert.equal(patched.status, 200, patched.text);
      const { json: final } = await call(server, 'GET', `/v1/jobs/${job.id}`, { token: a });
      assert.deepEqual(final.ids, { ticket: [round * 10 + 1], user: [round * 10 + 2], organization: [round * 10 + 3] });
      await call(server, 'POST', `/v1/jobs/${job.id}/complete`, { token: a });
    }
  });

  test('jobs: at most 10,000 IDs (the core\'s max_job_ids, and its code size_limit), also after a PATCH adds some', async () => {
    const t = newTenant();
    const a = t.token();
    const ids = (n, from = 1) => Array.from({ length: n }, (_, i) => from + i);
    const full = await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'k', ids: { ticket: ids(9_999), user: [1] } } });
    assert.equal(full.status, 201, full.text);
    const over = await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'k', ids: { ticket: ids(10_000), user: [1] } } });
    expectError(over, 413, 'size_limit');
    assert.match(over.json.error.message, /at most 10000 ids/);
    const small = await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'k', ids: { ticket: ids(5) } } });
    assert.equal(small.status, 201, small.text);
    // A PATCH replaces the categories it names: 5 tickets + 9,996 users is one too many.
    expectError(await call(server, 'PATCH', `/v1/jobs/${small.json.id}`, { token: a, body: { ids: { user: ids(9_996) } } }), 413, 'size_limit');
    const kept = await call(server, 'GET', `/v1/jobs/${small.json.id}`, { token: a });
    assert.deepEqual([kept.json.ids.ticket, kept.json.ids.user], [ids(5), []], 'a refused PATCH changes nothing');
  });

  test('jobs: anything but numeric ids and an opaque cursor is 422 personal_data', async () => {
    const t = newTenant();
    const a = t.token();
    const bad = [
      { kind: 'k', ids: { ticket: ['agent@example.com'] } },
      { kind: 'k', ids: { ticket: [0] } },
      { kind: 'k', ids: { ticket: [-5] } },
      { kind: 'k', ids: { ticket: [1.5] } },
      { kind: 'k', ids: { ticket: ['12a'] } },
      { kind: 'k', ids: { ticket: ['0012'] } },
      { kind: 'k', ids: { ticket: [' 12'] } },
      { kind: 'k', ids: { ticket: ['9223372036854775808'] } },
      { kind: 'k', ids: { ticket: [true] } },
      { kind: 'k', ids: { ticket: [null] } },
      { kind: 'k', ids: { ticket: [{ id: 1 }] } },
      { kind: 'k', ids: { ticket: 1 } },
      { kind: 'k', ids: { email: [1] } },
      { kind: 'k', ids: [1, 2] },
      { kind: 'k', cursor: 'Jane Doe' },
      { kind: 'k', cursor: 'x@y.z' },
      { kind: 'k', cursor: 'c'.repeat(257) },
      { kind: 'k', cursor: 5 },
      { kind: 'Jane Doe' },
      { kind: 'k', note: 'requester is jane@example.com' },
    ];
    for (const body of bad) {
      const r = await call(server, 'POST', '/v1/jobs', { token: a, body });
      expectError(r, 422, 'personal_data');
    }
    const job = (await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'k' } })).json;
    assert.deepEqual(job.ids, { ticket: [], user: [], organization: [] });
    expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: { ids: { user: ['x'] } } }), 422, 'personal_data');
    expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: a, body: { note: 'x' } }), 422, 'personal_data');
    expectError(await call(server, 'POST', '/v1/jobs', { token: a, body: { ids: {} } }), 400, 'invalid_request');
    assert.equal((await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'k', cursor: 'c'.repeat(256) } })).status, 201);
    assert.equal((await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'k', cursor: '' } })).status, 201);
  });

  // ---- isolation ------------------------------------------------------------------------

  test('tenants are isolated: identity comes only from the verified token', async () => {
    const x = newTenant('iso');
    const y = newTenant('iso');
    const xa = x.admin();
    const ya = y.admin();
    await call(server, 'PUT', '/v1/settings/app', { token: xa, body: { settings: { owner: 'x' } } });
    await call(server, 'PUT', '/v1/tokens/t', { token: x.token(), body: { value: 'x-token' } });
    await call(server, 'PUT', '/v1/shared-tokens/s', { token: xa, body: { value: 'x-shared' } });
    await call(server, 'POST', '/v1/stats', { token: x.token(), body: { app: 'app', counters: { n: 1 } } });
    const job = (await call(server, 'POST', '/v1/jobs', { token: x.token(), body: { kind: 'k' } })).json;
    // Same agent id, same names, other tenant: nothing of x is visible or writable.
    expectError(await call(server, 'GET', '/v1/settings/app', { token: ya }), 404, 'not_found');
    expectError(await call(server, 'GET', '/v1/tokens/t', { token: y.token() }), 404, 'not_found');
    expectError(await call(server, 'GET', '/v1/shared-tokens/s', { token: y.token() }), 404, 'not_found');
    assert.deepEqual((await call(server, 'GET', '/v1/stats?app=app', { token: y.token() })).json.days, []);
    expectError(await call(server, 'GET', `/v1/jobs/${job.id}`, { token: y.token() }), 404, 'not_found');
    expectError(await call(server, 'POST', `/v1/jobs/${job.id}/complete`, { token: y.token() }), 404, 'not_found');
    expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: y.token(), body: { cursor: 'x' } }), 404, 'not_found');
    // A body naming another tenant changes nothing.
    expectError(await call(server, 'POST', '/v1/deletion', { token: ya, body: { confirm: x.sub } }), 400, 'confirmation_mismatch');
    const report = (await call(server, 'GET', '/v1/report', { token: ya })).json;
    assert.equal(report.subdomain, y.sub);
    assert.equal(report.categories.settings.count, 0);
    assert.equal(report.categories.jobs.count, 0);
    assert.equal((await call(server, 'GET', `/v1/jobs/${job.id}`, { token: x.token() })).status, 200);
    assert.equal((await call(server, 'GET', '/v1/settings/app', { token: xa })).json.settings.owner, 'x');
  });

  test('a ciphertext moved to another row does not open (associated data)', async () => {
    const t = newTenant();
    await call(server, 'PUT', '/v1/tokens/moved', { token: t.token({ agent: '31' }), body: { value: 'value-of-31' } });
    await call(server, 'PUT', '/v1/tokens/moved', { token: t.token({ agent: '32' }), body: { value: 'value-of-32' } });
    const id = t.id();
    backend.query(`UPDATE tokens SET value = (SELECT value FROM tokens WHERE tenant_id = '${id}' AND agent_id = '31') WHERE tenant_id = '${id}' AND agent_id = '32'`);
    expectError(await call(server, 'GET', '/v1/tokens/moved', { token: t.token({ agent: '32' }) }), 500, 'internal_error');
    assert.equal((await call(server, 'GET', '/v1/tokens/moved', { token: t.token({ agent: '31' }) })).json.value, 'value-of-31');
  });

  // ---- report ---------------------------------------------------------------------------

  test('report lists everything stored, by category, with retention dates and no secrets', async () => {
    const t = newTenant();
    const admin = t.admin({ email: 'admin@example.com' });
    await call(server, 'PUT', '/v1/agents/me', { token: admin });
    await call(server, 'PUT', '/v1/agents/me', { token: t.token({ agent: '21', email: 'agent21@example.com' }) });
    await call(server, 'PUT', '/v1/tokens/crm', { token: t.token({ agent: '21' }), body: { value: 'REPORT-TOKEN-VALUE' } });
    await call(server, 'PUT', '/v1/shared-tokens/api', { token: admin, body: { value: 'REPORT-SHARED-VALUE' } });
    await call(server, 'PUT', '/v1/settings/sidebar', { token: admin, body: { settings: { k: 'v' } } });
    await call(server, 'POST', '/v1/stats', { token: admin, body: { app: 'sidebar', counters: { a: 1, b: 2 } } });
    const job = (await call(server, 'POST', '/v1/jobs', { token: admin, body: { kind: 'k', ids: { ticket: [1, 2] }, cursor: 'c' } })).json;
    const r = await call(server, 'GET', '/v1/report', { token: admin });
    assert.equal(r.status, 200, r.text);
    const rep = r.json;
    assert.equal(rep.subdomain, t.sub);
    assert.equal(rep.storage_region, 'eu-central-1');
    assert.equal(rep.tenant.status, 'active');
    assert.equal(rep.tenant.deletion_due_at, null);
    assert.deepEqual(Object.keys(rep.categories).sort(),
      ['access_days', 'agents', 'declared_policies', 'jobs', 'sessions', 'settings', 'shared_tokens', 'stats', 'tokens']);
    assert.deepEqual(rep.categories.agents.items.map((a) => [a.id, a.email, a.role]).sort(),
      [['21', 'agent21@example.com', 'agent'], ['9001', 'admin@example.com', 'admin']]);
    assert.deepEqual(rep.categories.tokens.items.map((x) => [x.agent_id, x.name]), [['21', 'crm']]);
    assert.deepEqual(rep.categories.shared_tokens.items.map((x) => x.name), ['api']);
    assert.equal(rep.categories.settings.items[0].app, 'sidebar');
    assert.equal(rep.categories.stats.count, 2);
    assert.deepEqual(rep.categories.stats.items[0].counters, { a: 1, b: 2 });
    assert.equal(rep.categories.jobs.items[0].id, job.id);
    assert.deepEqual(rep.categories.jobs.items[0].id_counts, { ticket: 2, user: 0, organization: 0 });
    assert.equal(rep.categories.jobs.items[0].retained_until, job.delete_at);
    assert.ok(rep.retention.tenant_data && rep.retention.jobs && rep.retention.tokens);
    assert.ok(rep.retention.declared_policies && rep.retention.access_days);
    assert.deepEqual(rep.access, { declared: [], observed: [], apps: [] });
    for (const secret of ['REPORT-TOKEN-VALUE', 'REPORT-SHARED-VALUE', t.secret]) {
      assert.ok(!r.text.includes(secret), `report leaks ${secret}`);
    }
  });

  // ---- declared and observed access --------------------------------------------------------

  const APP = 'ticket-summary';
  const policyDoc = (extra = {}) => ({ version: 1, name: APP, resources: { ticket: 'id,subject' }, zaf: ['ticket.subject'], ...extra });
  const declare = (t, token, body, app = APP) => call(server, 'PUT', `/v1/access/policies/${app}`, { token, body });
  const observe = (token, body, instance = server) => call(instance, 'POST', '/v1/access/observed', { token, body });
  const accessOf = async (t) => {
    const r = await call(server, 'GET', '/v1/report', { token: t.admin() });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const countRows = (table, tenantId) => Number(backend.query(`SELECT COUNT(*) FROM ${table} WHERE tenant_id = '${tenantId}'`)[0][0]);
  const today = () => new Date(ctx.nowSeconds() * 1000).toISOString().slice(0, 10);
  const MAX = 2 ** 53 - 1;

  test('access: any signed-in user declares the policy its copy runs; one row per distinct declaration', async () => {
    const t = newTenant('acc');
    const first = await declare(t, t.token(), policyDoc());
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(Object.keys(first.json).sort(), ['app', 'delete_after', 'first_declared', 'last_declared', 'policy_hash']);
    assert.equal(first.json.app, APP);
    assert.match(first.json.policy_hash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(first.json.first_declared, first.json.last_declared);
    assert.equal(Date.parse(first.json.delete_after) - Date.parse(first.json.last_declared), 30 * DAY * 1000);
    // The same policy written otherwise is the same declaration: declaring it again (another
    // user, later) only moves last_declared.
    await new Promise((r) => setTimeout(r, 5));
    const same = await call(server, 'PUT', `/v1/access/policies/${APP}`, { token: t.admin(), headers: { 'content-type': 'application/json' },
      rawBody: `{ "zaf": ["ticket.subject", "ticket.subject"], "resources": {"ticket": " id , subject"}, "name": "${APP}", "version": 1 }` });
    assert.equal(same.status, 200, same.text);
    assert.equal(same.json.policy_hash, first.json.policy_hash);
    assert.equal(same.json.first_declared, first.json.first_declared);
    assert.ok(same.json.last_declared > first.json.last_declared, `${same.json.last_declared} after ${first.json.last_declared}`);
    // A copy that reads more declares another policy: that is how a changed copy shows.
    const changed = await declare(t, t.token({ agent: '77' }), policyDoc({ zaf: ['ticket.subject', 'ticket.requester.email'] }));
    assert.equal(changed.status, 200, changed.text);
    assert.notEqual(changed.json.policy_hash, first.json.policy_hash);
    assert.equal(countRows('declared_policies', t.id()), 2);

    const rep = await accessOf(t);
    assert.equal(rep.categories.declared_policies.count, 2);
    assert.deepEqual(rep.categories.declared_policies.encrypted, ['declaration']);
    assert.deepEqual(rep.access.declared.map((d) => d.policy_hash), [changed.json.policy_hash, first.json.policy_hash]); // newest first
    for (const d of rep.access.declared) {
      // The hash names the canonical (JCS) declaration, checked independently of the endpoint.
      assert.equal(d.policy_hash, `sha256:${createHash('sha256').update(jcs(d.declaration)).digest('hex')}`);
      assert.deepEqual(Object.keys(d.declaration).sort(), ['limits', 'name', 'read', 'redact', 'requests', 'write', 'zaf']);
      assert.equal(d.app, APP);
    }
    const original = rep.access.declared.find((d) => d.policy_hash === first.json.policy_hash);
    // Canonical: rules sorted by their text, the pagination envelope among them.
    assert.match(original.declaration.read, /,results\[result_type=ticket\]\(id,subject\),ticket\(id,subject\),tickets\(id,subject\)$/);
    assert.deepEqual(original.declaration.zaf, ['ticket.subject']);
    assert.equal(original.first_declared, first.json.first_declared);
    assert.equal(original.last_declared, same.json.last_declared);
    assert.equal(original.delete_after, same.json.delete_after);
    assert.deepEqual(rep.access.apps.map((a) => [a.app, a.declared_policy_hashes.length, a.days_observed]), [[APP, 2, 0]]);
  });

  test('access: declaring validates the app name, the body and the policy; a refused declaration stores nothing', async () => {
    const t = newTenant('acc');
    const a = t.token();
    expectError(await declare(t, a, policyDoc(), 'Bad_App'), 400, 'invalid_request');
    expectError(await declare(t, a, policyDoc(), '-x'), 400, 'invalid_request');
    for (const [body, message] of [
      [{ version: 2, select: 'a' }, /version must be 1/],
      [{ version: 1 }, /at least one of select and resources/],
      [{ version: 1, select: 'a((' }, /select/],
      [{ version: 1, resources: { nope: 'id' } }, /unknown resource/],
      [{ version: 1, select: 'a', owner: 'x' }, /unknown member/],
      [{ version: 1, select: 'a', requests: ['FETCH /x'] }, /requests/],
    ]) {
      const r = await declare(t, a, body);
      expectError(r, 422, 'invalid_policy');
      assert.match(r.json.error.message, message);
    }
    expectError(await declare(t, a, [policyDoc()]), 400, 'invalid_request');
    const raw = (rawBody, type = 'application/json') => call(server, 'PUT', `/v1/access/policies/${APP}`, { token: a, rawBody, headers: { 'content-type': type } });
    expectError(await raw('{"version":1,'), 400, 'invalid_json');
    expectError(await raw('{"version":1,"select":"a","select":"b"}'), 400, 'invalid_json');
    expectError(await raw(JSON.stringify(policyDoc()), 'text/plain'), 415, 'unsupported_media_type');
    expectError(await raw(JSON.stringify(policyDoc({ name: 'x'.repeat(1024 * 1024) }))), 413, 'payload_too_large');
    assert.equal(countRows('declared_policies', t.id()), 0);
  });

  test('access: observed posts (any signed-in user) merge into one row per app and UTC day; counters saturate at 2^53-1', async () => {
    const t = newTenant('acc');
    const declared = (await declare(t, t.token(), policyDoc())).json.policy_hash;
    const undeclared = `sha256:${'ab'.repeat(32)}`;
    const first = await observe(t.token(), {
      app: APP, policy_hash: declared, calls: 2, bytes_in: 48211, bytes_out: 1210, fields_kept: 3, fields_dropped: 40,
      kept_paths: { 'tickets[].id': 2, 'tickets[].subject': 1 }, refused_requests: { 'PUT /api/v2/tickets/{id}.json': 1 },
      zaf_read: { 'ticket.subject': 2 }, zaf_refused: { 'ticket.requester.email': 1 },
    });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json, { app: APP, day: today(), delete_after: new Date(Date.parse(`${today()}T00:00:00Z`) + 30 * DAY * 1000).toISOString() });
    assert.equal((await observe(t.token({ agent: '2' }), { app: APP, calls: 1, kept_paths: { 'tickets[].id': 1 } })).status, 200);
    assert.equal((await observe(t.admin(), { app: APP, policy_hash: undeclared, calls: 1, zaf_read: { 'ticket.requester.email': 1 } })).status, 200);
    assert.equal((await observe(t.token(), { app: 'other-app' })).status, 200); // a report of nothing: the app ran
    assert.equal(countRows('access_days', t.id()), 2);

    const rep = await accessOf(t);
    assert.equal(rep.categories.access_days.count, 2);
    assert.deepEqual(rep.categories.access_days.encrypted, ['observed']);
    assert.deepEqual(rep.categories.access_days.items.map((d) => [d.app, d.day]), [['other-app', today()], [APP, today()]]);
    const day = rep.access.observed.find((d) => d.app === APP);
    assert.deepEqual(day, {
      app: APP, day: today(), delete_after: first.json.delete_after, reports: 3,
      policy_hashes: { [declared]: 1, [undeclared]: 1 },
      calls: 4, bytes_in: 48211, bytes_out: 1210, fields_kept: 3, fields_dropped: 40,
      kept_paths: { 'tickets[].id': 3, 'tickets[].subject': 1 }, refused_requests: { 'PUT /api/v2/tickets/{id}.json': 1 },
      zaf_read: { 'ticket.subject': 2, 'ticket.requester.email': 1 }, zaf_refused: { 'ticket.requester.email': 1 },
    });
    // Declared next to observed, per app: the hash no declaration has stands out.
    const app = rep.access.apps.find((x) => x.app === APP);
    assert.deepEqual(app.declared_policy_hashes, [declared]);
    assert.deepEqual(app.undeclared_policy_hashes, [undeclared]);
    assert.equal(app.days_observed, 1);
    assert.deepEqual(app.observed, Object.fromEntries(Object.entries(day).filter(([k]) => !['app', 'day', 'delete_after'].includes(k))));
    const other = rep.access.apps.find((x) => x.app === 'other-app');
    assert.deepEqual([other.declared_policy_hashes, other.undeclared_policy_hashes, other.observed.reports, other.observed.kept_paths], [[], [], 1, {}]);

    for (let i = 0; i < 2; i++) {
      assert.equal((await observe(t.token(), { app: 'big', bytes_in: MAX, calls: MAX - 1, kept_paths: { x: MAX } })).status, 200);
    }
    const big = (await accessOf(t)).access.observed.find((d) => d.app === 'big');
    assert.deepEqual([big.bytes_in, big.calls, big.kept_paths.x, big.reports], [MAX, MAX, MAX, 2]);
  });

  test('access: observed posts are validated strictly; a refused post stores nothing', async () => {
    const t = newTenant('acc');
    const a = t.token();
    const marker = unique('refused').replace('-', '');
    const bad = [
      {},
      { app: 'Bad App' },
      { app: 5 },
      { app: APP, user: 'someone' },
      { app: APP, calls: -1 },
      { app: APP, calls: 1.5 },
      { app: APP, calls: '3' },
      { app: APP, bytes_in: 2 ** 53 },
      { app: APP, fields_kept: null },
      { app: APP, policy_hash: `sha1:${'a'.repeat(40)}` },
      { app: APP, policy_hash: `sha256:${'A'.repeat(64)}` },
      { app: APP, policy_hash: `sha256:${'a'.repeat(63)}` },
      { app: APP, policy_hash: null },
      { app: APP, kept_paths: [] },
      { app: APP, kept_paths: 'tickets[].id' },
      { app: APP, kept_paths: { '': 1 } },
      { app: APP, kept_paths: { ['x'.repeat(257)]: 1 } },
      { app: APP, kept_paths: { ['é'.repeat(128) + 'x']: 1 } }, // 257 bytes
      { app: APP, kept_paths: { 'a\u0000b': 1 } },
      { app: APP, zaf_read: { 'a\nb': 1 } },
      { app: APP, zaf_read: { 'a\u007fb': 1 } },
      { app: APP, refused_requests: { 'GET /x\u0085': 1 } },
      { app: APP, kept_paths: { a: -1 } },
      { app: APP, zaf_refused: { a: true } },
      { app: APP, kept_paths: { a: 2 ** 53 } },
      { app: APP, kept_paths: { [`tickets[].${marker}`]: 1 }, zaf_read: { a: 'many' } },
    ];
    for (const body of bad) {
      const r = await observe(a, body);
      expectError(r, 422, 'invalid_access');
      assert.ok(!r.text.includes(marker) && !r.text.includes('someone'), r.text);
    }
    // Too many names in one post.
    const names = (n, prefix) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 1]));
    expectError(await observe(a, { app: APP, kept_paths: names(1500, 'p'), zaf_read: names(501, 'z') }), 422, 'too_many_entries');
    // Names, never values: whatever a detector finds is refused, naming no value.
    const email = `${marker}@example.com`;
    for (const [body, type] of [
      [{ app: APP, calls: 1, kept_paths: { 'tickets[].id': 1, [`users[].by_email.${email}`]: 1 } }, 'email'],
      [{ app: APP, refused_requests: { 'GET /api/v2/search.json?query=DE89370400440532013000': 1 } }, 'iban'],
      [{ app: APP, zaf_refused: { 'ticket.customField:4111 1111 1111 1111': 1 } }, 'credit_card'],
      [{ app: APP, zaf_read: { 'ticket.requester.+49 30 12345678': 1 } }, 'phone'],
    ]) {
      const r = await observe(a, body);
      expectError(r, 422, 'personal_data');
      assert.match(r.json.error.message, new RegExp(`\\(${type}\\)`));
      for (const value of [marker, 'DE89', '4111', '12345678']) assert.ok(!r.text.includes(value), r.text);
    }
    // Names that are not UTF-8 never reach the check: the body is not JSON.
    const notUtf8 = Buffer.concat([Buffer.from(`{"app":"${APP}","kept_paths":{"a`), Buffer.from([0xff]), Buffer.from('":1}}')]);
    expectError(await call(server, 'POST', '/v1/access/observed', { token: a, rawBody: notUtf8, headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
    expectError(await call(server, 'POST', '/v1/access/observed', { token: a, rawBody: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    assert.equal(countRows('access_days', t.id()), 0, 'a refused post stores nothing');

    // The limits themselves pass: 256 bytes, 2,000 names.
    assert.equal((await observe(a, { app: APP, kept_paths: { ['é'.repeat(128)]: 1 } })).status, 200);
    assert.equal((await observe(a, { app: APP, kept_paths: names(1500, 'p'), zaf_read: names(500, 'z') })).status, 200);
    assert.deepEqual(filesContaining(await backend.rawBytes(), marker), []);
  });

  test('access: one app\'s day holds at most 10,000 distinct names; posts of known names still merge', async () => {
    const t = newTenant('acc');
    const names = (from, n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tickets[].f${from + i}`, 1]));
    for (let i = 0; i < 5; i++) {
      const r = await observe(t.token(), { app: APP, kept_paths: names(i * 2000, 2000) });
      assert.equal(r.status, 200, r.text);
    }
    expectError(await observe(t.token(), { app: APP, policy_hash: `sha256:${'0'.repeat(64)}` }), 422, 'too_many_entries');
    expectError(await observe(t.token(), { app: APP, kept_paths: names(10000, 1) }), 422, 'too_many_entries');
    assert.equal((await observe(t.token(), { app: APP, calls: 1, kept_paths: names(0, 10) })).status, 200);
    const day = (await accessOf(t)).access.observed[0];
    assert.equal(Object.keys(day.kept_paths).length, 10000);
    assert.deepEqual([day.reports, day.calls, day.kept_paths['tickets[].f0'], day.kept_paths['tickets[].f10']], [6, 1, 2, 1]);
  });

  test('access: agents declare and report, only admins read the report; tenants are isolated; a lapsed subscription can do neither', async () => {
    const x = newTenant('acc');
    const y = newTenant('acc');
    const hash = (await declare(x, x.token(), policyDoc())).json.policy_hash;
    assert.equal((await observe(x.token(), { app: APP, policy_hash: hash, calls: 1 })).status, 200);
    expectError(await call(server, 'GET', '/v1/report', { token: x.token() }), 403, 'forbidden');
    // The same app and policy in another tenant: its own rows, nothing of the other's.
    const yRep = await accessOf(y);
    assert.deepEqual([yRep.access.declared, yRep.access.observed, yRep.access.apps], [[], [], []]);
    assert.equal((await declare(y, y.token(), policyDoc())).json.first_declared !== undefined, true);
    const yAfter = await accessOf(y);
    assert.equal(yAfter.access.declared.length, 1);
    assert.deepEqual(yAfter.access.observed, []);
    assert.equal((await accessOf(x)).access.observed[0].calls, 1);

    assert.equal(ctx.cli(['tenant', 'deactivate', x.sub, '--reason', 'subscription_lapsed']).status, 0);
    expectError(await declare(x, x.token(), policyDoc()), 403, 'tenant_inactive');
    expectError(await observe(x.token(), { app: APP, calls: 1 }), 403, 'tenant_inactive');
    assert.equal((await accessOf(x)).access.observed[0].calls, 1); // the report stays open
    assert.equal(ctx.cli(['tenant', 'activate', x.sub]).status, 0);
  });

  test('access: concurrent posts for one app and day, on two instances, all land', async () => {
    const second = await ctx.serve(['--sweep-interval', '0', '--rate-limit', '0', '--auth-failure-limit', '0']);
    try {
      const t = newTenant('acc');
      const posts = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        observe(t.token({ agent: String(100 + i) }), { app: APP, calls: 1, kept_paths: { [`tickets[].f${i}`]: 1, 'tickets[].id': 1 } }, i % 2 ? second : server)));
      assert.deepEqual(posts.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`), []);
      const day = (await accessOf(t)).access.observed[0];
      assert.deepEqual([day.reports, day.calls, day.kept_paths['tickets[].id'], Object.keys(day.kept_paths).length], [30, 30, 30, 31]);
      assert.equal(countRows('access_days', t.id()), 1);
    } finally {
      await second.stop();
    }
  });

  test('access: declarations and observed paths are sealed at rest; no policy hash is stored in clear (database bytes)', async () => {
    const t = newTenant('acc');
    const declMarker = unique('declmark').replace('-', '');
    const pathMarker = unique('pathmark').replace('-', '');
    const app = unique('sealed').replace('-', '');
    const declared = await declare(t, t.token(), { version: 1, select: `tickets(id,custom_fields[id=${declMarker}](value))` }, app);
    assert.equal(declared.status, 200, declared.text);
    const posted = await observe(t.token(), { app, policy_hash: declared.json.policy_hash, kept_paths: { [`tickets[].${pathMarker}`]: 1 } });
    assert.equal(posted.status, 200, posted.text);
    const report = await call(server, 'GET', '/v1/report', { token: t.admin() });
    assert.ok(report.text.includes(declMarker) && report.text.includes(pathMarker), 'both are stored, and reported');
    const files = await backend.rawBytes();
    assert.ok(filesContaining(files, app).length > 0, 'the scan must see stored data (app names are in clear)');
    for (const plain of [declMarker, pathMarker, declared.json.policy_hash.slice(7)]) {
      assert.deepEqual(filesContaining(files, plain), [], `${plain} found in database bytes`);
    }
    for (const [table, column] of [['declared_policies', 'declaration'], ['access_days', 'observed']]) {
      const [[hex]] = backend.query(`SELECT ${backend.hex(column)} FROM ${table} WHERE tenant_id = '${t.id()}'`);
      assert.equal(hex.slice(0, 6).toLowerCase(), '4c4401', `${table}.${column} header`);
    }
  });

  test('access: quotas on declared policies and access days; a refused write stores nothing', async () => {
    const limited = await ctx.serve(['--sweep-interval', '0', '--auth-failure-limit', '0', '--quota',
      'declared_policies.rows=1,access_days.rows=1,access_days.bytes=1200']);
    try {
      const t = newTenant('accq');
      const put = (body, app = APP) => call(limited, 'PUT', `/v1/access/policies/${app}`, { token: t.token(), body });
      const post = (body) => observe(t.token(), body, limited);
      assert.equal((await put(policyDoc())).status, 200);
      const refused = await put(policyDoc({ zaf: ['ticket.id'] }));
      expectError(refused, 403, 'quota_exceeded');
      assert.match(refused.json.error.message, /quota for declared_policies is reached \(1 rows\)/);
      expectError(await put(policyDoc(), 'other-app'), 403, 'quota_exceeded');
      assert.equal(countRows('declared_policies', t.id()), 1);
      assert.equal((await put(policyDoc())).status, 200, 'declaring the same again takes no room');

      assert.equal((await post({ app: APP, calls: 1, kept_paths: { 'tickets[].id': 1 } })).status, 200);
      const otherApp = await post({ app: 'other-app', calls: 1 });
      expectError(otherApp, 403, 'quota_exceeded');
      assert.match(otherApp.json.error.message, /quota for access_days is reached \(1 rows\)/);
      const long = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`tickets[].${'x'.repeat(200)}${i}`, 1]));
      expectError(await post({ app: APP, calls: 5, kept_paths: long }), 403, 'quota_exceeded');
      assert.equal((await post({ app: APP, calls: 1, kept_paths: { 'tickets[].id': 1 } })).status, 200, 'known names take no more room');
      assert.equal(countRows('access_days', t.id()), 1);
      const day = (await accessOf(t)).access.observed[0];
      assert.deepEqual([day.app, day.reports, day.calls, day.kept_paths], [APP, 2, 2, { 'tickets[].id': 2 }]);
    } finally {
      await limited.stop();
    }
  });

  // ---- encryption at rest ----------------------------------------------------------------

  test('tokens, emails, settings and JWT secrets are encrypted at rest (database bytes)', async () => {
    const t = newTenant('enc');
    const marker = unique('plain').replace('-', '');
    const token = `TOKEN-${marker}-value`;
    const shared = `SHARED-${marker}-value`;
    const email = `agent-${marker}@example.com`;
    const setting = `SETTING-${marker}`;
    const stat = `stat_${marker}`; // stats are stored in clear: the positive control
    const cursor = `cursor_${marker}`;
    const ticketId = `7${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(0, 18);
    await call(server, 'PUT', '/v1/agents/me', { token: t.token({ email }) });
    assert.equal((await call(server, 'PUT', '/v1/tokens/crm', { token: t.token(), body: { value: token } })).status, 201);
    assert.equal((await call(server, 'PUT', '/v1/shared-tokens/crm', { token: t.admin(), body: { value: shared } })).status, 201);
    assert.equal((await call(server, 'PUT', '/v1/settings/enc', { token: t.admin(), body: { settings: { s: setting } } })).status, 201);
    assert.equal((await call(server, 'POST', '/v1/stats', { token: t.token(), body: { app: 'enc', counters: { [stat]: 1 } } })).status, 200);
    const job = await call(server, 'POST', '/v1/jobs', { token: t.token(), body: { kind: 'enc', ids: { ticket: [ticketId] }, cursor } });
    assert.equal(job.status, 201, job.text);
    assert.deepEqual(job.json.ids.ticket, [ticketId]);
    const patched = await call(server, 'PATCH', `/v1/jobs/${job.json.id}`, { token: t.token(), body: { ids: { user: ['42'] } } });
    assert.deepEqual([patched.json.ids, patched.json.cursor], [{ ticket: [ticketId], user: ['42'], organization: [] }, cursor]);
    const files = await backend.rawBytes();
    assert.ok(filesContaining(files, stat).length > 0, 'the scan must see stored data');
    assert.ok(filesContaining(files, t.sub).length > 0, 'the subdomain is stored in clear');
    for (const plain of [token, shared, email, setting, t.secret, cursor, ticketId]) {
      assert.deepEqual(filesContaining(files, plain), [], `plaintext ${plain} found in database bytes`);
    }
    // Every sealed value carries the header "LD", format 1, and its key version; the wrapped
    // data key format 2 (master key and tenant key file).
    const id = t.id();
    for (const [table, column, format] of [['tokens', 'value', '01'], ['shared_tokens', 'value', '01'], ['agents', 'email', '01'],
      ['settings', 'body', '01'], ['tenants', 'jwt_secret', '01'], ['jobs', 'contents', '01'], ['tenant_keys', 'wrapped_key', '02']]) {
      const where = table === 'tenants' ? `id = '${id}'` : `tenant_id = '${id}'`;
      const [[hex]] = backend.query(`SELECT ${backend.hex(column)} FROM ${table} WHERE ${where}`);
      assert.equal(hex.slice(0, 6).toLowerCase(), `4c44${format}`, `${table}.${column} header`);
    }
  });

  // ---- deletion -------------------------------------------------------------------------

  test('deletion on request: key destroyed, every row gone, signed certificate', async () => {
    const t = newTenant('del');
    const admin = t.admin({ email: 'deladmin@example.com' });
    const marker = unique('gone').replace('-', '_');
    await call(server, 'PUT', '/v1/agents/me', { token: admin });
    await call(server, 'PUT', '/v1/agents/me', { token: t.token({ email: 'delagent@example.com' }) });
    await call(server, 'PUT', '/v1/tokens/a', { token: t.token(), body: { value: `DEL-TOKEN-${marker}` } });
    await call(server, 'PUT', '/v1/tokens/b', { token: admin, body: { value: 'x' } });
    await call(server, 'PUT', '/v1/shared-tokens/s', { token: admin, body: { value: 'y' } });
    await call(server, 'PUT', '/v1/settings/app', { token: admin, body: { settings: { m: marker } } });
    await call(server, 'POST', '/v1/stats', { token: admin, body: { app: 'app', counters: { [`c1_${marker}`]: 1, c2: 2 } } });
    await call(server, 'POST', '/v1/jobs', { token: admin, body: { kind: 'k', ids: { ticket: [1] }, cursor: `cur_${marker}` } });
    const accessApp = `acc-${marker}`;
    for (const zaf of [['ticket.id'], ['ticket.id', 'ticket.subject']]) {
      assert.equal((await declare(t, t.token(), policyDoc({ zaf }), accessApp)).status, 200);
    }
    assert.equal((await observe(t.token(), { app: accessApp, calls: 1 })).status, 200);
    const id = t.id();
    assert.ok(id);
    assert.deepEqual(rowsOf(id), { tenant_keys: 1, agents: 2, tokens: 2, shared_tokens: 1, settings: 1, stats: 2, jobs: 1, declared_policies: 2, access_days: 1 });
    const stored = await backend.rawBytes();
    assert.ok(filesContaining(stored, `c1_${marker}`).length > 0); // counter names are in clear
    assert.ok(filesContaining(stored, accessApp).length > 0); // app names too

    expectError(await call(server, 'POST', '/v1/deletion', { token: admin, body: {} }), 400, 'invalid_request');
    expectError(await call(server, 'POST', '/v1/deletion', { token: admin, body: { confirm: 'someone-else' } }), 400, 'confirmation_mismatch');
    expectError(await call(server, 'POST', '/v1/deletion', { token: admin, rawBody: '{"confirm":1}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    const before = new Date(ctx.nowSeconds() * 1000 - 1000).toISOString();
    const r = await call(server, 'POST', '/v1/deletion', { token: admin, body: { confirm: t.sub } });
    assert.equal(r.status, 200, r.text);
    const cert = r.json;
    assert.equal(cert.type, 'leastdata.deletion-certificate/v1');
    assert.match(cert.certificate_id, /^dc_[A-Za-z0-9_-]+$/);
    assert.equal(cert.subdomain, t.sub);
    assert.equal(cert.trigger, 'customer_request');
    assert.equal(cert.storage_region, 'eu-central-1');
    assert.equal(cert.issuer, 'leastdata test endpoint');
    assert.deepEqual(cert.deleted, { agents: 2, tokens: 2, shared_tokens: 1, settings: 1, stats_rows: 2, jobs: 1, sessions: 0, declared_policies: 2, access_days: 1 });
    // The method claims crypto-erasure (checked before signing: the key file is gone) and
    // names what it does not cover: the identifiers kept in clear.
    assert.match(cert.method, /^crypto-erase: the tenant's key-encryption key was destroyed/);
    assert.match(cert.method, /Not covered by the crypto-erase: the identifiers kept in clear \(subdomain, agent ids/);
    assert.doesNotMatch(cert.method, /write-ahead log was truncated/);
    assert.ok(!existsSync(join(ctx.keys, 'tenants', `${id}.key`)), 'the tenant key file is destroyed');
    assert.ok(cert.requested_at >= before && cert.completed_at >= cert.requested_at);
    const keys = await jwks();
    assert.equal(cert.key_id, keys.keys[0].kid);
    assert.ok(verifyCertificate(cert, keys));
    assert.throws(() => verifyCertificate({ ...cert, subdomain: 'someone-else' }, keys), /does not verify/);
    assert.throws(() => verifyCertificate({ ...cert, deleted: { ...cert.deleted, jobs: 0 } }, keys), /does not verify/);
    assert.throws(() => verifyCertificate({ ...cert, deleted: { ...cert.deleted, access_days: 0 } }, keys), /does not verify/);

    // Nothing of the tenant is left outside the deletion log.
    assert.deepEqual(rowsOf(id), { tenant_keys: 0, agents: 0, tokens: 0, shared_tokens: 0, settings: 0, stats: 0, jobs: 0, declared_policies: 0, access_days: 0 });
    assert.equal(backend.query(`SELECT COUNT(*) FROM tenants WHERE subdomain = '${t.sub}'`)[0][0], '0');
    const log = backend.query(`SELECT certificate_id, trigger, certificate FROM deletion_log WHERE subdomain = '${t.sub}'`);
    assert.equal(log.length, 1);
    assert.deepEqual(JSON.parse(log[0][2]), cert);
    if (backend.name === 'sqlite') {
      // secure_delete zeroed the rows, the checkpoint truncated the WAL: no trace in the files.
      const files = await backend.rawBytes();
      for (const plain of [`cur_${marker}`, `c1_${marker}`, `DEL-TOKEN-${marker}`, accessApp, id]) {
        assert.deepEqual(filesContaining(files, plain), [], `${plain} left in ${filesContaining(files, plain)}`);
      }
      assert.equal(statSync(`${backend.url.slice('sqlite:'.length)}-wal`).size, 0);
    }
    // The tenant is gone for the API, and the CLI lists the certificate.
    expectError(await call(server, 'GET', '/v1/report', { token: admin }), 401, 'invalid_token');
    const list = ctx.cli(['certificate', 'list']);
    assert.equal(list.status, 0, list.stderr);
    assert.ok(list.json.some((c) => c.certificate_id === cert.certificate_id && c.trigger === 'customer_request' && c.subdomain === t.sub));
    const show = ctx.cli(['certificate', 'show', cert.certificate_id]);
    assert.equal(show.status, 0);
    assert.deepEqual(show.json, cert);
  });

  test('erasure holds for a backup: restored and served with the keys directory as it is after the deletion, it reveals nothing of the deleted tenant, while a second instance serves', async () => {
    const second = await ctx.serve(['--sweep-interval', '0', '--auth-failure-limit', '0']);
    const victim = newTenant('era');
    const bystander = newTenant('era');
    const marker = unique('erased').replace('-', '_');
    const values = {
      token: `ERASE-TOKEN-${marker}`, shared: `ERASE-SHARED-${marker}`, email: `erase-${marker}@example.com`,
      setting: `ERASE-SETTING-${marker}`, cursor: `cursor_${marker}`, ticket: `9${String(Date.now()).slice(-12)}31`,
      predicate: `erasepredicate_${marker}`, path: `erasepath_${marker}`,
    };
    const erasedPolicy = { version: 1, select: `tickets(id,custom_fields[id=${values.predicate}](value))` };
    const admin = victim.admin({ email: values.email });
    assert.equal((await call(server, 'PUT', '/v1/agents/me', { token: admin })).status, 201);
    assert.equal((await call(server, 'PUT', '/v1/tokens/crm', { token: admin, body: { value: values.token } })).status, 201);
    assert.equal((await call(server, 'PUT', '/v1/shared-tokens/crm', { token: admin, body: { value: values.shared } })).status, 201);
    assert.equal((await call(second, 'PUT', '/v1/settings/app', { token: admin, body: { settings: { s: values.setting } } })).status, 201);
    const job = await call(second, 'POST', '/v1/jobs', { token: admin, body: { kind: 'gdpr', ids: { ticket: [values.ticket] }, cursor: values.cursor } });
    assert.equal(job.status, 201, job.text);
    assert.equal((await call(second, 'PUT', '/v1/access/policies/app', { token: admin, body: erasedPolicy })).status, 200);
    assert.equal((await call(server, 'POST', '/v1/access/observed', { token: admin, body: { app: 'app', kept_paths: { [`tickets[].${values.path}`]: 1 } } })).status, 200);
    assert.equal((await call(server, 'PUT', '/v1/settings/app', { token: bystander.admin(), body: { settings: { kept: true } } })).status, 201);
    assert.equal((await call(server, 'POST', '/v1/access/observed', { token: bystander.admin(), body: { app: 'app', calls: 7 } })).status, 200);
    const victimId = victim.id();
    const bystanderId = bystander.id();

    const backup = backend.backup();
    // Positive controls: the backup holds the victim's rows, and its wrapped key opens with
    // the keys as they are now.
    assert.ok(filesContaining([backup], victim.sub).length === 1, 'the backup holds the tenant');
    const wrappedOf = (tenantId) =>
      Buffer.from(backend.query(`SELECT ${backend.hex('wrapped_key')} FROM tenant_keys WHERE tenant_id = '${tenantId}'`)[0][0], 'hex');
    const victimWrapped = wrappedOf(victimId);
    const bystanderWrapped = wrappedOf(bystanderId);
    const opensWithAny = (wrapped, tenantId, { masters, tenantKeys }) =>
      masters.some((m) => unwraps(wrapped, tenantId, m, null) || tenantKeys.some((k) => unwraps(wrapped, tenantId, m, k)));
    assert.ok(opensWithAny(victimWrapped, victimId, keysIn(ctx.keys)), 'before the deletion the key opens');

    const deletion = await call(server, 'POST', '/v1/deletion', { token: admin, body: { confirm: victim.sub } });
    assert.equal(deletion.status, 200, deletion.text);
    assert.match(deletion.json.method, /^crypto-erase/);

    // The other instance refuses the victim and serves the bystander, without a restart.
    expectError(await call(second, 'GET', '/v1/settings/app', { token: admin }), 401, 'invalid_token');
    assert.equal((await call(second, 'GET', '/v1/settings/app', { token: bystander.admin() })).status, 200);

    // No key left anywhere opens the victim's wrapped key (as it is in the backup and, on
    // PostgreSQL, in the dead tuple the live heap still holds); the bystander's still opens.
    const left = keysIn(ctx.keys);
    assert.equal(opensWithAny(victimWrapped, victimId, left), false, 'a remaining key unwraps the deleted tenant');
    assert.equal(opensWithAny(bystanderWrapped, bystanderId, left), true);

    // Restored and served with the keys directory as it is now: the victim gets nothing on
    // any route; the bystander's data is all there.
    const restored = await ctx.serve(['--sweep-interval', '0', '--auth-failure-limit', '0'], { db: backend.restore(backup) });
    for (const [method, path, body] of [['GET', '/v1/tokens/crm'], ['GET', '/v1/shared-tokens/crm'], ['GET', '/v1/settings/app'],
      ['GET', '/v1/report'], ['GET', `/v1/jobs/${job.json.id}`], ['GET', '/v1/stats?app=app'], ['PUT', '/v1/agents/me'],
      ['PUT', '/v1/access/policies/app', erasedPolicy], ['POST', '/v1/access/observed', { app: 'app', calls: 1 }],
      ['POST', '/v1/deletion', { confirm: victim.sub }]]) {
      const r = await call(restored, method, path, { token: admin, body });
      expectError(r, 401, 'invalid_token');
      for (const v of Object.values(values)) assert.ok(!r.text.includes(v), `${method} ${path} returned ${v}`);
    }
    const kept = await call(restored, 'GET', '/v1/settings/app', { token: bystander.admin() });
    assert.equal(kept.status, 200, kept.text);
    assert.deepEqual(kept.json.settings, { kept: true });
    const keptReport = await call(restored, 'GET', '/v1/report', { token: bystander.admin() });
    assert.equal(keptReport.json.access.observed[0].calls, 7, keptReport.text);
    assert.match(restored.logs(), /the tenant was erased/);

    // And no file holds the victim's values in clear: not the backup, not the live database.
    for (const v of Object.values(values)) {
      assert.deepEqual(filesContaining([backup, ...(await backend.rawBytes())], v), [], `${v} in clear`);
    }
    await restored.stop();
    await second.stop();
  });

  test('quotas: a tenant at its quota of rows or bytes gets 403 quota_exceeded and nothing is written; other tenants are unaffected; two instances cannot both take the last row', async () => {
    const quota = ['--quota', 'jobs.rows=3,tokens.bytes=400,settings.rows=1,stats.rows=2,agents.rows=2,shared_tokens.rows=1'];
    const limited = await ctx.serve(['--sweep-interval', '0', '--auth-failure-limit', '0', ...quota]);
    const twin = await ctx.serve(['--sweep-interval', '0', '--auth-failure-limit', '0', ...quota]);
    const t = newTenant('quota');
    const bystander = newTenant('quota');
    const job = { kind: 'k', ids: { ticket: [1] } };
    // Jobs: three fit; of the fourth and fifth sent at once to two instances, both are refused.
    for (let i = 0; i < 3; i++) assert.equal((await call(limited, 'POST', '/v1/jobs', { token: t.token(), body: job })).status, 201);
    const racing = await Promise.all([call(limited, 'POST', '/v1/jobs', { token: t.token(), body: job }), call(twin, 'POST', '/v1/jobs', { token: t.token(), body: job })]);
    for (const r of racing) expectError(r, 403, 'quota_exceeded');
    assert.match(racing[0].json.error.message, /quota for jobs is reached \(3 rows\)/);
    assert.equal(rowsOf(t.id()).jobs, 3);
    // The other tenant is not affected, on either instance.
    assert.equal((await call(twin, 'POST', '/v1/jobs', { token: bystander.token(), body: job })).status, 201);
    // Completing a job frees its row.
    const first = backend.query(`SELECT id FROM jobs WHERE tenant_id = '${t.id()}' ORDER BY created_at LIMIT 1`)[0][0];
    assert.equal((await call(limited, 'POST', `/v1/jobs/${first}/complete`, { token: t.token() })).status, 200);
    assert.equal((await call(twin, 'POST', '/v1/jobs', { token: t.token(), body: job })).status, 201);

    // Token bytes: values up to 400 bytes as stored; a growing write past it is refused and
    // leaves the old value; the same size again passes.
    assert.equal((await call(limited, 'PUT', '/v1/tokens/a', { token: t.token(), body: { value: 'x'.repeat(150) } })).status, 201);
    expectError(await call(limited, 'PUT', '/v1/tokens/b', { token: t.token(), body: { value: 'y'.repeat(300) } }), 403, 'quota_exceeded');
    expectError(await call(limited, 'PUT', '/v1/tokens/a', { token: t.token(), body: { value: 'z'.repeat(500) } }), 403, 'quota_exceeded');
    assert.equal((await call(limited, 'GET', '/v1/tokens/a', { token: t.token() })).json.value, 'x'.repeat(150));
    assert.equal((await call(limited, 'PUT', '/v1/tokens/a', { token: t.token(), body: { value: 'w'.repeat(150) } })).status, 200);
    expectError(await call(limited, 'GET', '/v1/tokens/b', { token: t.token() }), 404, 'not_found');

    // Settings rows (one app), shared tokens, agents, stats rows.
    assert.equal((await call(limited, 'PUT', '/v1/settings/one', { token: t.admin(), body: { settings: {} } })).status, 201);
    expectError(await call(limited, 'PUT', '/v1/settings/two', { token: t.admin(), body: { settings: {} } }), 403, 'quota_exceeded');
    assert.equal((await call(limited, 'PUT', '/v1/settings/one', { token: t.admin(), body: { settings: { a: 1 } } })).status, 200);
    assert.equal((await call(limited, 'PUT', '/v1/shared-tokens/s', { token: t.admin(), body: { value: 'v' } })).status, 201);
    expectError(await call(limited, 'PUT', '/v1/shared-tokens/t', { token: t.admin(), body: { value: 'v' } }), 403, 'quota_exceeded');
    assert.equal((await call(limited, 'PUT', '/v1/agents/me', { token: t.token({ agent: '1' }) })).status, 201);
    assert.equal((await call(limited, 'PUT', '/v1/agents/me', { token: t.token({ agent: '2' }) })).status, 201);
    expectError(await call(limited, 'PUT', '/v1/agents/me', { token: t.token({ agent: '3' }) }), 403, 'quota_exceeded');
    assert.equal((await call(limited, 'PUT', '/v1/agents/me', { token: t.token({ agent: '2' }) })).status, 200);
    assert.equal((await call(limited, 'POST', '/v1/stats', { token: t.token(), body: { app: 'q', counters: { a: 1, b: 1 } } })).status, 200);
    expectError(await call(limited, 'POST', '/v1/stats', { token: t.token(), body: { app: 'q', counters: { a: 1, c: 1 } } }), 403, 'quota_exceeded');
    assert.equal((await call(limited, 'POST', '/v1/stats', { token: t.token(), body: { app: 'q', counters: { a: 5, b: 1 } } })).status, 200);
    assert.equal(Number(backend.query(`SELECT value FROM stats WHERE tenant_id = '${t.id()}' AND name = 'a'`)[0][0]), 6); // the refused request added nothing

    // A bad --quota is a usage error, not a start.
    const bad = ctx.cli(['serve', '--listen', '127.0.0.1:0', '--quota', 'jobs.rows=-1']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--quota: a limit is a non-negative integer/);
    await limited.stop();
    await twin.stop();
  });

  // ---- lifecycle ------------------------------------------------------------------------

  test('lifecycle: deactivate, then activity reactivates; a lapsed subscription is 403', async () => {
    const t = newTenant();
    const admin = t.admin();
    const r = await call(server, 'POST', '/v1/lifecycle/deactivate', { token: admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'inactive');
    assert.equal(r.json.reason, 'uninstalled');
    assert.equal(Date.parse(r.json.deletion_due_at) - Date.parse(r.json.inactive_since), 30 * DAY * 1000);
    const again = await call(server, 'POST', '/v1/lifecycle/deactivate', { token: admin });
    assert.equal(again.json.inactive_since, r.json.inactive_since); // not postponed
    assert.equal(backend.query(`SELECT status FROM tenants WHERE subdomain = '${t.sub}'`)[0][0], 'inactive');
    const report = await call(server, 'GET', '/v1/report', { token: admin });
    assert.equal(report.json.tenant.status, 'active');
    assert.equal(backend.query(`SELECT status FROM tenants WHERE subdomain = '${t.sub}'`)[0][0], 'active');

    const lapsed = ctx.cli(['tenant', 'deactivate', t.sub, '--reason', 'subscription_lapsed']);
    assert.equal(lapsed.status, 0, lapsed.stderr);
    assert.equal(lapsed.json.reason, 'subscription_lapsed');
    expectError(await call(server, 'GET', '/v1/settings/x', { token: t.token() }), 403, 'tenant_inactive');
    expectError(await call(server, 'PUT', '/v1/agents/me', { token: t.token() }), 403, 'tenant_inactive');
    // A lapsed tenant can still ask what is stored about it (and ask for deletion, below).
    const lapsedReport = await call(server, 'GET', '/v1/report', { token: admin });
    assert.equal(lapsedReport.status, 200, lapsedReport.text);
    assert.equal(lapsedReport.json.tenant.status, 'inactive');
    expectError(await call(server, 'GET', '/v1/report', { token: t.token() }), 403, 'forbidden');
    const activated = ctx.cli(['tenant', 'activate', t.sub]);
    assert.equal(activated.status, 0);
    assert.deepEqual(activated.json, { subdomain: t.sub, status: 'active' });
    expectError(await call(server, 'GET', '/v1/settings/x', { token: t.token() }), 404, 'not_found');
  });

  test('a lapsed tenant can still request its deletion', async () => {
    const t = newTenant('lapse');
    await call(server, 'PUT', '/v1/tokens/crm', { token: t.token(), body: { value: 'v' } });
    assert.equal(ctx.cli(['tenant', 'deactivate', t.sub, '--reason', 'subscription_lapsed']).status, 0);
    const r = await call(server, 'POST', '/v1/deletion', { token: t.admin(), body: { confirm: t.sub } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.subdomain, t.sub);
    assert.equal(r.json.deleted.tokens, 1);
  });

  test('error messages never echo submitted names or values', async () => {
    const t = newTenant();
    const marker = 'jane.doe@example.com';
    const replies = [
      await call(server, 'PUT', '/v1/tokens/crm', { token: t.token(), body: { value: 'v', [marker]: 1 } }),
      await call(server, 'POST', '/v1/stats', { token: t.token(), body: { app: 'a', counters: { n: 1 }, [marker]: 1 } }),
      await call(server, 'POST', '/v1/jobs', { token: t.token(), body: { kind: 'k', [marker]: 1 } }),
      await call(server, 'POST', '/v1/stats', { token: t.token(), body: { app: 'a', counters: { n: -1 } } }),
    ];
    const job = (await call(server, 'POST', '/v1/jobs', { token: t.token(), body: { kind: 'k' } })).json;
    replies.push(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: t.token(), body: { [marker]: 1 } }));
    for (const r of replies) {
      assert.ok(r.status >= 400 && r.status < 500, r.text);
      assert.doesNotMatch(r.text, /jane/);
    }
  });

  // ---- CLI ------------------------------------------------------------------------------

  test('CLI: keys are 0600, errors are JSON with exit codes', async () => {
    for (const f of ['master-v1.key', 'ed25519-signing.key']) {
      if (existsSync(join(ctx.keys, f))) assert.equal(statSync(join(ctx.keys, f)).mode & 0o777, 0o600);
    }
    assert.equal(statSync(ctx.keys).mode & 0o777, 0o700);
    const again = ctx.cli(['keygen', '--keys', ctx.keys], { withDb: false });
    assert.equal(again.status, 1);
    assert.equal(JSON.parse(again.stderr).error.code, 'key_error');
    const t = newTenant();
    const dup = ctx.cli(['tenant', 'add', t.sub]);
    assert.equal(dup.status, 1);
    assert.equal(JSON.parse(dup.stderr).error.code, 'conflict');
    assert.equal(ctx.cli(['tenant', 'add', 'Not_Valid']).status, 2);
    assert.equal(ctx.cli(['tenant', 'deactivate', t.sub, '--reason', 'bored']).status, 2);
    assert.equal(ctx.cli(['tenant', 'activate', 'no-such-tenant']).status, 1);
    assert.equal(ctx.cli(['sweep', '--now', 'yesterday']).status, 2);
    assert.equal(ctx.cli(['certificate', 'show', 'dc_nothing']).status, 1);
    assert.equal(ctx.cli(['frobnicate']).status, 2);
    const noDb = ctx.cli(['tenant', 'add', 'x'], { withDb: false });
    assert.equal(noDb.status, 2);
    assert.equal(ctx.cli(['tenant', 'add', 'x', '--db', 'mysql://x', '--keys', ctx.keys], { withDb: false }).status, 2);
  });

  // ---- a second instance on the same database --------------------------------------------

  test('two instances at once: first agent registrations and unconditional settings writes all land', async () => {
    const second = await ctx.serve(['--sweep-interval', '0', '--rate-limit', '0']);
    try {
      const t = newTenant('race');
      const both = (method, path, options) =>
        Promise.all([call(server, method, path, options), call(second, method, path, options)]);
      // 40 new agents, each registered on both instances at the same moment.
      const registrations = (await Promise.all(
        Array.from({ length: 40 }, (_, i) => both('PUT', '/v1/agents/me', { token: t.token({ agent: String(5000 + i), email: `a${i}@x.test` }) })),
      )).flat();
      assert.deepEqual(registrations.filter((r) => r.status !== 200 && r.status !== 201).map((r) => `${r.status} ${r.text}`), []);
      assert.equal(registrations.filter((r) => r.status === 201).length, 40, 'each agent is created exactly once');
      // 30 new apps, each written unconditionally on both instances: last writer wins, nobody fails.
      const admin = t.admin();
      const writes = (await Promise.all(
        Array.from({ length: 30 }, (_, i) => both('PUT', `/v1/settings/app-${i}`, { token: admin, body: { settings: { i } } })),
      )).flat();
      assert.deepEqual(writes.filter((r) => r.status !== 200 && r.status !== 201).map((r) => `${r.status} ${r.text}`), []);
      for (let i = 0; i < 30; i++) {
        const pair = writes.slice(2 * i, 2 * i + 2);
        assert.deepEqual(pair.map((r) => r.json.version).sort(), [1, 2], `app-${i}: two versions`);
        assert.equal((await call(second, 'GET', `/v1/settings/app-${i}`, { token: admin })).json.version, 2);
      }
    } finally {
      await second.stop();
    }
  });

  test('a second instance: rate limit (429), periodic sweep, RS256 refused without a key', async () => {
    const clock = join(ctx.dir, 'second-clock');
    writeFileSync(clock, '0');
    const second = await ctx.serve(['--rate-limit', '5', '--sweep-interval', '1'], { clockFile: clock });
    try {
      const t = newTenant();
      const token = t.token();
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await call(second, 'GET', '/v1/tokens/none', { token })).status);
      assert.deepEqual(statuses.slice(0, 5), [404, 404, 404, 404, 404]);
      const limited = await call(second, 'GET', '/v1/tokens/none', { token });
      expectError(limited, 429, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      // The first instance has its own budget.
      assert.equal((await call(server, 'GET', '/v1/tokens/none', { token })).status, 404);

      const u = newTenant();
      expectError(await call(second, 'PUT', '/v1/agents/me', { token: signRS256(claims(u.sub), rsa.privateKey) }), 401, 'invalid_token');

      // The periodic sweep of `serve`: a job 8 days idle on this instance's clock goes.
      const job = (await call(server, 'POST', '/v1/jobs', { token: u.token(), body: { kind: 'k' } })).json;
      writeFileSync(clock, String(8 * DAY));
      const deadline = Date.now() + 10000;
      while (backend.query(`SELECT COUNT(*) FROM jobs WHERE id = '${job.id}'`)[0][0] !== '0' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(backend.query(`SELECT COUNT(*) FROM jobs WHERE id = '${job.id}'`)[0][0], '0');
      assert.match(second.logs(), /"event":"sweep"/);
      writeFileSync(clock, '0');
      assert.equal(await second.stop(), 0); // SIGTERM: a clean stop
      assert.match(second.logs(), /"event":"stopping"/);
    } finally {
      writeFileSync(clock, '0');
      await second.stop();
    }
  });

  // ---- master key rotation ----------------------------------------------------------------

  test('rotate-master-key rewraps every tenant key and retires the old version, without restarting', async () => {
    const t = newTenant('rot');
    await call(server, 'PUT', '/v1/tokens/keep', { token: t.token(), body: { value: 'survives-rotation' } });
    const versionsBefore = backend.query('SELECT DISTINCT master_version FROM tenant_keys').map((r) => r[0]);
    const r = ctx.cli(['rotate-master-key']);
    assert.equal(r.status, 0, r.stderr);
    const next = Math.max(...versionsBefore.map(Number)) + 1;
    assert.equal(r.json.master_key_version, next);
    assert.equal(r.json.rewrapped, Number(backend.query('SELECT COUNT(*) FROM tenant_keys')[0][0]));
    assert.equal(r.json.erased, 0);
    assert.deepEqual(r.json.retired, versionsBefore.map(Number).sort());
    assert.deepEqual(backend.query('SELECT DISTINCT master_version FROM tenant_keys').map((x) => Number(x[0])), [next]);
    for (const v of versionsBefore) assert.ok(!existsSync(join(ctx.keys, `master-v${v}.key`)));
    assert.equal(statSync(join(ctx.keys, `master-v${next}.key`)).mode & 0o777, 0o600);
    const [[hex]] = backend.query(`SELECT ${backend.hex('wrapped_key')} FROM tenant_keys WHERE tenant_id = '${t.id()}'`);
    assert.equal(Number.parseInt(hex.slice(6, 14), 16), next); // the version in the header
    // The running server reloads the keys directory and keeps working.
    assert.equal((await call(server, 'GET', '/v1/tokens/keep', { token: t.token() })).json.value, 'survives-rotation');
    const fresh = newTenant('rot');
    assert.equal((await call(server, 'PUT', '/v1/tokens/new', { token: fresh.token(), body: { value: 'v' } })).status, 201);

    const second = ctx.cli(['rotate-master-key']);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(second.json, { master_key_version: next + 1, rewrapped: r.json.rewrapped + 1, erased: 0, retired: [next] });
    assert.equal((await call(server, 'GET', '/v1/tokens/new', { token: fresh.token() })).json.value, 'v');
    // A key is wrapped under the master key and its tenant's key file together: format 2.
    const [[after]] = backend.query(`SELECT ${backend.hex('wrapped_key')} FROM tenant_keys WHERE tenant_id = '${t.id()}'`);
    assert.equal(after.slice(0, 6).toLowerCase(), '4c4402');
    assert.equal(statSync(join(ctx.keys, 'tenants', `${t.id()}.key`)).mode & 0o777, 0o600);
    assert.equal(statSync(join(ctx.keys, 'tenants')).mode & 0o777, 0o700);
  });

  // ---- retention (moves the clock: keep last) ----------------------------------------------

  test('retention: jobs kept at day 6, gone at day 8 (hidden before the sweep, deleted by it)', async (tc) => {
    tc.after(() => ctx.setOffset(0));
    const t = newTenant('ret');
    const a = t.token();
    const running = (await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'idle', ids: { ticket: [1] } } })).json;
    const stopped = (await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'stopped' } })).json;
    const touched = (await call(server, 'POST', '/v1/jobs', { token: a, body: { kind: 'active' } })).json;
    await call(server, 'POST', `/v1/jobs/${stopped.id}/stop`, { token: a });
    const t0 = ctx.nowSeconds();
    const at = (days) => new Date((t0 + days * DAY) * 1000).toISOString();
    const jobRows = () => Number(backend.query(`SELECT COUNT(*) FROM jobs WHERE tenant_id = '${t.id()}'`)[0][0]);
    const expiredToken = new Date((t0 + 5 * DAY) * 1000).toISOString();
    await call(server, 'PUT', '/v1/tokens/short', { token: a, body: { value: 'v', expires_at: expiredToken } });

    ctx.setOffset(4 * DAY);
    assert.equal((await call(server, 'PATCH', `/v1/jobs/${touched.id}`, { token: t.token(), body: { cursor: 'p2' } })).status, 200);

    ctx.setOffset(6 * DAY);
    for (const job of [running, stopped, touched]) {
      assert.equal((await call(server, 'GET', `/v1/jobs/${job.id}`, { token: t.token() })).status, 200, job.kind);
    }
    expectError(await call(server, 'GET', '/v1/tokens/short', { token: t.token() }), 404, 'not_found'); // past expires_at
    const day6 = ctx.cli(['sweep', '--now', at(6)]);
    assert.equal(day6.status, 0, day6.stderr);
    assert.equal(jobRows(), 3);

    ctx.setOffset(8 * DAY);
    for (const job of [running, stopped]) {
      expectError(await call(server, 'GET', `/v1/jobs/${job.id}`, { token: t.token() }), 404, 'not_found');
      expectError(await call(server, 'PATCH', `/v1/jobs/${job.id}`, { token: t.token(), body: { cursor: 'x' } }), 404, 'not_found');
      expectError(await call(server, 'POST', `/v1/jobs/${job.id}/stop`, { token: t.token() }), 404, 'not_found');
    }
    assert.equal((await call(server, 'GET', `/v1/jobs/${touched.id}`, { token: t.token() })).status, 200);
    const report = (await call(server, 'GET', '/v1/report', { token: t.admin() })).json;
    assert.deepEqual(report.categories.jobs.items.map((j) => j.id), [touched.id]);
    assert.equal(jobRows(), 3); // hidden, not yet deleted
    const day8 = ctx.cli(['sweep', '--now', at(8)]);
    assert.equal(day8.status, 0, day8.stderr);
    assert.ok(day8.json.jobs_deleted >= 2);
    assert.equal(jobRows(), 1);
    assert.equal(Number(backend.query(`SELECT COUNT(*) FROM tokens WHERE tenant_id = '${t.id()}'`)[0][0]), 0);
    ctx.setOffset(0);
  });

  test('retention: declared policies and access days kept at day 29, gone at day 31 (hidden before the sweep, deleted by it)', async (tc) => {
    tc.after(() => ctx.setOffset(0));
    const t = newTenant('accret');
    const t0 = ctx.nowSeconds();
    const at = (days) => new Date((t0 + days * DAY) * 1000).toISOString();
    const dayOf = (days) => at(days).slice(0, 10);
    const old = (await declare(t, t.token(), policyDoc())).json;
    assert.equal((await observe(t.token(), { app: APP, policy_hash: old.policy_hash, calls: 1 })).status, 200);

    ctx.setOffset(10 * DAY);
    const newer = (await declare(t, t.token(), policyDoc({ zaf: ['ticket.id'] }))).json;
    assert.equal((await observe(t.token(), { app: APP, policy_hash: newer.policy_hash, calls: 2 })).status, 200);

    ctx.setOffset(29 * DAY);
    const day29 = await accessOf(t);
    assert.deepEqual(day29.access.declared.map((d) => d.policy_hash), [newer.policy_hash, old.policy_hash]);
    assert.deepEqual(day29.access.observed.map((d) => d.day), [dayOf(0), dayOf(10)]);
    assert.equal(ctx.cli(['sweep', '--now', at(29)]).status, 0);
    assert.deepEqual([countRows('declared_policies', t.id()), countRows('access_days', t.id())], [2, 2]);

    ctx.setOffset(31 * DAY);
    // Past the deadline, before the sweep: gone for every query.
    const day31 = await accessOf(t);
    assert.deepEqual(day31.access.declared.map((d) => d.policy_hash), [newer.policy_hash]);
    assert.deepEqual(day31.access.observed.map((d) => d.day), [dayOf(10)]);
    assert.deepEqual(day31.access.apps[0].undeclared_policy_hashes, []);
    assert.deepEqual([day31.categories.declared_policies.count, day31.categories.access_days.count], [1, 1]);
    assert.deepEqual([countRows('declared_policies', t.id()), countRows('access_days', t.id())], [2, 2]);
    const sweep = ctx.cli(['sweep', '--now', at(31)]);
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.deepEqual([countRows('declared_policies', t.id()), countRows('access_days', t.id())], [1, 1]);

    // Declared again after its deadline but before a sweep, a policy starts afresh (and the
    // sweep then keeps it).
    ctx.setOffset(41 * DAY);
    assert.equal(countRows('declared_policies', t.id()), 1, 'the newer one, past its deadline, not swept yet');
    const again = (await declare(t, t.token(), policyDoc({ zaf: ['ticket.id'] }))).json;
    assert.equal(again.policy_hash, newer.policy_hash);
    assert.equal(again.first_declared, again.last_declared);
    assert.ok(again.first_declared >= at(41).slice(0, 16), again.first_declared);
    assert.equal(ctx.cli(['sweep', '--now', at(41)]).status, 0);
    assert.equal(countRows('declared_policies', t.id()), 1);
    assert.deepEqual((await accessOf(t)).access.declared.map((d) => [d.policy_hash, d.first_declared]), [[newer.policy_hash, again.first_declared]]);
    ctx.setOffset(0);
  });

  test('retention: inactive tenants kept at day 29, deleted with a certificate at day 31', async (tc) => {
    tc.after(() => ctx.setOffset(0));
    const lapsed = newTenant('lapsed');
    const uninstalled = newTenant('gone');
    const returning = newTenant('back');
    for (const t of [lapsed, uninstalled, returning]) {
      await call(server, 'PUT', '/v1/agents/me', { token: t.token({ email: `x@${t.sub}.example` }) });
      await call(server, 'PUT', '/v1/tokens/t', { token: t.token(), body: { value: 'v' } });
      await call(server, 'POST', '/v1/stats', { token: t.token(), body: { app: 'a', counters: { n: 1 } } });
    }
    const ids = { lapsed: lapsed.id(), uninstalled: uninstalled.id() };
    const t0 = ctx.nowSeconds();
    const at = (days) => new Date((t0 + days * DAY) * 1000).toISOString();
    const lapsedOut = ctx.cli(['tenant', 'deactivate', lapsed.sub, '--reason', 'subscription_lapsed']);
    assert.equal(lapsedOut.status, 0, lapsedOut.stderr);
    const uninstalledOut = await call(server, 'POST', '/v1/lifecycle/deactivate', { token: uninstalled.admin() });
    assert.equal(uninstalledOut.status, 200);
    const dueAt = { [lapsed.sub]: lapsedOut.json.deletion_due_at, [uninstalled.sub]: uninstalledOut.json.deletion_due_at };
    assert.equal((await call(server, 'POST', '/v1/lifecycle/deactivate', { token: returning.admin() })).status, 200);

    ctx.setOffset(29 * DAY);
    const day29 = ctx.cli(['sweep', '--now', at(29)]);
    assert.equal(day29.status, 0, day29.stderr);
    assert.ok(!day29.json.certificates.some((c) => [lapsed.sub, uninstalled.sub, returning.sub].includes(c.subdomain)));
    assert.equal(rowsOf(ids.lapsed).tenant_keys, 1);
    assert.equal(rowsOf(ids.uninstalled).agents, 1);
    // Activity on day 29 brings the uninstalled app back.
    assert.equal((await call(server, 'GET', '/v1/report', { token: returning.admin() })).json.tenant.status, 'active');

    ctx.setOffset(31 * DAY);
    // Past the deadline, before the sweep: gone for every query.
    expectError(await call(server, 'GET', '/v1/report', { token: uninstalled.admin() }), 401, 'invalid_token');
    const activate = ctx.cli(['tenant', 'activate', lapsed.sub]);
    assert.equal(activate.status, 1);
    assert.match(JSON.parse(activate.stderr).error.message, /retention deadline/);
    assert.equal(rowsOf(ids.lapsed).tenant_keys, 1);

    const day31 = ctx.cli(['sweep', '--now', at(31)]);
    assert.equal(day31.status, 0, day31.stderr);
    assert.ok(day31.json.tenants_deleted >= 2);
    assert.equal(day31.json.tenants_deleted, day31.json.certificates.length);
    const keys = await jwks();
    for (const t of [lapsed, uninstalled]) {
      const cert = day31.json.certificates.find((c) => c.subdomain === t.sub);
      assert.ok(cert, `certificate for ${t.sub}`);
      assert.equal(cert.trigger, 'retention_inactive_30d');
      assert.equal(cert.completed_at, at(31)); // the sweep's --now
      assert.equal(cert.requested_at, dueAt[t.sub]); // when the 30 days ran out
      assert.deepEqual(cert.deleted, { agents: 1, tokens: 1, shared_tokens: 0, settings: 0, stats_rows: 1, jobs: 0, sessions: 0, declared_policies: 0, access_days: 0 });
      assert.ok(verifyCertificate(cert, keys));
      // One sweep erased several tenants: each one's key file is gone, each claim checked.
      assert.match(cert.method, /^crypto-erase/);
      assert.ok(!existsSync(join(ctx.keys, 'tenants', `${ids[t === lapsed ? 'lapsed' : 'uninstalled']}.key`)));
      assert.deepEqual(rowsOf(t.id() ?? ids[t === lapsed ? 'lapsed' : 'uninstalled']), { tenant_keys: 0, agents: 0, tokens: 0, shared_tokens: 0, settings: 0, stats: 0, jobs: 0, declared_policies: 0, access_days: 0 });
      assert.equal(t.id(), undefined);
      const logged = ctx.cli(['certificate', 'show', cert.certificate_id]);
      assert.deepEqual(logged.json, cert);
    }
    assert.ok(!day31.json.certificates.some((c) => c.subdomain === returning.sub));
    assert.ok(existsSync(join(ctx.keys, 'tenants', `${returning.id()}.key`)), 'the tenant that stays keeps its key');
    assert.equal((await call(server, 'GET', '/v1/report', { token: returning.admin() })).status, 200);
    const list = ctx.cli(['certificate', 'list']).json;
    assert.equal(list.filter((c) => c.trigger === 'retention_inactive_30d' && [lapsed.sub, uninstalled.sub].includes(c.subdomain)).length, 2);
    // A second pass finds nothing more to do.
    assert.equal(ctx.cli(['sweep', '--now', at(31)]).json.tenants_deleted, 0);
    ctx.setOffset(0);
  });

  // ---- logs (last: sees everything above) -------------------------------------------------

  test('logs are JSON lines without personal data or secrets', async () => {
    const lines = server.logs().split('\n').filter(Boolean);
    assert.ok(lines.length > 50);
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.ok(entry.ts && entry.level && entry.event, line);
    }
    const text = server.logs();
    for (const needle of ['@example.com', 'zendesk.com', 'secret-of-11', 'survives-rotation', 'REPORT-TOKEN-VALUE', '/v1/jobs/job_', 'enc-', 'del-']) {
      assert.ok(!text.includes(needle), `log contains ${needle}`);
    }
  });
}

// HS256 over an exact header.payload text (for payloads JSON.stringify cannot produce).
import { createHmac } from 'node:crypto';
function signHS256Raw(signed, secret) {
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}
