// The endpoint client (ld.endpoint) without a server: origin pinning, redirects, the
// ZAF secure-setting JWT flow, job IDs and access-report names checked in wasm before
// anything is sent, the in-memory settings cache and error mapping. Declared and observed
// access also against the real endpoint (on SQLite), at the end; the rest of the client
// against the real endpoint is tested in tests/endpoint/.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { load, LeastDataError } from '../../dist/node.js';
import { endpointContext, requireBinary, signHS256, sqliteBackend } from '../endpoint/helpers.js';

const ld = await load();

function fakeFetch(responder) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), init });
    return responder(String(url), init);
  };
  return { fetch, calls };
}

const json = (status, body, headers = {}) =>
  new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function expectCode(promiseOrFn, code) {
  return assert.rejects(async () => (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn), (e) => {
    assert.ok(e instanceof LeastDataError, String(e));
    assert.equal(e.code, code);
    return true;
  });
}

test('baseUrl must be https (http only for localhost) and carry nothing but a path', () => {
  for (const baseUrl of ['http://example.com', 'ftp://localhost', 'https://user:pw@example.com', 'https://example.com/?q=1', 'not a url']) {
    assert.throws(() => ld.endpoint({ baseUrl, token: async () => 't' }), (e) => e.code === 'origin_not_allowed', baseUrl);
  }
  for (const baseUrl of ['https://ep.example.eu', 'http://localhost:8080', 'http://127.0.0.1:9/base/']) {
    assert.ok(ld.endpoint({ baseUrl, token: async () => 't' }));
  }
  assert.throws(() => ld.endpoint({ baseUrl: 'https://ep.example.eu' }), (e) => e.code === 'invalid_argument');
});

test('requests go only under baseUrl, with the bearer token; names are encoded', async () => {
  const { fetch, calls } = fakeFetch(() => json(200, { value: 'v' }));
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu/leastdata', token: async () => 'jwt-123', fetch });
  await ep.getToken('../../admin?x=1');
  assert.equal(calls[0].url, 'https://ep.example.eu/leastdata/v1/tokens/..%2F..%2Fadmin%3Fx%3D1');
  assert.equal(calls[0].init.headers.authorization, 'Bearer jwt-123');
  assert.equal(calls[0].init.redirect, 'manual');
  assert.throws(() => ep.url('https://other.example/v1'), (e) => e.code === 'origin_not_allowed');
});

test('a redirect is refused, wherever it points', async () => {
  const { fetch } = fakeFetch(() => new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }));
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 't', fetch });
  await expectCode(ep.report(), 'origin_not_allowed');
});

test('job IDs are checked in wasm before anything is sent', async () => {
  const { fetch, calls } = fakeFetch(() => json(201, { id: 'job_1' }));
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 't', fetch });
  await expectCode(ep.createJob('gdpr', { ticket: [1, 'jane@example.com'] }), 'personal_data');
  await expectCode(ep.createJob('gdpr', { email: ['1'] }), 'personal_data');
  await expectCode(ep.updateJob('job_1', { ids: { user: [{ name: 'x' }] } }), 'personal_data');
  assert.equal(calls.length, 0, 'nothing left for a refused job');
  assert.deepEqual(await ep.createJob('gdpr', { ticket: [1, '9223372036854775807'] }), { id: 'job_1' });
  assert.deepEqual(JSON.parse(calls[0].init.body), { kind: 'gdpr', ids: { ticket: [1, '9223372036854775807'] } });
});

test('settings are cached in memory for the session, and a write passes If-Match', async () => {
  const { fetch, calls } = fakeFetch((url, init) =>
    init.method === 'GET' ? json(200, { settings: { color: 'blue' }, version: 3 }, { etag: '"3"' }) : json(200, { settings: { color: 'red' }, version: 4 }),
  );
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 't', fetch });
  assert.deepEqual(await ep.getSettings('sidebar'), { color: 'blue' });
  assert.deepEqual(await ep.getSettings('sidebar'), { color: 'blue' });
  assert.equal(calls.length, 1);
  await ep.putSettings('sidebar', { color: 'red' });
  assert.equal(calls[1].init.headers['if-match'], '"3"');
  await ep.getSettings('sidebar');
  assert.equal(calls.length, 3, 'a write invalidates the cache');
});

