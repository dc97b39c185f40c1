// The GDPR-cleanup app end to end (DESIGN §10, docs/jobs.md): the demo (demo/launch.js) with
// the endpoint on SQLite behind a front that records every request body it receives and can be
// taken down (support/endpoint-front.js), Debian Chromium, the real ZAF SDK in the app's
// iframe, the app from its uploadable folder. An admin signs in with Zendesk and cleans up a
// requester with 2,000 tickets: the progress bar advances, a reload in the middle resumes from
// the endpoint's state without redoing saved batches, and on completion the job is gone from
// the endpoint, every planted personal datum is redacted in the simulated Zendesk and nothing
// else changed, and no request outside the app's policies was made. Then a stop (only IDs at
// the endpoint, with their deletion date) and the faults: Zendesk answering 429 and 500, a
// comment that changed since it was read, the endpoint unavailable during a batch.
// Screenshots: test-results/gdpr/. Needs the endpoint binary and dist/ (scripts/build all).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { COLLECT_POLICY, POLICY } from '../../apps/gdpr-cleanup/assets/policy.js';
import { ENDPOINT_BIN, launchDemo } from '../../demo/launch.js';
import { generateAccount } from '../../demo/zendesk/data.js';
import { createFaults } from '../../demo/zendesk/faults.js';
import { RATE_LIMITED_BODY } from '../../demo/zendesk/rate-limit.js';
import { load } from '../../dist/node.js';
import { ROOT, launchChromium, watchPage } from '../browser/harness.js';
import { assertAccessible } from './demo-session.js';
import { startEndpointFront } from './support/endpoint-front.js';

