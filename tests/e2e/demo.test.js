// End-to-end test of the demo (`npm start`, DESIGN §8): the endpoint on SQLite in a
// temporary state directory, the workspace server on a free port (demo/launch.js), and
// Debian Chromium walking the page: the sidebar app loads in its cross-origin iframe with
// the real ZAF SDK, shows the minimal ticket fields, the access report and the endpoint's
// report, saves and reloads settings, and deletes the account's data, ending in a
// certificate verified in the browser (and again here, in Node). Along the way it checks
// that excluded fields never reach the app, that nothing is stored in the browser, that no
// request leaves loopback and that no page error occurs. Screenshots: test-results/demo/.
// Needs the endpoint binary, dist/ and the ZAF SDK bundle (scripts/build all).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { ENDPOINT_BIN, launchDemo } from '../../demo/launch.js';
import { APP_GUID } from '../../demo/server.js';
import { EXCLUDED_MARKER } from '../../demo/zendesk/data.js';
import { load } from '../../dist/node.js';
import { ROOT, launchChromium, watchPage } from '../browser/harness.js';

for (const file of [ENDPOINT_BIN, join(ROOT, 'apps/ticket-summary/assets/leastdata/browser.js'), join(ROOT, 'apps/ticket-summary/assets/zaf_sdk.js')]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/build all`);
}

const SHOTS = join(ROOT, 'test-results', 'demo');
const DOCS_IMAGE = join(ROOT, 'docs', 'images', 'demo.png');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

let dataDir;
let demo;
let browser;
let context;
let page;
let pageErrors;
const requests = []; // every URL the browser asked for, both frames
const popupRequests = []; // every URL the sign-in popups asked for
const popupErrors = [];
const appResponses = []; // { url, body } of every response the app's origin served the iframe

async function appFrame() {
  const frame = await (await page.waitForSelector('iframe#app')).contentFrame();
  await frame.waitForSelector('body[data-ready]', { timeout: 60_000 });
  assert.equal(await frame.getAttribute('body', 'data-ready'), 'true', await frame.textContent('#status'));
  return frame;
}

async function shot(name, { app = false } = {}) {
  const path = join(SHOTS, `${name}.png`);
  if (app) await page.locator('iframe#app').screenshot({ path });
  else await page.screenshot({ path });
  return path;
}

// Signs the agent in as the app does: the click opens Zendesk's consent page in a popup,
// Allow sends it to the endpoint's callback page, which hands the code to the app.
async function signIn(frame, { picture } = {}) {
  const [popup] = await Promise.all([context.waitForEvent('page'), frame.click('#sign-in')]);
  await popup.waitForSelector('#allow');
  if (picture) await popup.screenshot({ path: join(SHOTS, picture) });
  await popup.click('#allow');
  await frame.waitForSelector('body[data-signed-in="true"]', { timeout: 60_000 });
  return popup;
}

const parentLog = () => page.evaluate(() => ({ received: window.zafParent.received, sent: window.zafParent.sent }));

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'leastdata-demo-'));
  demo = await launchDemo({ port: 0, dataDir });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  page = await context.newPage();
  pageErrors = watchPage(page);
  page.on('request', (request) => requests.push(request.url()));
  context.on('page', (popup) => {
    if (popup === page) return;
    popupErrors.push(watchPage(popup));
    popup.on('request', (request) => popupRequests.push(request.url()));
  });
  page.on('response', async (response) => {
    if (!response.url().startsWith(`${demo.appOrigin}/`) || response.url().endsWith('.wasm')) return;
    try {
      appResponses.push({ url: response.url(), body: await response.text() });
    } catch {
      // a body that is gone (navigation) was recorded by the first load already
    }
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the app loads inside the cross-origin iframe with the real ZAF SDK', async () => {
  await page.goto(demo.url);
  const frame = await appFrame();
  // The app runs from its uploadable folder (apps/ticket-summary/), at the URL its manifest names.
  assert.ok(frame.url().startsWith(`${demo.appOrigin}/${APP_GUID}/assets/iframe.html?origin=`), frame.url());
  assert.notEqual(new URL(frame.url()).origin, new URL(page.url()).origin);
  assert.equal(await frame.evaluate(() => typeof window.ZAFClient), 'object');
  const sdk = appResponses.find((response) => response.url.endsWith('/assets/zaf_sdk.js'));
  assert.ok(sdk?.body.includes('ZAFClient'), 'the SDK bundle was loaded by the app page');
  const log = await parentLog();
  assert.ok(log.received.some((message) => message.key === 'iframe.handshake'), 'the SDK sent its handshake');
  assert.ok(log.sent.some((message) => message.key === 'zaf.app.registered'));
  await shot('1-workspace');
  // As Zendesk serves an app: its assets, nothing else of the folder; the wasm as application/wasm.
  for (const path of ['manifest.json', 'translations/en.json', 'assets/../manifest.json', '.zcliignore']) {
    assert.equal((await fetch(`${demo.appOrigin}/${APP_GUID}/${path}`)).status, 404, path);
  }
  const wasm = await fetch(`${demo.appOrigin}/${APP_GUID}/assets/leastdata/leastdata.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
});