test('endpoint errors become LeastDataError with the endpoint’s code and status', async () => {
  // What the endpoint answers a write whose If-Match is stale (server/services/settings.cpp).
  const { fetch, calls } = fakeFetch(() => json(409, { error: { code: 'version_conflict', message: 'the settings have changed; current ETag "2"' } }, { etag: '"2"' }));
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 't', fetch });
  await assert.rejects(ep.putSettings('a', {}, { ifMatch: '"1"' }), (e) => {
    assert.ok(e instanceof LeastDataError, String(e));
    assert.equal(e.code, 'version_conflict');
    assert.equal(e.status, 409);
    assert.equal(e.message, 'the settings have changed; current ETag "2"');
    return true;
  });
  assert.equal(calls.length, 1, 'a conflict is the caller’s to resolve, never retried');
});

test('through ZAF: the secure setting and the JWT are placeholders Zendesk fills in', async () => {
  const requests = [];
  const asked = [];
  const zaf = {
    // As ZAF answers leaf paths; the client asks for nothing else (a whole currentUser would
    // carry name, photo, locale, groups…).
    get: async (paths) => {
      asked.push(...paths);
      const values = { 'currentUser.id': 42, 'currentUser.email': 'agent@example.com', 'currentUser.role': 'admin', 'currentAccount.subdomain': 'acme' };
      return Object.fromEntries(paths.map((p) => [p, values[p]]));
    },
    request: async (options) => {
      requests.push(options);
      return { responseText: JSON.stringify({ settings: { a: 1 }, version: 1 }), headers: { etag: '"1"' } };
    },
  };
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', zaf, secretSetting: 'shared_secret' });
  assert.deepEqual(await ep.getSettings('sidebar'), { a: 1 });
  const [options] = requests;
  assert.equal(options.url, 'https://ep.example.eu/v1/settings/sidebar');
  assert.equal(options.secure, true);
  assert.equal(options.jwt.algorithm, 'HS256');
  assert.equal(options.jwt.secret_key, '{{setting.shared_secret}}');
  assert.deepEqual(options.jwt.claims, { iss: 'acme.zendesk.com', aud: 'leastdata', sub: '42', email: 'agent@example.com', role: 'admin' });
  assert.equal(options.headers.Authorization, 'Bearer {{jwt.token}}');
  assert.deepEqual(asked.sort(), ['currentAccount.subdomain', 'currentUser.email', 'currentUser.id', 'currentUser.role']);
  // The package's own reads are in the access report, like the app's.
  const { read } = ld.accessReport().zaf;
  for (const path of asked) assert.ok(read[path] >= 1, `${path} in ${JSON.stringify(read)}`);
  assert.throws(() => ld.endpoint({ baseUrl: 'https://ep.example.eu', zaf, secretSetting: '}}{{x' }), (e) => e.code === 'invalid_argument');
});

