// The demo's ZAF request proxy (demo/zaf-proxy.js), the part of "Zendesk" that holds the
// secure settings: they are substituted only for the endpoint's host and only where their
// manifest `scopes` allow; the JWT is signed with the secret; the browser never sees it.
// The "endpoint" here records what arrives.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import { createZafProxy } from '../../demo/zaf-proxy.js';

const SECRET = 'SECRET-VALUE-0123456789';
const WORKSPACE = 'http://localhost:1';
let endpoint;
let received;
let proxy;

before(async () => {
  received = [];
  endpoint = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  proxy = createZafProxy({
    workspaceOrigin: WORKSPACE,
    endpointOrigin: `http://127.0.0.1:${endpoint.address().port}`,
    secureSettings: () => ({ shared_secret: SECRET, api_key: 'KEY-VALUE' }),
    settingScopes: { shared_secret: ['jwt_secret_key'] },
    zendesk: { handle: () => ({ status: 200, headers: {}, body: '{}' }) },
  });
});

after(() => endpoint.close());

// Calls the proxy's handler as the workspace page does, with a fake request/response pair.
async function perform(options) {
  const body = Buffer.from(JSON.stringify(options));
  const req = { method: 'POST', headers: { origin: WORKSPACE }, async *[Symbol.asyncIterator]() { yield body; } };
  let out = '';
  const res = { writeHead() { return this; }, end(text) { out = text; } };
  await proxy(req, res);
  return JSON.parse(out);
}

test('a secret scoped to jwt_secret_key signs the JWT, and is not substituted in headers, body, URL or claims', async () => {
  const url = `http://127.0.0.1:${endpoint.address().port}/v1/x?k={{setting.shared_secret}}`;
  const reply = await perform({
    url, type: 'POST', secure: true, contentType: 'application/json',
    data: '{"s":"{{setting.shared_secret}}","k":"{{setting.api_key}}"}',
    headers: { Authorization: 'Bearer {{jwt.token}}', 'X-Leak': '{{setting.shared_secret}}', 'X-Key': '{{setting.api_key}}' },
    jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', claims: { iss: 'acme.zendesk.com', leak: '{{setting.shared_secret}}' } },
  });
  assert.equal(reply.status, 200, JSON.stringify(reply));
  const [got] = received.splice(0);
  const everything = JSON.stringify(got);
  assert.ok(!everything.includes(SECRET), `the scoped secret was substituted somewhere: ${everything}`);
  assert.equal(got.headers['x-leak'], '{{setting.shared_secret}}');
  assert.ok(got.url.includes('%7B%7Bsetting.shared_secret%7D%7D') || got.url.includes('{{setting.shared_secret}}'), got.url);
  // A setting without scopes is substituted everywhere (as Zendesk did before scopes).
  assert.equal(got.headers['x-key'], 'KEY-VALUE');
  assert.equal(JSON.parse(got.body).k, 'KEY-VALUE');
  // The JWT verifies with the secret, and its claim kept the placeholder.
  const [head, payload, signature] = got.headers.authorization.slice('Bearer '.length).split('.');
  assert.equal(createHmac('sha256', SECRET).update(`${head}.${payload}`).digest('base64url'), signature);
  assert.equal(JSON.parse(Buffer.from(payload, 'base64url')).leak, '{{setting.shared_secret}}');
});

test('a JWT secret_key naming a setting whose scopes do not include jwt_secret_key is refused', async () => {
  const refusing = createZafProxy({
    workspaceOrigin: WORKSPACE,
    endpointOrigin: `http://127.0.0.1:${endpoint.address().port}`,
    secureSettings: () => ({ shared_secret: SECRET }),
    settingScopes: { shared_secret: ['header'] },
    zendesk: { handle: () => ({ status: 200, headers: {}, body: '{}' }) },
  });
  const body = Buffer.from(JSON.stringify({
    url: `http://127.0.0.1:${endpoint.address().port}/v1/x`, secure: true,
    jwt: { secret_key: '{{setting.shared_secret}}', claims: {} }, headers: { Authorization: 'Bearer {{jwt.token}}' },
  }));
  let out = '';
  await refusing({ method: 'POST', headers: { origin: WORKSPACE }, async *[Symbol.asyncIterator]() { yield body; } },
    { writeHead() { return this; }, end(text) { out = text; } });
  const reply = JSON.parse(out);
  assert.equal(reply.status, 400);
  assert.match(reply.body, /jwt_secret_key/);
  assert.equal(received.length, 0, 'nothing was sent');
});

test('the proxy refuses in plain text, as Zendesk\'s proxy does, never in the API\'s JSON error shape', async () => {
  const elsewhere = await perform({ url: 'http://127.0.0.1:9/v1/x', type: 'GET' });
  assert.equal(elsewhere.status, 403);
  assert.equal(elsewhere.statusText, 'Forbidden');
  assert.equal(elsewhere.headers['content-type'], 'text/plain; charset=utf-8');
  assert.match(elsewhere.body, /^http:\/\/127\.0\.0\.1:9\/v1\/x is not a proxyable URI/);
  assert.throws(() => JSON.parse(elsewhere.body));
  const remote = await perform({ url: 'https://api.example.com/', type: 'GET' });
  assert.equal(remote.status, 403);
  assert.match(remote.body, /only reaches loopback hosts/);
  assert.equal(received.length, 0, 'nothing reached the endpoint');
});