test('the ticket summary shows the minimal fields, the description masked', async () => {
  const frame = await appFrame();
  const summary = await frame.textContent('#summary');
  for (const expected of ['#1042', 'Charged twice for the May invoice', 'Sven Costa', 'Kestrel Logistics', 'business', 'emea', 'billing, refund, vip']) {
    assert.ok(summary.includes(expected), `summary shows ${expected}: ${summary}`);
  }
  assert.match(summary, /4 comments \(3 public, 1 internal\)/);
  const description = await frame.textContent('#description');
  assert.match(description, /Card \*{4} \*{4} \*{4} 1111/);
  assert.match(description, /s\*\*\*@kestrellogistics\.example\.org/);
  assert.ok(!description.includes('4111 1111 1111 1111') && !description.includes('1234 5678'), description);
  assert.ok(!description.includes('sven.costa@'), description);
  assert.ok((await frame.textContent('#history')).includes('#'), 'other tickets from the search API');
  await shot('2-app-ticket', { app: true });
});

test('excluded fields are absent from the iframe DOM and from everything the iframe received', async () => {
  const frame = await appFrame();
  // The markers are real: the workspace (Zendesk itself) shows some of them.
  assert.ok((await page.content()).includes(EXCLUDED_MARKER), 'the fake data carries the markers');
  assert.ok(!(await frame.content()).includes(EXCLUDED_MARKER), 'no marker in the app DOM');
  assert.ok(!(await frame.evaluate(() => document.documentElement.outerHTML)).includes('@kestrellogistics.example.org"'));
  assert.ok(appResponses.length >= 5, 'the app page, SDK, package and styles were recorded');
  for (const response of appResponses) assert.ok(!response.body.includes(EXCLUDED_MARKER), response.url);

  const log = await parentLog();
  // ZAF get: the parent only ever answered paths the policy lists; the refused path was
  // never even asked for.
  const asked = log.received.filter((message) => message.request === 'get').flatMap((message) => message.params);
  assert.ok(asked.includes('ticket.subject'));
  assert.ok(!asked.includes('ticket.requester.email') && !asked.includes('ticket.requester'), asked.join());
  // Every message the parent posted, except the raw REST bodies the app's wasm filter
  // reads (that is where leastdata cuts them down), is free of excluded data.
  const rawApiBodies = new Set(
    log.received.filter((message) => /^request:\d+$/.test(message.key ?? '') && message.message.url.startsWith('/api/v2/'))
      .map((message) => `zaf.${message.key}.done`),
  );
  assert.ok(rawApiBodies.size >= 3, 'ticket, comments and search went through ZAF request');
  for (const message of log.sent) {
    if (rawApiBodies.has(message.key)) continue;
    assert.ok(!JSON.stringify(message).includes(EXCLUDED_MARKER), JSON.stringify(message).slice(0, 200));
  }
  // Nothing the app kept in view holds them either: the access report names paths, no values.
  const text = await frame.evaluate(() => document.body.innerText);
  assert.ok(!text.includes(EXCLUDED_MARKER));
});

