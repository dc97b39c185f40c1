// End-to-end test of the admin's page (the app's nav_bar location) in the demo: signed in to
// the simulated Zendesk as an admin, the page asks the endpoint (which asks Zendesk) before it
// shows anything. Its parts load in parallel, each with its own state (checked with a slow
// endpoint), and each failure says what to do, with Retry (checked with the endpoint
// stopped). Settings change what the sidebar reads; the endpoint's report and the declared
// and observed access are shown; deletion asks twice, ends in a certificate that opens with
// a plain sentence and can be downloaded and copied, and the "deleted" state survives a
// reload. axe finds no serious or critical violation in any state. Screenshots: test-results/demo/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { load } from '../../dist/node.js';
import { appFrame, assertAccessible, openApp, shot, signIn, startSession } from './demo-session.js';

const ADMIN = '?as=admin&view=admin';
const SLOW_MS = 1500;

let session;
let page;
let frame;

before(async () => {
  session = await startSession();
  page = session.page;
});

after(() => session?.close());

// Delays every request the proxy sends to the endpoint by `ms` (Zendesk's proxy in front of a slow endpoint).
async function slowEndpoint(ms) {
  await page.route('**/__zaf/request', async (route) => {
    const options = JSON.parse(route.request().postData() ?? '{}');
    if (String(options.url).startsWith(session.demo.endpointOrigin)) await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

const partState = (id) => frame.getAttribute(`#${id}`, 'data-state');

test('signing in: Zendesk confirms the admin; the parts load in parallel, each saying so, forms disabled meanwhile', async () => {
  frame = await openApp(session, ADMIN);
  assert.equal(await frame.isVisible('#admin-content'), false, 'nothing is shown before the endpoint confirms the admin');
  await slowEndpoint(SLOW_MS);
  await signIn(session, frame, '#sign-in', { picture: '6-zendesk-consent.png' });
  await frame.waitForSelector('body[data-signed-in="true"]', { timeout: 60_000 });
  const started = Date.now();
  // While the report is on its way: both parts say they are loading, with the skeleton.
  assert.equal(await partState('store-part'), 'loading');
  assert.equal(await partState('access-part'), 'loading');
  assert.match(await frame.textContent('#store-part .part__status'), /Asking the endpoint what it stores/);
  assert.equal(await frame.locator('#store-part .skeleton').count(), 1);
  await shot(page, '7-admin-loading');
  await frame.waitForFunction(() => ['store-part', 'access-part'].every((id) => document.getElementById(id).dataset.state === 'ready'), null, { timeout: 30_000 });
  const elapsed = Date.now() - started;
  // One report for both parts, not one call after another.
  assert.ok(elapsed < 2 * SLOW_MS, `the parts took ${elapsed} ms with a ${SLOW_MS} ms endpoint`);
  // Requests still held by the delay (the page's own declaration, say) may be gone by the time
  // their delay ends (the next test navigates): their handlers' errors are of no interest.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  assert.match(await frame.textContent('#gate-part'), /Signed in as [a-z.]+@acme-support\.example\.com: Zendesk confirms you are an admin\./);
});

test('what the endpoint stores: categories that hold something, the rest in one line, retention', async () => {
  const store = await frame.textContent('#store-part');
  assert.match(store, /Accountacme\.zendesk\.com/);
  assert.match(store, /Stored ineu-central-1/);
  assert.match(store, /1 agent/);
  assert.match(store, /1 Zendesk sign-in/);
  assert.match(store, /Nothing stored as .*agent tokens/);
  await shot(page, '8-admin-ready');
  await assertAccessible(page, frame, 'admin page ready');
});

test('declared and observed access: a readable table of fields per resource beside what the copies reported', async (t) => {
  const access = await frame.textContent('#access-part');
  if (/does not report declared and observed access/.test(access)) {
    t.skip('this endpoint has no access section (docs/endpoint.md, "Access transparency")');
    return;
  }
  // The page declared its own policy (the admin page is a copy of the app too); reload the
  // report to see it, then the sidebar's declaration after an agent shared.
  const agentPage = await session.context.newPage();
  await agentPage.goto(`${session.demo.url}?as=agent`);
  const sidebar = await appFrame(agentPage);
  await signIn(session, sidebar, '#share');
  await sidebar.waitForFunction(() => document.getElementById('share-part').dataset.state === 'ready', null, { timeout: 30_000 });
  assert.match(await sidebar.textContent('#share-part'), /Shared with your admins: 3 answers, \d+ values kept, \d+ fields dropped\./);
  await agentPage.close();
  await page.goto(`${session.demo.url}${ADMIN}`);
  frame = await appFrame(page);
  await signIn(session, frame, '#sign-in');
  await frame.waitForFunction(() => document.getElementById('access-part').dataset.state === 'ready', null, { timeout: 30_000 });
  const sections = await frame.$$eval('.access-app', (list) => list.map((s) => ({ app: s.querySelector('h3').textContent, text: s.textContent,
    rows: [...s.querySelectorAll('.fields-table tbody tr')].map((r) => [...r.children].map((c) => c.textContent)) })));
  const sidebarAccess = sections.find((s) => s.app === 'ticket-summary');
  assert.ok(sidebarAccess, JSON.stringify(sections.map((s) => s.app)));
  assert.deepEqual(sidebarAccess.rows.find((r) => r[0] === 'user'), ['user', 'id and name']);
  assert.match(sidebarAccess.text, /API requests it may make: GET \/api\/v2\/search\.json\?query&per_page/);
  assert.match(sidebarAccess.text, /1 report on 1 day: 3 answers from Zendesk/);
  assert.ok(sections.some((s) => s.app === 'ticket-summary-admin'), 'the admin page declared its policy too');
  await shot(page, '9-admin-access');
  await assertAccessible(page, frame, 'declared and observed access');
});

test('settings change what the sidebar reads: off, it does not even search', async () => {
  assert.equal(await frame.isChecked('#show-related-tickets'), true);
  await frame.uncheck('#show-related-tickets');
  await frame.press('#show-related-tickets', 'Enter'); // Enter submits, handled by the page despite form-action 'none'
  await frame.waitForFunction(() => /^Saved\./.test(document.querySelector('#settings-part .part__status').textContent));
  const agentPage = await session.context.newPage();
  await agentPage.goto(`${session.demo.url}?as=agent`);
  const sidebar = await appFrame(agentPage);
  assert.equal(await sidebar.isHidden('#history-section'), true);
  const asked = await agentPage.evaluate(() => window.zafParent.received.filter((m) => m.request === 'request' || /^request:/.test(m.key ?? ''))
    .map((m) => m.message?.url ?? ''));
  assert.ok(asked.length >= 2 && !asked.some((url) => url.includes('/search.json')), asked.join());
  await agentPage.close();
});

test('endpoint down: a plain message with the next step and Retry; Retry works once it is back', async () => {
  await session.demo.stopEndpoint();
  frame = await openApp(session, ADMIN);
  await frame.click('#sign-in'); // the sign-in popup opens, and closes when the endpoint does not answer
  await frame.waitForFunction(() => document.getElementById('gate-part').dataset.state === 'failed', null, { timeout: 30_000 });
  const problem = await frame.textContent('#gate-part .problem');
  assert.match(problem, /You are not signed in\. The endpoint did not answer through Zendesk: it may be down\./);
  assert.match(problem, /Choose Retry in a minute\./);
  assert.equal(await frame.isVisible('#gate-part .problem button'), true);
  await shot(page, '10-admin-endpoint-down');
  await assertAccessible(page, frame, 'endpoint down');
  await session.demo.startEndpoint();
  await signIn(session, frame, '#gate-part .problem button');
  await frame.waitForSelector('body[data-signed-in="true"]', { timeout: 60_000 });
  await frame.waitForFunction(() => document.getElementById('store-part').dataset.state === 'ready', null, { timeout: 30_000 });
});

test('deletion asks twice, then shows a certificate that opens with a plain sentence, to download and copy', async () => {
  assert.equal(await frame.isDisabled('#delete-button'), true, 'disabled until the subdomain is typed');
  await frame.fill('#delete-confirm', session.demo.subdomain);
  await frame.press('#delete-confirm', 'Enter');
  assert.match(await frame.textContent('#delete-confirmation'), /This cannot be undone\./);
  assert.equal(await frame.evaluate(() => document.activeElement.id), 'confirm-heading');
  await frame.click('#delete-now');
  await frame.waitForSelector('#certificate-verdict', { timeout: 30_000 });
  assert.equal(await frame.evaluate(() => document.activeElement.id), 'certificate-heading', 'focus moves to the certificate');
  const sentence = await frame.textContent('.certificate__sentence');
  assert.match(sentence, /^On \d+ \w+ \d{4} at \d\d:\d\d:\d\d UTC, the leastdata endpoint \(eu-central-1, Frankfurt\) deleted everything it stored for acme\.zendesk\.com at the request of an admin of the account \(you\): /);
  assert.ok(!/\b0 /.test(sentence), `zero counts are left out: ${sentence}`);
  assert.match(await frame.textContent('#certificate-verdict'), /^Signature valid: checked in this browser against the endpoint's published key ed25519-/);
  assert.match(await frame.getAttribute('#certificate a[target="_blank"]', 'href'), /certificates\.md#verifying-independently$/);
  // Download: the certificate as JSON, which verifies in Node too.
  const [download] = await Promise.all([page.waitForEvent('download'), frame.click('text=Download certificate')]);
  const certificate = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const keys = await (await fetch(`${session.demo.endpointOrigin}/.well-known/leastdata-keys.json`)).json();
  const ld = await load();
  assert.equal(ld.verifyCertificate(certificate, keys).valid, true);
  assert.throws(() => ld.verifyCertificate({ ...certificate, deleted: { ...certificate.deleted, agents: 0 } }, keys));
  ld.dispose();
  assert.equal(certificate.subdomain, session.demo.subdomain);
  // Copy: to the clipboard, or (when the frame may not write it) selected for Ctrl+C.
  await frame.click('text=Copy certificate');
  await frame.waitForFunction(() => /Copied|selected/.test(document.querySelector('#certificate .form-status').textContent));
  await frame.waitForFunction(() => /Kept in the app's settings/.test(document.getElementById('record-part').textContent), null, { timeout: 30_000 });
  assert.equal(await frame.isVisible('#store-part'), false, 'no stale report after the deletion');
  await frame.click('#certificate summary');
  await shot(page, '11-admin-certificate');
  await assertAccessible(page, frame, 'certificate shown');
});

test('after a reload the page still says the data was deleted, with the certificate', async () => {
  frame = await openApp(session, ADMIN);
  assert.match(await frame.textContent('#certificate-heading'), /^Your data was deleted on \d+ \w+ \d{4}$/);
  assert.match(await frame.textContent('.certificate__sentence'), /at the request of an admin of the account: /);
  assert.match(await frame.textContent('#certificate-verdict'), /^Signature valid/);
  assert.equal(await frame.isVisible('#sign-in'), false, 'no sign-in, no delete form: there is nothing left to manage');
  await shot(page, '12-admin-after-reload');
  await assertAccessible(page, frame, 'deleted, after a reload');
  // Every agent's sidebar knows too, and offers no sharing.
  const sidebar = await openApp(session, '?as=agent');
  assert.match(await sidebar.textContent('#share-part'), /Your admin deleted this app's data at the endpoint on /);
  assert.equal(await sidebar.isVisible('#share'), false);
});

test('no uncaught page errors, console errors or CSP violations', () => {
  assert.deepEqual(session.pageErrors, []);
  assert.deepEqual(session.popupErrors.flat(), []);
});