test('through ZAF: a failure without the endpoint\'s JSON error says it came from Zendesk\'s proxy, and what to do', async () => {
  const failures = [
    { status: 403, statusText: 'Forbidden', responseText: 'https://ep.example.eu/v1/settings/a is not a proxyable URI' },
    { status: 0, statusText: 'timeout', responseText: '' },
    { status: 0, statusText: 'error', responseText: '' },
    { status: 409, responseText: JSON.stringify({ error: { code: 'version_conflict', message: 'settings changed' } }) },
    { status: 502, responseText: '{"not":"an endpoint error"}' },
  ];
  const zaf = {
    get: async (paths) => Object.fromEntries(paths.map((p) => [p, p === 'currentUser.id' ? 1 : 'x'])),
    request: async () => { throw failures.shift(); },
  };
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', zaf, secretSetting: 'shared_secret' });
  const rejects = (code, pattern) => assert.rejects(ep.getSettings('a'), (e) =>
    e instanceof LeastDataError && e.code === code && pattern.test(e.message));
  await rejects('http_403', /^Zendesk's proxy answered HTTP 403: https:\/\/ep\.example\.eu\/v1\/settings\/a is not a proxyable URI$/);
  await rejects('http_0', /timed out; check the app's endpoint_url setting/);
  await rejects('http_0', /could not be made/);
  await rejects('version_conflict', /^settings changed$/);
  await rejects('http_502', /^Zendesk's proxy answered HTTP 502/);
});

test('verifyCertificate rejects malformed certificates with invalid_certificate', () => {
  assert.throws(() => ld.verifyCertificate({}, { keys: [] }), (e) => e.code === 'invalid_certificate');
  assert.throws(() => ld.verifyCertificate('{', '{"keys":[]}'), (e) => e instanceof LeastDataError);
});

// signIn() in a stand-in window: globalThis gets the EventTarget methods a browser window
// has, and the popup is an object whose location the client sets.
test('signIn: only the endpoint origin\'s message with the started state is taken; the session is kept in memory and sent; an ended session is forgotten', async () => {
  const target = new EventTarget();
  globalThis.addEventListener = target.addEventListener.bind(target);
  globalThis.removeEventListener = target.removeEventListener.bind(target);
  try {
    const seen = [];
    const { fetch, calls } = fakeFetch((url, init) => {
      const path = new URL(url).pathname;
      seen.push({ path, session: init.headers['X-LeastData-Session'] });
      if (path === '/v1/sessions/start') return json(200, { authorize_url: 'https://acme.zendesk.com/oauth/authorizations/new?x=1', state: 'S'.repeat(22) });
      if (path === '/v1/sessions') return json(201, { session: `lds_${'a'.repeat(43)}`, expires_at: '2026-01-01T00:00:00Z', agent: { id: '7', email: 'a@b.c', role: 'agent' } });
      if (path === '/v1/tokens/x' && seen.filter((s) => s.path === '/v1/tokens/x').length === 1) return json(200, { value: 'v' });
      return json(401, { error: { code: 'session_expired', message: 'sign in again' } });
    });
    const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 'jwt', fetch });
    const popup = { closed: false, location: { href: 'about:blank' }, close() { this.closed = true; } };
    const post = (origin, data) => target.dispatchEvent(new MessageEvent('message', { origin, data }));
    const signing = ep.signIn({ open: () => popup });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(popup.location.href, 'https://acme.zendesk.com/oauth/authorizations/new?x=1');
    // Ignored: another origin, another state, another type.
    post('https://evil.example', { type: 'leastdata.sign-in', state: 'S'.repeat(22), code: 'stolen' });
    post('https://ep.example.eu', { type: 'leastdata.sign-in', state: 'T'.repeat(22), code: 'other' });
    post('https://ep.example.eu', { type: 'something', state: 'S'.repeat(22), code: 'x' });
    post('https://ep.example.eu', { type: 'leastdata.sign-in', state: 'S'.repeat(22), code: 'the-code' });
    assert.deepEqual(await signing, { id: '7', email: 'a@b.c', role: 'agent' });
    assert.equal(popup.closed, true);
    assert.deepEqual(JSON.parse(calls.find((c) => c.url.endsWith('/v1/sessions')).init.body), { state: 'S'.repeat(22), code: 'the-code' });
    assert.equal(ep.signedIn, true);
    assert.equal((await ep.getToken('x')).value, 'v');
    assert.equal(seen.find((s) => s.path === '/v1/tokens/x').session, `lds_${'a'.repeat(43)}`);
    assert.equal(seen.find((s) => s.path === '/v1/sessions/start').session, undefined);
    await expectCode(ep.getToken('x'), 'session_expired');
    assert.equal(ep.signedIn, false);

    // A blocked popup, and a closed one.
    await expectCode(ep.signIn({ open: () => null }), 'popup_blocked');
    const closing = { closed: false, location: {}, close() {} };
    const cancelled = ep.signIn({ open: () => closing });
    closing.closed = true;
    await expectCode(cancelled, 'sign_in_cancelled');
    // The callback page posts, then closes itself: a message that arrives after the window
    // was seen closed still signs in.
    const closed = { closed: false, location: {}, close() {} };
    const late = ep.signIn({ open: () => closed });
    await new Promise((resolve) => setTimeout(resolve, 20));
    closed.closed = true;
    await new Promise((resolve) => setTimeout(resolve, 600));
    post('https://ep.example.eu', { type: 'leastdata.sign-in', state: 'S'.repeat(22), code: 'the-code' });
    assert.deepEqual(await late, { id: '7', email: 'a@b.c', role: 'agent' });
    // Denied on Zendesk's consent page.
    const denying = ep.signIn({ open: () => popup });
    popup.closed = false;
    await new Promise((resolve) => setTimeout(resolve, 20));
    post('https://ep.example.eu', { type: 'leastdata.sign-in', state: 'S'.repeat(22), code: null, error: 'access_denied' });
    await expectCode(denying, 'sign_in_refused');
  } finally {
    delete globalThis.addEventListener;
    delete globalThis.removeEventListener;
  }
});

test('declarePolicy sends the policy document; reportAccess sends counts and names, each name checked in wasm first', async () => {
  const { fetch, calls } = fakeFetch((url) => json(200, url.includes('policies') ? { policy_hash: `sha256:${'a'.repeat(64)}` } : { day: '2026-01-01' }));
  const ep = ld.endpoint({ baseUrl: 'https://ep.example.eu', token: async () => 't', fetch });
  const policy = { version: 1, resources: { ticket: 'id' } };
  await ep.declarePolicy('ticket-summary', policy);
  await ep.declarePolicy('ticket-summary', JSON.stringify(policy));
  for (const call of calls) {
    assert.equal(call.url, 'https://ep.example.eu/v1/access/policies/ticket-summary');
    assert.equal(call.init.method, 'PUT');
    assert.deepEqual(JSON.parse(call.init.body), policy);
  }
  await expectCode(ep.declarePolicy('ticket-summary', '{"version":'), 'invalid_policy');

  const delta = { calls: 2, fields_kept: 3, kept_paths: { 'tickets[].id': 2 }, zaf_read: { 'ticket.subject': 1 } };
  await ep.reportAccess('ticket-summary', delta, { policyHash: `sha256:${'a'.repeat(64)}` });
  assert.equal(calls[2].url, 'https://ep.example.eu/v1/access/observed');
  assert.equal(calls[2].init.method, 'POST');
  assert.deepEqual(JSON.parse(calls[2].init.body), { app: 'ticket-summary', policy_hash: `sha256:${'a'.repeat(64)}`, ...delta });
  await ep.reportAccess('ticket-summary', {});
  assert.deepEqual(JSON.parse(calls[3].init.body), { app: 'ticket-summary' });

  // Refused before anything is sent: a name that looks like personal data, a member the
  // endpoint does not know.
  await expectCode(ep.reportAccess('ticket-summary', { kept_paths: { 'users[].by_email.jane.doe@example.com': 1 } }), 'personal_data');
  await expectCode(ep.reportAccess('ticket-summary', { refused_requests: { 'GET /api/v2/x?iban=DE89370400440532013000': 1 } }), 'personal_data');
  await expectCode(ep.reportAccess('ticket-summary', { zaf: { read: {} } }), 'invalid_argument');
  assert.equal(calls.length, 4, 'nothing left for a refused report');
});

// Against the real endpoint: what a copy of an app declares and reports is what the admin's
// report shows, declared next to observed.
let ctx;
after(async () => {
  await ctx?.close();
});

test('against the endpoint: an agent declares the policy and reports access; the admin\'s report shows both, per app', async () => {
  requireBinary();
  ctx = endpointContext(sqliteBackend());
  ctx.cli(['keygen', '--keys', ctx.keys], { withDb: false });
  const { json: tenant } = ctx.cli(['tenant', 'add', 'accessco']);
  const server = await ctx.serve();
  const token = (sub, role) => async () => {
    const iat = Math.floor(Date.now() / 1000);
    return signHS256({ iss: 'accessco.zendesk.com', aud: 'leastdata', sub, role, iat, exp: iat + 600 }, tenant.jwt_secret);
  };
  const agent = ld.endpoint({ baseUrl: server.url, token: token('1002', 'agent') });
  const admin = ld.endpoint({ baseUrl: server.url, token: token('1001', 'admin') });

  const document = { version: 1, name: 'ticket-summary', resources: { ticket: 'id,subject' }, zaf: ['ticket.subject'] };
  const policy = ld.compile(document);
  const { ledger } = policy.filterWithLedger('{"ticket":{"id":1,"subject":"s","description":"d"}}');
  policy.dispose();
  const declared = await agent.declarePolicy('ticket-summary', document);
  assert.match(declared.policy_hash, /^sha256:[0-9a-f]{64}$/);
  const stored = await agent.reportAccess('ticket-summary', {
    calls: 1, bytes_in: ledger.bytes_in, bytes_out: ledger.bytes_out, fields_kept: ledger.fields_kept,
    fields_dropped: ledger.fields_dropped, kept_paths: ledger.kept_paths, zaf_read: { 'ticket.subject': 1 },
  }, { policyHash: declared.policy_hash });
  assert.equal(stored.app, 'ticket-summary');

  await assert.rejects(agent.report(), (e) => e.status === 403, 'only admins read the report');
  await assert.rejects(agent.reportAccess('ticket-summary', { calls: -1 }), (e) => e.code === 'invalid_access' && e.status === 422);
  await assert.rejects(agent.declarePolicy('ticket-summary', { version: 2 }), (e) => e.code === 'invalid_policy' && e.status === 422);

  const { access } = await admin.report();
  assert.deepEqual(access.declared.map((d) => [d.app, d.policy_hash, d.declaration.zaf]), [['ticket-summary', declared.policy_hash, ['ticket.subject']]]);
  const [app] = access.apps;
  assert.equal(app.app, 'ticket-summary');
  assert.deepEqual(app.declared_policy_hashes, [declared.policy_hash]);
  assert.deepEqual(app.undeclared_policy_hashes, []);
  assert.deepEqual(app.observed.kept_paths, { 'ticket.id': 1, 'ticket.subject': 1 });
  assert.deepEqual(app.observed.policy_hashes, { [declared.policy_hash]: 1 });
  assert.equal(app.observed.fields_dropped, 1);
  assert.equal(access.observed[0].day, stored.day);
});
