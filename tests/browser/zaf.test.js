// The ZAF adapter in Chromium with the real zendesk_app_framework_sdk: a parent page
// playing Zendesk (tests/browser/zaf/parent.html) embeds the app (tests/browser/zaf/app.html)
// from another origin under a strict CSP; the app reads the ticket through ld.zaf().
// Needs dist/ (scripts/build package) and build/zaf-sdk/zaf_sdk.js (scripts/bundle-zaf-sdk.js).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { ROOT, launchChromium, startServer, watchPage } from './harness.js';
import {
  API_ROUTES, BIG_TICKET_ID, MARKERS, NOT_FOUND_FILTERED, TICKET_FILTERED, TICKET_JSON,
} from './zaf/fixtures.js';
import { RATE_LIMITED_BODY, createRateLimiter } from '../../demo/zendesk/rate-limit.js';
import { MAX_AUTO_RETRIES } from '../../demo/workspace/zaf-parent.js';

const APP_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

for (const file of ['dist/browser.js', 'dist/zaf.js', 'build/zaf-sdk/zaf_sdk.js']) {
  if (!existsSync(new URL(file, `file://${ROOT}/`))) {
    throw new Error(`${file} is missing: run scripts/build package and node scripts/bundle-zaf-sdk.js`);
  }
}

const apiRoutes = Object.fromEntries(
  Object.entries(API_ROUTES).map(([path, { status, body }]) => [
    path,
    (req, res) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    },
  ]),
);
// The demo's Zendesk rate limit (429, plain text, Retry-After), one request per second.
const limiter = createRateLimiter({ limit: 1, windowMs: 1000 });
const limitedCalls = [];
apiRoutes['/api/v2/limited/tickets/1.json'] = (req, res) => {
  const rate = limiter.take();
  limitedCalls.push(rate.status ?? 200);
  res.writeHead(rate.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...rate.headers });
  res.end(rate.status ? rate.body : TICKET_JSON);
};
let slowCalls = 0;
apiRoutes['/api/v2/slow/tickets/1.json'] = (req, res) => {
  slowCalls += 1;
  setTimeout(() => {
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(TICKET_JSON);
  }, 3000);
};

let parentServer;
let appServer;
let browser;
let page;
let pageErrors;
const expectedConsoleErrors = [];
let appCsp;
let app; // what the app recorded: window.appResults, appErrors, the DOM text
let parent; // what the parent page exchanged with the iframe

before(async () => {
  // Two origins, as in Zendesk: the workspace (with the API) and the app's own.
  parentServer = await startServer({ routes: apiRoutes });
  appServer = await startServer({
    headers: (path) => (path.endsWith('.html') ? { 'content-security-policy': APP_CSP } : {}),
  });
  browser = await launchChromium();
  page = await browser.newPage();
  pageErrors = watchPage(page);
  // The fake API's 404 is logged by Chromium as a failed resource load: expected, once.
  page.on('console', (message) => {
    const expected = ['/api/v2/tickets/404.json', '/api/v2/limited/tickets/1.json'].map((path) => `${parentServer.origin}${path}`);
    if (message.type() === 'error' && expected.includes(message.location().url)) {
      expectedConsoleErrors.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/tests/browser/zaf/app.html') {
      appCsp = response.headers()['content-security-policy'];
    }
  });
  await page.goto(`${parentServer.origin}/tests/browser/zaf/parent.html?app=${encodeURIComponent(appServer.origin)}`);
  const frame = await (await page.waitForSelector('iframe#app')).contentFrame();
  await frame.waitForFunction(() => window.appDone === true, null, { timeout: 30_000 });
  app = await frame.evaluate(() => ({
    results: window.appResults,
    errors: window.appErrors,
    text: document.documentElement.textContent,
    html: document.documentElement.outerHTML,
    url: location.href,
  }));
  parent = await page.evaluate(() => ({ received: window.zafParent.received, sent: window.zafParent.sent, retries: window.zafParent.retries }));
});

after(async () => {
  await browser?.close();
  await parentServer?.close();
  await appServer?.close();
});

const getCalls = () => parent.received.filter((message) => message.request === 'get').map((message) => message.params);

