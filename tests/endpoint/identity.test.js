// Who may do what is proven by Zendesk, not by the browser (DESIGN §7, "Authority"): the
// endpoint with --identity zendesk against the demo's simulated Zendesk (demo/zendesk/oauth.js,
// which follows Zendesk's OAuth documentation). The test plays the agent's browser: it opens
// the consent page, allows, follows the redirect to the endpoint's callback page and posts
// the code, as the app does (js/endpoint.js signIn); the Chromium run is tests/e2e/sign-in.test.js.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generateAccount } from '../../demo/zendesk/data.js';
import { createOAuthProvider } from '../../demo/zendesk/oauth.js';
import { call, filesContaining, freePort, signHS256, startEndpoint, unique } from './helpers.js';

const CLIENT_ID = 'zdg-leastdata-test';
const APP_ORIGIN = 'http://127.0.0.1:4599';

describe('identity and role from Zendesk (--identity zendesk)', { concurrency: 1 }, () => {
  let backend;
  let ctx;
  let server;
  let zendesk;
  let provider;
  let users;
  let admin;
  let agent;
  let colleague;
  let customer;

  before(async () => {
    ({ backend, ctx } = await startEndpoint({ tenant: null, serve: null }));
    const account = generateAccount();
    users = new Map(account.users.map((u) => [u.id, structuredClone(u)]));
    [admin, agent, colleague] = account.agents.map((a) => users.get(a.id));
    customer = users.get(account.users.find((u) => u.role === 'end-user').id);

    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const secret = `client-secret-${unique('s')}`;
    provider = createOAuthProvider({
      users,
      clients: [{ id: CLIENT_ID, secret, redirectUris: [`${publicUrl}/v1/oauth/callback`], name: 'leastdata test' }],
    });
    zendesk = createServer(async (req, res) => {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (await provider.handle(req, res, url)) return;
      if (url.pathname === '/api/v2/users/me.json') {
        const reply = provider.me(req.headers.authorization);
        return res.writeHead(reply.status, reply.headers).end(reply.body);
      }
      res.writeHead(404).end();
    });
    await new Promise((resolve) => zendesk.listen(0, '127.0.0.1', resolve));
    const secretFile = join(ctx.dir, 'zendesk-oauth.secret');
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    server = await ctx.serve(['--identity', 'zendesk', '--listen', `127.0.0.1:${port}`, '--sweep-interval', '0',
      '--auth-failure-limit', '0', '--zendesk-url', `http://127.0.0.1:${zendesk.address().port}`,
      '--zendesk-oauth-client-id', CLIENT_ID, '--zendesk-oauth-secret-file', secretFile, '--public-url', publicUrl,
      '--app-origin', APP_ORIGIN]);
  });

  after(async () => {
    await ctx?.close();
    await backend?.stop();
    zendesk?.close();
  });

  // A tenant, and the JWT its app sends through Zendesk's proxy. The claims are whatever the
  // (possibly edited) app writes.
  function newTenant() {
    const sub = unique('idt');
    const r = ctx.cli(['tenant', 'add', sub]);
    assert.equal(r.status, 0, r.stderr);
    return {
      sub,
      jwt: (claims = {}) => {
        const iat = ctx.nowSeconds();
        return signHS256({ iss: `${sub}.zendesk.com`, aud: 'leastdata', sub: '1', role: 'agent', iat, exp: iat + 600, ...claims }, r.json.jwt_secret);
      },
    };
  }

  const withSession = (session) => ({ 'x-leastdata-session': session });

  // The browser's part: consent page, Allow (or Deny), the redirect to the callback page.
  async function approve(authorizeUrl, decision = 'allow') {
    const consent = await fetch(authorizeUrl);
    assert.equal(consent.status, 200);
    const html = await consent.text();
    const form = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
      form.set(name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
    }
    form.set('decision', decision);
    const redirect = await fetch(new URL('/oauth/authorizations', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    return new URL(redirect.headers.get('location'));
  }

  async function signIn(tenant, user, claims = {}) {
    provider.signIn(user.id);
    const start = await call(server, 'POST', '/v1/sessions/start', { token: tenant.jwt(claims) });
    assert.equal(start.status, 200, start.text);
    const callback = await approve(start.json.authorize_url);
    assert.equal(callback.origin + callback.pathname, `${server.url}/v1/oauth/callback`);
    assert.equal(callback.searchParams.get('state'), start.json.state);
    const signedIn = await call(server, 'POST', '/v1/sessions', {
      token: tenant.jwt(claims), body: { state: start.json.state, code: callback.searchParams.get('code') },
    });
    return { ...signedIn, code: callback.searchParams.get('code'), state: start.json.state };
  }

  test('sign-in: the authorize URL is Zendesk\'s, with PKCE; the session names the user Zendesk says, whatever the JWT claims', async () => {
    const t = newTenant();
    const start = await call(server, 'POST', '/v1/sessions/start', { token: t.jwt() });
    const url = new URL(start.json.authorize_url);
    assert.equal(url.pathname, '/oauth/authorizations/new');
    assert.deepEqual(Object.fromEntries([...url.searchParams.keys()].map((k) => [k, true])),
      { response_type: true, client_id: true, redirect_uri: true, scope: true, state: true, code_challenge: true, code_challenge_method: true });
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('client_id'), CLIENT_ID);

    // The app claims to be the admin, with another email: Zendesk says otherwise.
    const r = await signIn(t, agent, { sub: String(admin.id), role: 'admin', email: admin.email });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.session, /^lds_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(r.json.agent, { id: String(agent.id), email: agent.email, role: 'agent' });
    const me = await call(server, 'PUT', '/v1/agents/me', { token: t.jwt({ sub: String(admin.id), role: 'admin' }), headers: withSession(r.json.session) });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.agent.id, String(agent.id));
    assert.equal(me.json.agent.role, 'agent');

    // The callback page hands the code only to the configured app origin, under a CSP that
    // allows its one script by hash.
    const page = await fetch(`${server.url}/v1/oauth/callback?code=x&state=y`);
    const html = await page.text();
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.ok(html.includes(`content='["${APP_ORIGIN}"]'`), html);
    const script = /<script>(.*)<\/script>/s.exec(html)[1];
    const hash = createHash('sha256').update(script).digest('base64');
    assert.equal(page.headers.get('content-security-policy'),
      `default-src 'none'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    assert.ok(!script.includes("'*'"), 'the code is never posted to any origin');
  });

  test('a forged app (another agent\'s sub, role admin, another email) is refused on every privileged route and reads nothing of another agent', async () => {
    const t = newTenant();
    const mine = (await signIn(t, agent)).json.session;
    const theirs = (await signIn(t, colleague)).json.session;
    assert.equal((await call(server, 'PUT', '/v1/tokens/crm', { token: t.jwt(), headers: withSession(theirs), body: { value: 'COLLEAGUE-SECRET' } })).status, 201);
    const forged = t.jwt({ sub: String(colleague.id), role: 'admin', email: admin.email });
    const privileged = [
      ['GET', '/v1/report'], ['POST', '/v1/deletion', { confirm: t.sub }], ['PUT', '/v1/settings/app', { settings: { x: 1 } }],
      ['PUT', '/v1/shared-tokens/crm', { value: 'v' }], ['DELETE', '/v1/shared-tokens/crm'], ['POST', '/v1/lifecycle/deactivate'],
    ];
    for (const [method, path, body] of privileged) {
      const r = await call(server, method, path, { token: forged, headers: withSession(mine), body });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(r.json.error.code, 'forbidden');
    }
    const read = await call(server, 'GET', '/v1/tokens/crm', { token: forged, headers: withSession(mine) });
    assert.equal(read.status, 404, read.text);
    assert.ok(!read.text.includes('COLLEAGUE-SECRET'));
    // The colleague still reads their own.
    assert.equal((await call(server, 'GET', '/v1/tokens/crm', { token: t.jwt(), headers: withSession(theirs) })).json.value, 'COLLEAGUE-SECRET');

    // Without a session, with a made-up one, or with another tenant's: refused on every route
    // that acts as a user, and no JWT claim helps.
    const other = newTenant();
    const otherSession = (await signIn(other, admin)).json.session;
    for (const [method, path, body] of [...privileged, ['GET', '/v1/tokens/crm'], ['PUT', '/v1/agents/me'], ['POST', '/v1/stats', { app: 'a', counters: { n: 1 } }]]) {
      const none = await call(server, method, path, { token: forged, body });
      assert.equal(none.status, 401, none.text);
      assert.equal(none.json.error.code, 'session_required');
      for (const session of [`lds_${'A'.repeat(43)}`, 'garbage', otherSession]) {
        const r = await call(server, method, path, { token: forged, body, headers: withSession(session) });
        assert.equal(r.status, 401, `${method} ${path} with ${session}: ${r.text}`);
        assert.equal(r.json.error.code, 'session_expired');
      }
    }
  });

  test('an admin signed in with Zendesk is an admin; demoted or suspended in Zendesk, the session follows at the next re-check', async (tc) => {
    tc.after(() => {
      ctx.setOffset(0);
      admin.role = 'admin';
      admin.suspended = false;
    });
    const t = newTenant();
    const session = (await signIn(t, admin, { role: 'agent' })).json.session;
    const report = await call(server, 'GET', '/v1/report', { token: t.jwt(), headers: withSession(session) });
    assert.equal(report.status, 200, report.text);
    assert.equal(report.json.categories.sessions.count, 1);
    assert.equal((await call(server, 'PUT', '/v1/settings/app', { token: t.jwt(), headers: withSession(session), body: { settings: { a: 1 } } })).status, 201);

    // Demoted in Zendesk: within the re-check interval (300 s) the session keeps its role;
    // after it, the endpoint asks Zendesk again.
    admin.role = 'agent';
    ctx.setOffset(120);
    assert.equal((await call(server, 'GET', '/v1/report', { token: t.jwt(), headers: withSession(session) })).status, 200);
    ctx.setOffset(301);
    const demoted = await call(server, 'GET', '/v1/report', { token: t.jwt({ role: 'admin' }), headers: withSession(session) });
    assert.equal(demoted.status, 403, demoted.text);
    assert.equal((await call(server, 'GET', '/v1/settings/app', { token: t.jwt(), headers: withSession(session) })).status, 200);

    // The access token expired (Zendesk's 30 minutes): the re-check refreshes it and goes on.
    provider.expireAccessTokens();
    ctx.setOffset(700);
    assert.equal((await call(server, 'GET', '/v1/settings/app', { token: t.jwt(), headers: withSession(session) })).status, 200);

    // Suspended: the session ends.
    admin.suspended = true;
    ctx.setOffset(1100);
    const suspended = await call(server, 'GET', '/v1/settings/app', { token: t.jwt(), headers: withSession(session) });
    assert.equal(suspended.status, 401, suspended.text);
    assert.equal(suspended.json.error.code, 'session_expired');
    ctx.setOffset(1110);
    admin.suspended = false;
    assert.equal((await call(server, 'GET', '/v1/settings/app', { token: t.jwt(), headers: withSession(session) })).status, 401);
  });

  test('sign-in refusals: a replayed code, another tenant\'s state, a denied consent, a customer, a malformed body', async () => {
    const t = newTenant();
    const first = await signIn(t, agent);
    assert.equal(first.status, 201);
    const replay = await call(server, 'POST', '/v1/sessions', { token: t.jwt(), body: { state: first.state, code: first.code } });
    assert.equal(replay.status, 401, replay.text);
    assert.equal(replay.json.error.code, 'sign_in_refused');

    // A state (and its code) of tenant A posted with tenant B's JWT: the PKCE verifier is
    // derived under B's key, so Zendesk refuses the code.
    const other = newTenant();
    provider.signIn(agent.id);
    const start = await call(server, 'POST', '/v1/sessions/start', { token: t.jwt() });
    const callback = await approve(start.json.authorize_url);
    const crossed = await call(server, 'POST', '/v1/sessions', { token: other.jwt(), body: { state: start.json.state, code: callback.searchParams.get('code') } });
    assert.equal(crossed.status, 401, crossed.text);
    assert.equal(crossed.json.error.code, 'sign_in_refused');

    const denied = await approve((await call(server, 'POST', '/v1/sessions/start', { token: t.jwt() })).json.authorize_url, 'deny');
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('code'), null);

    const asCustomer = await signIn(t, customer);
    assert.equal(asCustomer.status, 403, asCustomer.text);
    assert.equal(asCustomer.json.error.code, 'forbidden');

    for (const body of [{}, { state: 'short', code: 'c' }, { state: start.json.state }, { state: start.json.state, code: 'c', extra: 1 }]) {
      const r = await call(server, 'POST', '/v1/sessions', { token: t.jwt(), body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    }
    // Starting needs a valid JWT: the tenant is proven before anything else.
    assert.equal((await call(server, 'POST', '/v1/sessions/start', {})).status, 401);
  });

  test('sessions on the bytes: only a hash of the credential and sealed Zendesk tokens are stored; signing out and deletion remove them', async () => {
    const t = newTenant();
    const r = await signIn(t, agent);
    const session = r.json.session;
    const [[tenantId]] = backend.query(`SELECT id FROM tenants WHERE subdomain = '${t.sub}'`);
    const [[hash, sealedHex]] = backend.query(`SELECT id_hash, hex(zendesk_tokens) FROM sessions WHERE tenant_id = '${tenantId}'`);
    assert.equal(hash, createHash('sha256').update(session).digest('hex'));
    assert.equal(sealedHex.slice(0, 6).toLowerCase(), '4c4401');
    const files = await backend.rawBytes();
    assert.deepEqual(filesContaining(files, session), []);
    assert.deepEqual(filesContaining(files, session.slice(4)), []);
    assert.ok(filesContaining(files, hash).length > 0, 'positive control: the hash is stored');

    assert.equal((await call(server, 'DELETE', '/v1/sessions/current', { token: t.jwt(), headers: withSession(session) })).status, 204);
    assert.equal((await call(server, 'GET', '/v1/tokens/x', { token: t.jwt(), headers: withSession(session) })).json.error.code, 'session_expired');

    const adminSession = (await signIn(t, admin)).json.session;
    await signIn(t, agent);
    const cert = await call(server, 'POST', '/v1/deletion', { token: t.jwt(), headers: withSession(adminSession), body: { confirm: t.sub } });
    assert.equal(cert.status, 200, cert.text);
    assert.equal(cert.json.deleted.sessions, 2);
    assert.equal(backend.query(`SELECT COUNT(*) FROM sessions WHERE tenant_id = '${tenantId}'`)[0][0], '0');
  });

  test('the endpoint verifies Zendesk\'s TLS certificate: a self-signed "Zendesk" gets no request, the caller 503 zendesk_unavailable', async () => {
    const key = join(ctx.dir, 'tls.key');
    const cert = join(ctx.dir, 'tls.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const received = [];
    const fake = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      received.push(req.url);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'a', token_type: 'bearer' }));
    });
    await new Promise((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const secretFile = join(ctx.dir, 'zendesk-oauth.secret');
    const tls = await ctx.serve(['--identity', 'zendesk', '--sweep-interval', '0', '--auth-failure-limit', '0',
      '--zendesk-url', `https://127.0.0.1:${fake.address().port}`, '--zendesk-oauth-client-id', CLIENT_ID,
      '--zendesk-oauth-secret-file', secretFile, '--public-url', 'https://leastdata.example', '--app-origin', APP_ORIGIN]);
    try {
      const t = newTenant();
      const start = await call(tls, 'POST', '/v1/sessions/start', { token: t.jwt() });
      assert.ok(start.json.authorize_url.startsWith(`https://127.0.0.1:${fake.address().port}/oauth/authorizations/new?`));
      const r = await call(tls, 'POST', '/v1/sessions', { token: t.jwt(), body: { state: start.json.state, code: 'code' } });
      assert.equal(r.status, 503, r.text);
      assert.equal(r.json.error.code, 'zendesk_unavailable');
      assert.deepEqual(received, [], 'no request reached the server whose certificate does not verify');
      // Positive control: the server does answer a client that skips verification.
      const control = await new Promise((resolve, reject) => {
        httpsRequest(`https://127.0.0.1:${fake.address().port}/oauth/tokens`, { method: 'POST', rejectUnauthorized: false }, (res) => resolve(res.statusCode))
          .on('error', reject).end('{}');
      });
      assert.equal(control, 201);
    } finally {
      await tls.stop();
      fake.close();
    }
  });

  test('serve --identity zendesk without its settings is a usage error that says what is missing', () => {
    const r = ctx.cli(['serve', '--listen', '127.0.0.1:0', '--identity', 'zendesk']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--identity zendesk needs --zendesk-oauth-client-id, --zendesk-oauth-secret-file, --public-url and --app-origin/);
    const plain = ctx.cli(['serve', '--listen', '127.0.0.1:0', '--identity', 'zendesk', '--zendesk-oauth-client-id', 'x',
      '--zendesk-oauth-secret-file', '/nonexistent', '--public-url', 'https://e', '--app-origin', 'https://a', '--zendesk-url', 'http://zendesk.example']);
    assert.equal(plain.status, 2);
    assert.match(plain.stderr, /--zendesk-url must be https:/);
  });
});