for (const file of [ENDPOINT_BIN, join(ROOT, 'apps/gdpr-cleanup/assets/leastdata/browser.js'), join(ROOT, 'apps/gdpr-cleanup/assets/zaf_sdk.js')]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/build all`);
}

const SHOTS = join(ROOT, 'test-results', 'gdpr');
const TICKETS = [2000, 300, 120]; // the three requesters: the big job, the stopped one, the faults
// The app's batch size and concurrency (apps/gdpr-cleanup/assets/app.js).
const BATCH_SIZE = 50;
const CONCURRENCY = 4;
const DAY_MS = 86_400_000;

let dataDir;
let demo;
let front;
let browser;
let context;
let page;
const errors = [];
const faults = createFaults();
const zendeskLog = []; // every request the simulated Zendesk answered: { method, path, status, at }
const parentLogs = []; // the nav app's ZAF messages, one list per page load
let personal; // per requester: what must never reach the endpoint (read before any redaction)
let ld;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'leastdata-gdpr-'));
  demo = await launchDemo({
    port: 0,
    dataDir,
    // Zendesk's limit is per minute; here per second (Retry-After 1 s), so that the job meets
    // it without the test taking minutes.
    zendesk: {
      forgetMe: TICKETS,
      rateLimit: { limit: 120, windowMs: 1000 },
      faults,
      onRequest: ({ method, url, status }) => zendeskLog.push({ method, path: url.pathname, status, at: Date.now() }),
    },
    endpointFront: async (target) => (front = await startEndpointFront(target)),
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('page', (p) => errors.push(watchPage(p)));
  page = await context.newPage();
  ld = await load();
  personal = demo.requesters.map(personalValues);
});

after(async () => {
  ld?.dispose();
  await browser?.close();
  await demo?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const requester = (i) => demo.requesters[i];
// A screenshot of the state, and axe on the workspace and the app's frame in it (no serious or
// critical violation; counts in test-results/demo/accessibility.json).
async function shot(name, frame) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  await assertAccessible(page, frame, `gdpr cleanup: ${name}`);
}

async function keepParentLog() {
  const log = await page.evaluate(() => window.gdprZafParent?.received ?? []).catch(() => []);
  parentLogs.push(log);
}

// Opens the workspace on the GDPR-cleanup app with the demo's admin signed in to Zendesk, and
// signs in with Zendesk. `zendeskUser` signs the browser in to Zendesk as someone else once the
// workspace has loaded: ZAF `get` still says admin, Zendesk's consent page and users/me do not.
async function openApp({ role = 'admin', zendeskUser } = {}) {
  await page.goto(`${demo.url}?as=admin&view=gdpr-cleanup`);
  const frame = await (await page.waitForSelector('iframe#gdpr-app')).contentFrame();
  await frame.waitForSelector('body[data-ready]', { timeout: 60_000 });
  assert.equal(await frame.getAttribute('body', 'data-ready'), 'true', await frame.textContent('#status'));
  if (zendeskUser !== undefined) demo.signInAs(zendeskUser);
  const [popup] = await Promise.all([context.waitForEvent('page'), frame.click('#sign-in')]);
  await popup.waitForSelector('#allow');
  await popup.click('#allow');
  await frame.waitForFunction(() => document.body.dataset.signedIn === 'true' || /^Not signed in/.test(document.getElementById('signin-status').textContent),
    null, { timeout: 60_000 });
  assert.equal(await frame.getAttribute('body', 'data-signed-in'), 'true', await frame.textContent('#signin-status'));
  assert.equal(await frame.getAttribute('body', 'data-role'), role);
  return frame;
}

async function startCleanup(frame, person) {
  await frame.fill('#requester-query', person.email);
  await frame.click('#find');
  await frame.click(`button[data-user-id="${person.id}"]`);
}

const doneCount = (frame) => frame.getAttribute('#job-progress', 'aria-valuenow').then(Number);
const jobStatus = (frame) => frame.getAttribute('body', 'data-job-status');

// Samples the progress bar until `until(done, status)` holds; returns the values seen.
async function watchProgress(frame, until, timeout = 240_000) {
  const seen = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const done = await doneCount(frame);
    const status = await jobStatus(frame);
    if (seen[seen.length - 1] !== done) seen.push(done);
    if (until(done, status)) return seen;
    if (Date.now() > deadline) throw new Error(`progress stuck at ${done} (${status}): ${await frame.textContent('#status')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sqlite = (sql) => execFileSync('sqlite3', ['-batch', '-noheader', demo.db.slice('sqlite:'.length), sql], { encoding: 'utf8' }).trim();
const dbFiles = () => ['', '-wal', '-shm'].map((s) => demo.db.slice('sqlite:'.length) + s).filter(existsSync);

// The app's requests as the simulated Zendesk saw them (not the workspace page's own).
const APP_PATHS = /^\/api\/v2\/(search\/export|users\/search|users\/\d+\.json|comment_redactions\/\d+|tickets\/(\d+)\/comments)/;
const fromApp = (entry) => {
  const match = APP_PATHS.exec(entry.path);
  return match !== null && (match[2] === undefined || demo.requesters.some((r) => r.hasTicket(Number(match[2]))));
};

// Everything of a requester that must never reach the endpoint: their data and their comments' texts.
function personalValues(r) {
  const texts = [];
  for (let i = 0; i < r.count; i += Math.ceil(r.count / 25)) {
    for (const comment of r.comments(r.firstTicketId + i)) texts.push(comment.body.slice(0, 48));
  }
  return [r.person.name, r.person.email, r.person.phone, r.person.iban, ...texts];
}

function assertRedactedAsPlanted(r) {
  for (let i = 0; i < r.count; i++) {
    const id = r.firstTicketId + i;
    r.comments(id).forEach((comment, n) => {
      const expected = r.expectedComment(id, n);
      assert.deepEqual({ body: comment.body, plain_body: comment.plain_body, html_body: comment.html_body }, expected, `ticket ${id}, comment ${n}`);
    });
  }
}

test('a 2,000-ticket cleanup: the progress bar advances, a reload resumes without redoing batches, completion leaves nothing', async () => {
  const big = requester(0);
  let frame = await openApp();
  await shot('1-app-signed-in', frame);
  await startCleanup(frame, big.user);
  const before = await watchProgress(frame, (done) => done >= 800);
  await shot('2-running', frame);
  assert.ok(before.length >= 10, `the bar advanced step by step: ${before.join(',')}`);
  assert.match(await frame.textContent('#job-counts'), /of 2,000 tickets · [\d.]+ tickets\/s/);

  // A reload in the middle: the page and its memory are gone; the endpoint has the progress.
  await keepParentLog();
  const listedBefore = zendeskLog.filter((e) => e.method === 'GET' && /\/comments/.test(e.path)).length;
  await page.reload();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const listedAtReload = zendeskLog.filter((e) => e.method === 'GET' && /\/comments/.test(e.path)).length;
  assert.ok(listedAtReload >= listedBefore);
  frame = await openApp();
  await frame.waitForSelector('#jobs .jobs__resume');
  await shot('3-after-reload', frame);
  await frame.click('#jobs .jobs__resume');
  const resumedAt = Number(await frame.waitForFunction(() => {
    const bar = document.getElementById('job-progress');
    return document.body.dataset.jobStatus === 'running' && bar.getAttribute('aria-valuemax') === '2000' && bar.getAttribute('aria-valuenow');
  }).then((handle) => handle.jsonValue()));
  assert.ok(resumedAt >= 800 - BATCH_SIZE - CONCURRENCY && resumedAt <= 2000, `resumed at ${resumedAt}`);
  const afterReload = await watchProgress(frame, (done, status) => status === 'completed' || status === 'paused');
  assert.equal(await jobStatus(frame), 'completed', await frame.textContent('#job-report'));
  assert.ok(afterReload.length >= 10, `the bar advanced after the resume: ${afterReload.join(',')}`);
  await shot('4-completed', frame);
  await keepParentLog();

  // Every ticket's comments were listed; twice only for the batch the reload cut short.
  const listings = new Map();
  for (const entry of zendeskLog) {
    const match = /^\/api\/v2\/tickets\/(\d+)\/comments/.exec(entry.path);
    if (entry.method === 'GET' && entry.status === 200 && match && big.hasTicket(Number(match[1]))) {
      listings.set(match[1], (listings.get(match[1]) ?? 0) + 1);
    }
  }
  assert.equal(listings.size, 2000);
  const twice = [...listings.values()].filter((n) => n > 1).length;
  assert.ok(twice <= BATCH_SIZE + CONCURRENCY, `${twice} tickets were done again: at most the unsaved batch`);

  const report = await frame.textContent('#job-report');
  assert.match(report, /Done: 2,000 tickets cleaned up/);
  assert.match(report, /deleted its ticket IDs at once/);
  assert.equal(sqlite("SELECT count(*) FROM jobs"), '0', 'the job rows are gone from the database');

  // In the simulated Zendesk: every planted datum redacted, nothing else changed.
  assertRedactedAsPlanted(big);
  for (const other of [requester(1), requester(2)]) assert.equal(other.redactedCount, 0);
  assert.deepEqual([...demo.account.comments], [...generateAccount().comments], 'the other tickets\' comments are unchanged');
});

test('stop: the report shows the deletion date; the endpoint keeps only IDs, none of the requester\'s data', async () => {
  const person = requester(1);
  const frame = await openApp();
  await startCleanup(frame, person.user);
  await watchProgress(frame, (done) => done >= 60);
  await frame.click('#job-stop');
  await frame.waitForFunction(() => document.body.dataset.jobStatus === 'stopped', null, { timeout: 60_000 });
  await shot('5-stopped', frame);
  await keepParentLog();
  const report = await frame.textContent('#job-report');
  const date = /until (.+ UTC) \(7 days after stopping\)/.exec(report);
  assert.ok(date, report);
  assert.ok(Math.abs(Date.parse(date[1].replace(' UTC', ' GMT')) - (Date.now() + 7 * DAY_MS)) < 5 * 60_000, date[1]);
  await frame.waitForFunction(() => /Stopped · started .* its IDs are deleted on/.test(document.getElementById('jobs').textContent));

  const rows = sqlite('SELECT kind, status FROM jobs ORDER BY kind').split('\n');
  assert.ok(rows.length >= 2, rows.join(';'));
  assert.ok(rows.every((row) => /^gdpr_cleanup(\.ids)?\|stopped$/.test(row)), rows.join(';'));
  const bodies = front.received.map((r) => r.body).join('\n');
  for (const values of [personal[0], personal[1]]) {
    for (const value of values) {
      assert.ok(!bodies.includes(value), `the endpoint received ${value}`);
      for (const file of dbFiles()) assert.equal(readFileSync(file).indexOf(Buffer.from(value)), -1, `${file} holds ${value}`);
    }
  }
  // What the endpoint did receive for the job: kinds, bare IDs and cursors.
  const jobBodies = front.received.filter((r) => r.path.startsWith('/v1/jobs') && r.body !== '').map((r) => JSON.parse(r.body));
  for (const body of jobBodies) {
    for (const key of Object.keys(body)) assert.ok(['kind', 'ids', 'cursor'].includes(key), key);
    for (const ids of Object.values(body.ids ?? {})) assert.ok(ids.every((id) => Number.isInteger(id)));
  }
});

test('faults: Zendesk 429 and 500, a comment that changed since it was read, the endpoint unavailable during a batch', async () => {
  const person = requester(2);
  const changedTicket = person.firstTicketId + 90;
  const [comment] = person.comments(changedTicket);
  // Another agent redacts the phone number between the app's read and its write.
  faults.after({ method: 'GET', path: new RegExp(`/tickets/${changedTicket}/comments`) }, () => {
    const blank = (text) => text.replace(person.person.phone, '▇'.repeat(person.person.phone.length));
    person.replaceComment(comment.id, { body: blank(comment.body), plain_body: blank(comment.plain_body), html_body: blank(comment.html_body) });
  });
  const from = zendeskLog.length;
  const frame = await openApp();
  // Only this requester's tickets fail (9000001…9000120), not the workspace page's own reads.
  faults.fail({ method: 'GET', path: new RegExp(`/tickets/${String(person.firstTicketId).slice(0, 4)}\\d{3}/comments`), status: 500, times: 2 });
  faults.fail({ method: 'PUT', path: /comment_redactions/, status: 503, times: 1 });
  // Zendesk's 429, as its rate limiter answers (the 2,000-ticket job above meets the real one too).
  faults.fail({ method: 'GET', path: /\/search\/export/, status: 429, times: 1, headers: { 'retry-after': '1' }, body: RATE_LIMITED_BODY });
  await startCleanup(frame, person.user);
  await watchProgress(frame, (done) => done >= 30);
  front.down();
  await frame.waitForFunction(() => /endpoint cannot be reached/.test(document.getElementById('job-wait').textContent), null, { timeout: 30_000 });
  await shot('6-endpoint-unavailable', frame);
  const stalled = await doneCount(frame);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.ok(await doneCount(frame) <= stalled + BATCH_SIZE, 'no batch starts beyond the unsaved one');
  front.up();
  await watchProgress(frame, (done, status) => status === 'completed' || status === 'paused');
  assert.equal(await jobStatus(frame), 'completed', await frame.textContent('#job-report'));
  await shot('7-faults-completed', frame);
  await keepParentLog();

  const log = zendeskLog.slice(from);
  assert.ok(log.some((e) => e.status === 500) && log.some((e) => e.status === 503), 'the server errors happened, and were retried');
  assert.ok(log.some((e) => e.method === 'PUT' && e.status === 422), 'the changed comment was refused once');
  // Over the whole run: after a 429 (Retry-After 1 s here) the app sent nothing until that
  // second had passed, apart from requests already on their way.
  const appLog = zendeskLog.filter(fromApp);
  const limited = appLog.filter((e) => e.status === 429);
  assert.ok(limited.length > 0, 'Zendesk answered 429 during the jobs');
  for (const refusal of limited) {
    const early = appLog.filter((e) => e.at > refusal.at + 150 && e.at < refusal.at + 850);
    assert.equal(early.length, 0, `${early.length} requests were sent during a Retry-After`);
  }
  assert.equal(faults.pending, 0);
  assertRedactedAsPlanted(person);
});

test('every job above: only requests the app\'s policies list went to Zendesk; the endpoint received no personal data', async () => {
  const collect = ld.compile(COLLECT_POLICY);
  const process = ld.compile(POLICY);
  const sent = parentLogs.flat().filter((m) => /^request:\d+$/.test(m.key ?? '')).map((m) => m.message);
  const zendeskRequests = sent.filter((options) => !String(options.url).startsWith(demo.endpointOrigin));
  assert.ok(zendeskRequests.length > 4000, `${zendeskRequests.length} Zendesk requests`);
  for (const options of zendeskRequests) {
    const method = String(options.type ?? options.method ?? 'GET').toUpperCase();
    const allowed = [collect, process].some((policy) => {
      try {
        policy.checkRequest(method, options.url, options.data);
        return true;
      } catch {
        return false;
      }
    });
    assert.ok(allowed, `${method} ${options.url} is outside the policies`);
  }
  const endpointRequests = sent.filter((options) => String(options.url).startsWith(demo.endpointOrigin));
  assert.ok(endpointRequests.every((options) => options.secure === true), 'the endpoint is reached through the secure proxy only');
  const bodies = front.received.map((r) => r.body).join('\n');
  for (const value of personal.flat()) assert.ok(!bodies.includes(value), `the endpoint received ${value}`);
});

test('an agent is told that only admins can run a cleanup: the endpoint knows the role from Zendesk', async () => {
  // The workspace still says "admin" to ZAF get (and so in the JWT's claims); Zendesk's users/me,
  // which the endpoint asks at sign-in, says agent.
  const agent = demo.account.agents.find((user) => user.role === 'agent');
  const frame = await openApp({ role: 'agent', zendeskUser: agent.id });
  assert.match(await frame.textContent('#signin-status'), /Only admins can run a GDPR cleanup/);
  assert.equal(await frame.isVisible('#new-card'), false);
  assert.equal(await frame.isVisible('#jobs-card'), false);
  await shot('8-agent-refused', frame);
});

test('the rail opens the app from the ticket, for an agent or an admin, keeping who is signed in', async () => {
  for (const role of ['agent', 'admin']) {
    await page.goto(`${demo.url}?as=${role}`);
    await page.waitForSelector('#ticket-switch option', { state: 'attached' }); // the demo bar and the rail are set up
    await Promise.all([page.waitForURL(/view=gdpr-cleanup/), page.click('#gdpr-app-link')]);
    assert.equal(new URL(page.url()).searchParams.get('as'), role);
    // The rail is wired once the workspace has its tickets, after the page's load event.
    await page.waitForSelector('#gdpr-app-link[aria-current="page"]', { state: 'attached' });
    assert.equal(await page.isVisible('#ticket-view'), false);
    const frame = await (await page.waitForSelector('iframe#gdpr-app')).contentFrame();
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    // A nav bar app's page: no ticket tab is open, so the sidebar app is not loaded.
    assert.equal(await page.$eval('iframe#app', (iframe) => iframe.getAttribute('src')), null);
  }
});

test('no uncaught page errors, console errors or CSP violations', () => {
  assert.deepEqual(errors.flat(), []);
});