test('the access report shows kept vs dropped by field, bytes in vs out, and the refusal', async () => {
  const frame = await appFrame();
  await frame.click('.paths summary');
  const totals = await frame.textContent('#access-totals');
  const match = /Fields kept \/ dropped(\d+) \/ (\d+)/.exec(totals);
  assert.ok(match, totals);
  assert.ok(Number(match[2]) > Number(match[1]), 'more fields dropped than kept');
  assert.match(totals, /Bytes received → kept[\d.]+ KB → [\d.]+ (KB|B)/);
  assert.equal(await frame.locator('#access-chart svg[role="img"] rect.chart__bar').count(), 4);
  const paths = await frame.textContent('#access-paths');
  for (const path of ['ticket.subject', 'ticket.custom_fields[].value', 'users[].name', 'comments[].public', 'results[].subject']) {
    assert.ok(paths.includes(path), `${path} listed`);
  }
  assert.ok(!paths.includes('email') && !paths.includes('notes'), paths);
  assert.match(await frame.textContent('#access-refused'), /ticket\.requester\.email/);
  await shot('3-app-access-report', { app: true });
});

test('the agent signs in with Zendesk in a popup: the endpoint learns the user and role from Zendesk', async () => {
  const frame = await appFrame();
  assert.match(await frame.textContent('#status'), /Sign in with Zendesk/);
  await signIn(frame, { picture: '4-zendesk-consent.png' });
  const status = await frame.textContent('#signin-status');
  assert.match(status, /^Signed in as [a-z.]+@acme-support\.example\.com \(admin\)\.$/);
  // The code reached the app through the endpoint's callback page, and the popup closed.
  assert.ok(popupRequests.some((url) => url.startsWith(`${demo.endpointOrigin}/v1/oauth/callback?code=`)), popupRequests.join());
  assert.ok(popupRequests.some((url) => url.startsWith(`${demo.url}oauth/authorizations/new?`)), popupRequests.join());
  await frame.waitForSelector('#store-report .store');
});

test('what we store: the endpoint report with retention dates', async () => {
  const frame = await appFrame();
  const report = await frame.textContent('#store-report');
  assert.match(report, /Accountacme/);
  assert.match(report, /Regioneu-central-1/);
  assert.match(report, /Agents1/);
  assert.match(report, /Usage statistics1/);
  assert.match(report, /Zendesk sign-ins1/);
  assert.match(report, /Kept until/);
});

test('settings are saved to the endpoint and reloaded', async () => {
  let frame = await appFrame();
  assert.equal(await frame.textContent('#settings-status'), 'Not saved yet: showing defaults.');
  await frame.fill('#greeting', 'Guten Tag,');
  await frame.selectOption('#language', 'de');
  await frame.click('#settings-save');
  await frame.waitForFunction(() => /Saved as version 1/.test(document.getElementById('settings-status').textContent));
  await frame.waitForFunction(() => /Settings1/.test(document.getElementById('store-report').textContent));
  await shot('5-app-settings-saved', { app: true });

  // A fresh page (a new app session): the session was in memory only, so the agent signs in
  // again; the settings come back from the endpoint.
  await page.reload();
  frame = await appFrame();
  assert.equal(await frame.getAttribute('body', 'data-signed-in'), null);
  await signIn(frame);
  assert.equal(await frame.inputValue('#greeting'), 'Guten Tag,');
  assert.equal(await frame.inputValue('#language'), 'de');
  assert.equal(await frame.textContent('#settings-status'), 'Loaded from the endpoint.');
  assert.match(await frame.textContent('#store-report'), /Usage statistics1/); // one day row, counter added twice
});

