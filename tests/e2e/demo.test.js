// End-to-end test of the demo as an agent meets it (`npm start`, DESIGN §8): the endpoint on
// SQLite in a temporary state directory, the workspace server on a free port, Debian Chromium.
// The sidebar loads in its cross-origin iframe with the real ZAF SDK and shows the minimal
// ticket, one line of what never reached the app and the access report one click away; the
// workspace explains what Zendesk holds beside it. Along the way: excluded fields never reach
// the app, the report and the chart fit a 320, 280 and 240 px sidebar, the keyboard reaches
// everything with Garden's focus ring, agents see neither settings nor deletion, nothing is
// stored in the browser, no request leaves loopback, and axe finds no serious or critical
// violation in any state. Screenshots: test-results/demo/. The admin's side: admin.test.js.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { APP_GUID } from '../../demo/server.js';
import { EXCLUDED_MARKER } from '../../demo/zendesk/data.js';
import { ROOT } from '../browser/harness.js';
import { SHOTS, appFrame, assertAccessible, openApp, setSidebarWidth, shot, startSession } from './demo-session.js';

const DOCS_IMAGE = join(ROOT, 'docs', 'images', 'demo.png');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

let session;
let page;
const appResponses = []; // { url, body } of every response the app's origin served the iframe

before(async () => {
  session = await startSession();
  page = session.page;
  page.on('response', async (response) => {
    if (!response.url().startsWith(`${session.demo.appOrigin}/`) || response.url().endsWith('.wasm')) return;
    try {
      appResponses.push({ url: response.url(), body: await response.text() });
    } catch {
      // a body that is gone (navigation) was recorded by the first load already
    }
  });
});

after(() => session?.close());

const parentLog = () => page.evaluate(() => ({ received: window.zafParent.received, sent: window.zafParent.sent }));

test('first load: the sidebar runs in the cross-origin iframe with the real ZAF SDK; the workspace explains itself', async () => {
  const frame = await openApp(session);
  assert.ok(frame.url().startsWith(`${session.demo.appOrigin}/${APP_GUID}/assets/iframe.html?origin=`), frame.url());
  assert.notEqual(new URL(frame.url()).origin, new URL(page.url()).origin);
  assert.equal(await frame.evaluate(() => typeof window.ZAFClient), 'object');
  assert.ok(appResponses.find((response) => response.url.endsWith('/assets/zaf_sdk.js'))?.body.includes('ZAFClient'));
  const log = await parentLog();
  assert.ok(log.received.some((message) => message.key === 'iframe.handshake'), 'the SDK sent its handshake');
  // The callout says what Zendesk holds and what the LDX markers are, beside the full data.
  const callout = await page.textContent('.callout');
  assert.match(callout, /Zendesk holds all of this\. The app does not\./);
  assert.match(callout, /LDX/);
  // Every part says where it is: none still loading once the page is ready.
  assert.deepEqual(await frame.$$eval('[data-part]', (parts) => parts.map((p) => p.getAttribute('aria-busy'))).then((s) => s.filter((b) => b === 'true')), []);
  await shot(page, '1-workspace');
  await assertAccessible(page, frame, 'first load (agent)');
  // The README's picture: the sidebar as an agent meets it.
  if (!existsSync(DOCS_IMAGE) || process.env.LEASTDATA_UPDATE_DEMO_IMAGE === '1') {
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    copyFileSync(join(SHOTS, '1-workspace.png'), DOCS_IMAGE);
  }
  for (const path of ['manifest.json', 'translations/en.json', 'assets/../manifest.json', '.zcliignore']) {
    assert.equal((await fetch(`${session.demo.appOrigin}/${APP_GUID}/${path}`)).status, 404, path);
  }
});