test('the app runs in the iframe from its own origin, registered with the real SDK', () => {
  assert.deepEqual(app.errors, []);
  assert.ok(app.url.startsWith(`${appServer.origin}/tests/browser/zaf/app.html?origin=`));
  assert.equal(app.results.location, 'ticket_sidebar');
  assert.equal(appCsp, APP_CSP, 'the app page ran under the strict CSP (violations land in app.errors)');
  const handshake = parent.received.find((message) => message.key === 'iframe.handshake');
  assert.ok(handshake, 'the SDK sent iframe.handshake');
  assert.equal(typeof handshake.message.version, 'string');
});

test('allowed get returns the values, for a string and for an array of paths', () => {
  assert.deepEqual(app.results.subject, { ok: true, value: { 'ticket.subject': 'Printer on fire', errors: {} } });
  assert.deepEqual(app.results.fields.value, {
    'ticket.id': 1,
    'ticket.requester.name': 'Ana Requester',
    'ticket.customField:custom_field_360001234': 'gold',
    'ticket.tags': ['printer', 'vip'],
    errors: {},
  });
});

test('a get naming an object returns only its members the zaf list names', () => {
  assert.deepEqual(app.results.requester.value, { 'ticket.requester': { name: 'Ana Requester' }, errors: {} });
});

test('refused get rejects with path_not_allowed and sends the parent nothing', () => {
  const { refused, afterRefused } = app.results;
  assert.equal(refused.ok, false);
  assert.equal(refused.error.name, 'LeastDataError');
  assert.equal(refused.error.code, 'path_not_allowed');
  assert.match(refused.error.message, /"currentUser\.email"/);
  // The get after the refused one arrived right after the one before it.
  assert.deepEqual(afterRefused.value, { 'currentUser.name': 'Agent Smith', errors: {} });
  assert.deepEqual(getCalls(), [
    ['ticket.subject'],
    ['ticket.id', 'ticket.requester.name', 'ticket.customField:custom_field_360001234', 'ticket.tags'],
    ['ticket.requester'],
    ['currentUser.name'],
  ]);
  const everything = JSON.stringify(parent);
  assert.ok(!everything.includes('currentUser.email'), 'the refused path never crossed to the parent');
  assert.ok(!everything.includes(MARKERS.refusedPath), 'no value of a refused path was ever sent');
});

test('request asks ZAF for text and returns only the policy fields, the 20-digit ID exact', () => {
  const requests = parent.received.filter((message) => /^request:\d+$/.test(message.key ?? ''));
  assert.deepEqual(
    requests.map((message) => [message.message.url, message.message.dataType, 'leastdata' in message.message]),
    [
      ['/api/v2/tickets/1.json', 'text', false],
      ['/api/v2/tickets/1.json', 'text', false],
      ['/api/v2/tickets/404.json', 'text', false],
      // Zendesk's side, after the report (below): one message each, whatever the retries.
      ['/api/v2/limited/tickets/1.json', 'text', false],
      ['/api/v2/limited/tickets/1.json', 'text', false],
      ['/api/v2/limited/tickets/1.json', 'text', false],
      ['/api/v2/slow/tickets/1.json', 'text', false],
      ['/api/v2/tickets/1.json', 'text', false], // with the client itself (below)
    ],
  );
  const { ticket, ticketText } = app.results;
  assert.deepEqual(ticket.value, {
    ticket: { id: BIG_TICKET_ID, subject: 'Printer on fire', status: 'open', custom_fields: [{ id: 360001234, value: 'gold' }] },
    users: [{ id: 501, name: 'Ana Requester' }],
  });
  assert.equal(ticketText.value, TICKET_FILTERED);
});