test('deleting our data ends in a certificate verified in the browser', async () => {
  const frame = await appFrame();
  assert.equal(await frame.isDisabled('#delete-button'), true, 'disabled until the subdomain is typed');
  await frame.fill('#delete-confirm', demo.subdomain);
  await frame.click('#delete-button');
  await frame.waitForSelector('#certificate-verdict', { timeout: 30_000 });
  assert.equal(await frame.textContent('#certificate-verdict'), '✓ Certificate signature valid');
  const facts = await frame.textContent('#certificate dl');
  assert.match(facts, /Key ided25519-/);
  assert.match(facts, /1 agents/);
  assert.match(facts, /2 sessions/);
  assert.match(facts, /1 settings/);
  assert.match(facts, /Regioneu-central-1/);
  assert.match(await frame.textContent('#store-report'), /Nothing is stored/);
  await frame.click('#certificate details summary');
  await shot('6-app-deletion-certificate', { app: true });
  await shot('7-workspace-after-deletion');
  // The README's picture: written when missing, or on request (it differs run to run).
  if (!existsSync(DOCS_IMAGE) || process.env.LEASTDATA_UPDATE_DEMO_IMAGE === '1') {
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    copyFileSync(join(SHOTS, '1-workspace.png'), DOCS_IMAGE);
  }

  // The same certificate verifies in Node against the endpoint's published keys.
  const certificate = JSON.parse(await frame.textContent('#certificate pre'));
  const keys = await (await fetch(`${demo.endpointOrigin}/.well-known/leastdata-keys.json`)).json();
  const ld = await load();
  assert.equal(ld.verifyCertificate(certificate, keys).valid, true);
  assert.equal(certificate.subdomain, demo.subdomain);
  assert.equal(certificate.trigger, 'customer_request');
  const tampered = { ...certificate, deleted: { ...certificate.deleted, agents: 0 } };
  assert.throws(() => ld.verifyCertificate(tampered, keys));
  ld.dispose();
});

test('nothing is stored in the browser: storage, IndexedDB, Cache Storage, cookies', async () => {
  const frame = await appFrame();
  for (const target of [page, frame]) {
    // Chromium denies some storage to a third-party iframe altogether (SecurityError):
    // then nothing can be in it either.
    const stored = await target.evaluate(async () => {
      const count = async (read) => {
        try {
          return await read();
        } catch (error) {
          if (error.name === 'SecurityError' || /denied/i.test(error.message)) return 0;
          throw error;
        }
      };
      return {
        local: await count(() => localStorage.length),
        session: await count(() => sessionStorage.length),
        databases: await count(async () => (await indexedDB.databases()).length),
        caches: await count(async () => (await caches.keys()).length),
      };
    });
    assert.deepEqual(stored, { local: 0, session: 0, databases: 0, caches: 0 });
  }
  assert.deepEqual(await context.cookies(), []);
  // And from the browser's side, for both origins whatever the page may read: no usage.
  const cdp = await context.newCDPSession(page);
  for (const origin of [new URL(demo.url).origin, demo.appOrigin]) {
    const { usageBreakdown } = await cdp.send('Storage.getUsageAndQuota', { origin });
    const used = usageBreakdown.filter((entry) => entry.usage > 0);
    assert.deepEqual(used, [], `${origin} stores nothing`);
  }
  await cdp.detach();
});

test('no request left localhost and 127.0.0.1', () => {
  assert.ok(requests.length > 10);
  const outside = [...requests, ...popupRequests].filter((url) => !/^(data|about):/.test(url) && !LOOPBACK.has(new URL(url).hostname));
  assert.deepEqual(outside, []);
  // The app never talked to the endpoint itself: everything went through the ZAF proxy. The
  // sign-in popups only loaded the endpoint's callback page.
  assert.ok(!requests.some((url) => url.startsWith(demo.endpointOrigin)));
  const toEndpoint = popupRequests.filter((url) => url.startsWith(demo.endpointOrigin));
  assert.equal(toEndpoint.length, 2, toEndpoint.join());
  for (const url of toEndpoint) assert.equal(new URL(url).pathname, '/v1/oauth/callback');
});

test('no uncaught page errors, console errors or CSP violations', () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(popupErrors.flat(), []);
});