test('the ticket: minimal fields, the description masked, statuses in Zendesk\'s colours', async () => {
  const frame = await appFrame(page);
  const summary = await frame.textContent('#ticket-part');
  for (const expected of ['#1042', 'Charged twice for the May invoice', 'Sven Costa', 'Kestrel Logistics', 'business', 'emea', 'billing, refund, vip']) {
    assert.ok(summary.includes(expected), `the ticket shows ${expected}: ${summary}`);
  }
  assert.match(summary, /4 comments \(3 public, 1 internal\)/);
  const description = await frame.textContent('#description');
  assert.match(description, /Card \*{4} \*{4} \*{4} 1111/);
  assert.match(description, /s\*\*\*@kestrellogistics\.example\.org/);
  assert.ok(!description.includes('4111 1111 1111 1111') && !description.includes('sven.costa@'), description);
  // Zendesk's status colours as Garden tag hues: open is red, pending blue, new yellow.
  assert.match(await frame.getAttribute('#ticket-head .status-tag', 'class'), /c-tag--red/);
  const hues = await frame.$$eval('#history .status-tag', (tags) => tags.map((t) => [t.textContent, t.className]));
  assert.ok(hues.length > 0);
  for (const [status, className] of hues) {
    const expected = { new: 'c-tag--yellow', open: 'c-tag--red', pending: 'c-tag--blue', 'on-hold': 'c-tag--dark', solved: 'c-tag--grey' }[status];
    if (expected) assert.ok(className.includes(expected), `${status}: ${className}`);
  }
  await shot(page, '2-app-ticket', { app: true });
});

test('excluded fields are absent from the iframe DOM and from everything the iframe received', async () => {
  const frame = await appFrame(page);
  assert.ok((await page.content()).includes(EXCLUDED_MARKER), 'the workspace (Zendesk) shows the markers');
  assert.ok(!(await frame.content()).includes(EXCLUDED_MARKER), 'no marker in the app DOM');
  for (const response of appResponses) assert.ok(!response.body.includes(EXCLUDED_MARKER), response.url);
  const log = await parentLog();
  const asked = log.received.filter((message) => message.request === 'get').flatMap((message) => message.params);
  assert.deepEqual([...new Set(asked)], ['ticket.id'], 'the sidebar reads only the ticket id through ZAF');
  const rawApiBodies = new Set(
    log.received.filter((message) => /^request:\d+$/.test(message.key ?? '') && message.message.url.startsWith('/api/v2/'))
      .map((message) => `zaf.${message.key}.done`),
  );
  assert.equal(rawApiBodies.size, 3, 'ticket, comments and search went through ZAF request');
  for (const message of log.sent) {
    if (rawApiBodies.has(message.key)) continue;
    assert.ok(!JSON.stringify(message).includes(EXCLUDED_MARKER), JSON.stringify(message).slice(0, 200));
  }
  assert.ok(!(await frame.evaluate(() => document.body.innerText)).includes(EXCLUDED_MARKER));
});

test('one line of what never reached the app; the report opens from the keyboard and leads with that share', async () => {
  const frame = await appFrame(page);
  const line = await frame.textContent('#never-reached');
  const share = Number(/^(\d+) % of what Zendesk sent never reached this app\.$/.exec(line)?.[1]);
  assert.ok(share > 50 && share < 100, line);
  // The description holds a card number, a phone number and an email address (demo/zendesk/data.js):
  // the line names what the redaction rules masked, counted by the filter, no value.
  const detail = await frame.textContent('#never-reached-detail');
  assert.match(detail, /^\d+ fields were dropped before the app ran, and .+ inside the fields it kept were masked\.$/);
  for (const kind of ['card number', 'phone number', 'email address']) assert.ok(detail.includes(kind), `${kind} in: ${detail}`);
  assert.equal(await frame.isHidden('#access-report'), true, 'the report is one click away, not on the page');
  // Keyboard only: Tab reaches the toggle, Enter opens the report, the focus ring is Garden's.
  await frame.focus('#access-part h2');
  for (let i = 0; i < 10 && await frame.evaluate(() => document.activeElement.id) !== 'access-toggle'; i++) await page.keyboard.press('Tab');
  assert.equal(await frame.evaluate(() => document.activeElement.id), 'access-toggle');
  await frame.waitForFunction(() => /rgb\(31, 115, 183\) 0px 0px 0px 3px/.test(getComputedStyle(document.activeElement).boxShadow));
  await page.keyboard.press('Enter');
  assert.equal(await frame.getAttribute('#access-toggle', 'aria-expanded'), 'true');
  const report = await frame.textContent('#access-report');
  const lead = /^Zendesk sent ([\d.]+) KB in 3 answers; ([\d.]+) KB of it reached the app\./.exec(report);
  assert.ok(lead, report.slice(0, 200));
  // The share in the line is the bytes that never reached the app (rounded to whole percent).
  assert.ok(Math.abs(share - (100 * (lead[1] - lead[2])) / lead[1]) < 1.5, `${share} vs ${lead[1]} → ${lead[2]}`);
  // Kept beside dropped, in plain labels: the requester's email and phone never reached it.
  const people = await frame.$eval('#access-report', (el) => [...el.querySelectorAll('.report__resource')]
    .find((s) => s.querySelector('h3').textContent === 'People').textContent);
  assert.match(people, /Reached the app: id and name/);
  const neverReached = /Never reached it: (.*)$/.exec(people)?.[1] ?? '';
  for (const field of ['email', 'phone', 'notes']) assert.match(neverReached, new RegExp(`\\b${field}\\b`), people);
  assert.match(report, /Refused before leaving this page: nothing/);
  assert.equal(await frame.locator('#access-report svg.chart__bar').count(), 2);
  assert.equal(await frame.locator('#access-report svg rect.chart__reached').count(), 2);
  await shot(page, '3-app-access-report', { app: true });
  await assertAccessible(page, frame, 'access report open');
});