test('refused requests and writes reject in the iframe and post nothing to the parent', () => {
  const { refusedRequest, refusedWrite, report } = app.results;
  assert.equal(refusedRequest.ok, false);
  assert.equal(refusedRequest.error.code, 'request_not_allowed');
  assert.equal(refusedRequest.error.message, "GET /api/v2/users/{id}.json is not in the policy's requests");
  assert.equal(refusedWrite.ok, false);
  assert.equal(refusedWrite.error.code, 'write_not_allowed');
  assert.match(refusedWrite.error.message, /^"ticket\.description" is outside the policy's write selection/);
  // The parent's message log: no request message for either, and the body never crossed.
  const everything = JSON.stringify(parent.received);
  assert.ok(!everything.includes('/api/v2/users/7.json'), 'the refused request was never posted');
  assert.ok(!everything.includes('"PUT"'), 'the refused write was never posted');
  assert.ok(!everything.includes(MARKERS.refusedWrite), 'no byte of the refused body left the iframe');
  assert.deepEqual(report.requests, {
    made: { 'GET /api/v2/tickets/{id}.json': 3 },
    refused: { 'GET /api/v2/users/{id}.json': 1, 'PUT /api/v2/tickets/{id}.json': 1 },
  });
});

test('a failed request rejects with the ZAF error, its body filtered', () => {
  const { notFound } = app.results;
  assert.equal(notFound.ok, false);
  assert.equal(notFound.error.status, 404);
  assert.equal(notFound.error.responseText, NOT_FOUND_FILTERED);
  assert.ok(!notFound.error.members.includes('responseJSON'));
});

test('dropped fields are absent from the iframe DOM and from everything the app kept', () => {
  assert.match(app.text, /Printer on fire/);
  assert.ok(app.text.includes(BIG_TICKET_ID));
  const held = app.html + JSON.stringify(app.results);
  for (const marker of Object.values(MARKERS)) {
    assert.ok(!held.includes(marker), `${marker} is not in the app's DOM or results`);
  }
});

test('the access report shows the ZAF reads and refusals and the requests ledgers', () => {
  const { report } = app.results;
  assert.deepEqual(report.zaf, {
    read: {
      'ticket.subject': 1,
      'ticket.id': 1,
      'ticket.requester.name': 1,
      'ticket.customField:custom_field_360001234': 1,
      'ticket.tags': 1,
      'ticket.requester': 1,
      'currentUser.name': 1,
    },
    refused: { 'currentUser.email': 1 },
  });
  assert.equal(report.calls, 3); // two ticket responses and the filtered error body
  assert.equal(report.bytes_in, 2 * API_ROUTES['/api/v2/tickets/1.json'].body.length + API_ROUTES['/api/v2/tickets/404.json'].body.length);
  assert.equal(report.bytes_out, 2 * TICKET_FILTERED.length + NOT_FOUND_FILTERED.length);
  assert.deepEqual(report.kept_paths, {
    'ticket.id': 2,
    'ticket.subject': 2,
    'ticket.status': 2,
    'ticket.custom_fields[].id': 2,
    'ticket.custom_fields[].value': 2,
    'users[].id': 2,
    'users[].name': 2,
    error: 1,
    description: 1,
  });
});

test('a 429 is retried after Retry-After (autoRetry), and handed to the app with its headers when autoRetry is false', () => {
  const { limitedFirst, limitedRetried, limitedNoRetry } = app.results;
  assert.equal(limitedFirst.ok, true);
  assert.equal(limitedRetried.ok, true, JSON.stringify(limitedRetried));
  assert.equal(limitedRetried.value.ticket.id, BIG_TICKET_ID);
  assert.deepEqual(parent.retries.map(({ url, wait }) => [url, wait]), [['/api/v2/limited/tickets/1.json', 1]]);
  assert.ok(MAX_AUTO_RETRIES >= 1);
  assert.equal(limitedNoRetry.ok, false);
  assert.equal(limitedNoRetry.error.status, 429);
  assert.equal(limitedNoRetry.error.headers['retry-after'], '1');
  assert.equal(limitedNoRetry.error.responseText, '', 'the plain-text body is not JSON the policy can read');
  assert.ok(!JSON.stringify(app.results).includes(RATE_LIMITED_BODY));
  assert.deepEqual(limitedCalls, [200, 429, 200, 429]);
});

test('a request that takes longer than its timeout fails with textStatus timeout, and is not retried', () => {
  const { timedOut } = app.results;
  assert.equal(timedOut.ok, false);
  assert.equal(timedOut.error.status, 0);
  assert.equal(timedOut.error.statusText, 'timeout');
  assert.equal(slowCalls, 1);
});

test('the SDK\'s handlers of each request are removed once it settled, so a long job does not grow', () => {
  assert.deepEqual(app.results.handlersAfterAdapter, []);
  // The control: the SDK itself leaves a request's two handlers behind.
  assert.equal(app.results.handlersAfterClient.length, 2);
  assert.ok(app.results.handlersAfterClient.every((key) => /^request:\d+\.(done|fail)$/.test(key)), app.results.handlersAfterClient.join());
});

test('no page errors in the parent or the app', () => {
  assert.equal(expectedConsoleErrors.length, 3); // the 404 and the two 429s

  assert.deepEqual(pageErrors.filter((error) => !expectedConsoleErrors.includes(error)), []);
  assert.deepEqual(app.errors, []);
});