test('the sidebar, the report and the chart fit 320, 280 and 240 px', async () => {
  const frame = await appFrame(page);
  for (const width of [320, 280, 240]) {
    await setSidebarWidth(page, width);
    await frame.waitForFunction((w) => document.documentElement.clientWidth <= w, width);
    const overflow = await frame.evaluate(() => {
      const out = [];
      const limit = document.documentElement.clientWidth;
      for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > limit + 0.5 && !el.closest('.history__subject')) out.push(`${el.tagName}.${el.className}`);
      }
      return { scroll: document.documentElement.scrollWidth, limit, out: out.slice(0, 5) };
    });
    assert.ok(overflow.scroll <= overflow.limit, `${width} px: the page scrolls sideways (${JSON.stringify(overflow)})`);
    assert.deepEqual(overflow.out, [], `${width} px: elements run past the edge`);
    const bar = await frame.$eval('#access-report svg.chart__bar', (svg) => svg.getBoundingClientRect().width);
    assert.ok(bar > 100 && bar <= width, `${width} px: chart ${bar} px`);
    await page.locator('iframe#app').screenshot({ path: join(SHOTS, `4-sidebar-${width}px.png`) });
  }
  await setSidebarWidth(page, 320);
});

test('agents see neither settings nor deletion: the sidebar has none, the admin page says it is for admins', async () => {
  let frame = await appFrame(page);
  const text = await frame.evaluate(() => document.body.innerText);
  assert.ok(!/settings|Delete/i.test(text.replace(/Sign in with Zendesk and share/, '')), text);
  frame = await openApp(session, '?view=admin');
  assert.match(await frame.textContent('[data-view="not-admin"]'), /This page is for admins/);
  assert.equal(await frame.isVisible('#sign-in'), false, 'no sign-in offered to an agent');
  await shot(page, '5-admin-page-as-agent');
  await assertAccessible(page, frame, 'admin page as an agent');
});

test('the ticket switcher opens another ticket in the sidebar', async () => {
  await openApp(session);
  const other = await page.$eval('#ticket-switch', (select) => [...select.options].find((o) => !o.selected).value);
  await Promise.all([page.waitForURL(new RegExp(`ticket=${other}`)), page.selectOption('#ticket-switch', other)]);
  const frame = await appFrame(page);
  assert.match(await frame.textContent('#ticket-head'), new RegExp(`#${other}`));
  assert.ok(!(await frame.content()).includes(EXCLUDED_MARKER));
});

test('nothing is stored in the browser: storage, IndexedDB, Cache Storage, cookies', async () => {
  const frame = await appFrame(page);
  for (const target of [page, frame]) {
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
  assert.deepEqual(await session.context.cookies(), []);
});

test('no request left localhost and 127.0.0.1; the sidebar never called the endpoint itself', () => {
  assert.ok(session.requests.length > 10);
  const outside = session.requests.filter((url) => !/^(data|about|blob):/.test(url) && !LOOPBACK.has(new URL(url).hostname));
  assert.deepEqual(outside, []);
  assert.ok(!session.requests.some((url) => url.startsWith(session.demo.endpointOrigin)));
});

test('no uncaught page errors, console errors or CSP violations', () => {
  assert.deepEqual(session.pageErrors, []);
});
