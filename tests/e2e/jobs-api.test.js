// The job API (ld.jobs, docs/jobs.md) against the real endpoint on SQLite, behind a front that
// records every request body and can be taken down (support/endpoint-front.js), and the
// simulated Zendesk in this process (support/node-zaf-client.js): collect in segments,
// batches, resume in "another browser" without redoing saved batches, pause, stop with the
// deletion date, completion that leaves nothing, 429 with Retry-After honoured, server errors
// retried, the endpoint unavailable during a batch, a comment that changed since it was read,
// and the refusals. The same flow in Chromium with the real ZAF SDK: gdpr-cleanup.test.js.
// Needs the endpoint binary and dist/ (scripts/build all).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createCleanupStep, newTally } from '../../apps/gdpr-cleanup/assets/cleanup.js';
import { COLLECT_POLICY, POLICY, requesterTicketsUrl } from '../../apps/gdpr-cleanup/assets/policy.js';
import { createZendeskApi } from '../../demo/zendesk/api.js';
import { generateAccount } from '../../demo/zendesk/data.js';
import { createFaults } from '../../demo/zendesk/faults.js';
import { createForgetMeRequesters } from '../../demo/zendesk/forget-me.js';
import { load } from '../../dist/node.js';
import { signHS256, startEndpoint } from '../endpoint/helpers.js';
import { startEndpointFront } from './support/endpoint-front.js';
import { nodeZafClient } from './support/node-zaf-client.js';

const DAY_MS = 86_400_000;
let ctx;
let server;
let front;
let ld;
let endpoint;

before(async () => {
  let tenant;
  ({ ctx, tenant, server } = await startEndpoint({ tenant: 'jobsco', exact: true, serve: ['--rate-limit', '0'] }));
  front = await startEndpointFront(server.url);
  ld = await load();
  const token = async () => {
    const iat = Math.floor(Date.now() / 1000);
    return signHS256({ iss: 'jobsco.zendesk.com', aud: 'leastdata', sub: '9001', role: 'admin', iat, exp: iat + 600 }, tenant.secret);
  };
  endpoint = ld.endpoint({ baseUrl: front.origin, token });
});

after(async () => {
  ld?.dispose();
  await front?.close();
  await ctx?.close();
});

// A simulated Zendesk with requesters of `tickets` tickets each, and the adapters of the app.
function zendesk(tickets, options = {}) {
  const account = generateAccount();
  const requesters = createForgetMeRequesters(tickets);
  account.users.push(...requesters.map((r) => r.user));
  const faults = createFaults();
  const log = [];
  const api = createZendeskApi(account, {
    requesters, faults, rateLimit: options.rateLimit ?? { limit: 1_000_000 },
    onRequest: (entry) => log.push({ method: entry.method, path: entry.url.pathname, status: entry.status, at: Date.now() }),
  });
  const client = nodeZafClient(api);
  return {
    requesters, faults, log, api,
    collectZaf: ld.zaf(client, ld.compile(COLLECT_POLICY)),
    zaf: ld.zaf(client, ld.compile(POLICY)),
  };
}

// A step that reads each ticket's comments through the job's request gate and counts it.
function countingStep(counts, { hold } = {}) {
  return async (id, context) => {
    await context.request({ url: `/api/v2/tickets/${id}/comments.json?page[size]=100`, type: 'GET' });
    if (hold) await hold(id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
}

async function collected(jobs, z, requester, options = {}) {
  const job = await jobs.create({ subjects: { user: [requester.user.id] } });
  await job.collect({ zaf: z.collectZaf, url: requesterTicketsUrl(requester.user.id), ...options });
  return job;
}

const waitFor = async (predicate, what, timeout = 20_000) => {
  const until = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

// Where a ticket comes in the job: the search export lists the newest first.
const position = (requester, id) => requester.count - 1 - (id - requester.firstTicketId);

const endpointHas = async (id) => endpoint.getJob(id).then(() => true, (e) => (e.status === 404 ? false : Promise.reject(e)));

test('collect stores IDs in linked segments; run completes every ticket once and leaves nothing at the endpoint', async () => {
  const z = zendesk([230]);
  const [requester] = z.requesters;
  const jobs = ld.jobs({ endpoint, kind: 'gdpr_cleanup', segmentSize: 50 });
  const before = front.received.length;
  const job = await collected(jobs, z, requester);
  const progress = job.progress();
  assert.equal(progress.status, 'ready');
  assert.equal(progress.total, 230);
  assert.deepEqual(job.subjects, { user: [requester.user.id] });
  const created = front.received.slice(before).filter((r) => r.method === 'POST' && r.path === '/v1/jobs');
  assert.equal(created.length, 1 + 5, 'the root and ceil(230 / 50) segments');
  for (const { body } of created.slice(1)) {
    const sent = JSON.parse(body);
    assert.equal(sent.kind, 'gdpr_cleanup.ids');
    assert.ok(sent.ids.ticket.length <= 50 && sent.ids.ticket.every(Number.isInteger));
  }
  const segmentIds = [];
  await job.store.eachSegment(job.state.head, (id) => segmentIds.push(id));
  assert.equal(segmentIds.length, 5, 'the segments are linked from the root');

  const counts = new Map();
  const updates = [];
  job.onProgress((p) => updates.push(p));
  // Each step takes 10 ms, so the run lasts well over the quarter second the meter needs
  // before it states a rate, however fast the machine.
  const slowly = () => new Promise((resolve) => setTimeout(resolve, 10));
  const end = await job.run({ zaf: z.zaf, step: countingStep(counts, { hold: slowly }), batchSize: 20, concurrency: 3 });
  assert.equal(end.status, 'completed');
  assert.equal(end.done, 230);
  assert.equal(counts.size, 230);
  assert.ok([...counts.values()].every((n) => n === 1), 'no ticket done twice');
  const ids = [...counts.keys()].sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: 230 }, (_, i) => requester.firstTicketId + i));
  const saved = updates.map((p) => p.saved).filter((n, i, all) => i === 0 || n !== all[i - 1]);
  assert.ok(saved.length >= 230 / 20, `progress was saved batch by batch: ${saved.join(',')}`);
  assert.ok(updates.some((p) => p.rate > 0 && p.secondsLeft !== null), 'rate and time left are reported');
  assert.equal(await endpointHas(job.id), false, 'the root is deleted at once');
  for (const id of segmentIds) assert.equal(await endpointHas(id), false, `segment ${id} deleted`);
  assert.equal(ctx.backend.query('SELECT count(*) FROM jobs')[0][0], '0', 'no job row is left in the database');
});

test('resume in another browser goes on from the saved batch; the first browser stops at its next save', async () => {
  const z = zendesk([120]);
  const [requester] = z.requesters;
  const first = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup', segmentSize: 40 }), z, requester);
  const counts = new Map();
  // The first browser stops answering after 50 tickets, as a page that is reloaded does.
  let frozen = false;
  let thaw;
  const thawed = new Promise((resolve) => { thaw = resolve; });
  const hold = async () => {
    if (counts.size >= 50) {
      frozen = true;
      await thawed;
    }
  };
  const firstRun = first.run({ zaf: z.zaf, step: countingStep(counts, { hold }), batchSize: 10, concurrency: 2 });
  firstRun.catch(() => {});
  await waitFor(() => frozen, 'the first browser to freeze');
  const saved = first.progress().saved;
  assert.ok(saved >= 40 && saved % 10 === 0, `saved after whole batches: ${saved}`);

  const second = await ld.jobs({ endpoint, kind: 'gdpr_cleanup' }).resume(first.id);
  assert.equal(second.progress().status, 'paused');
  assert.equal(second.progress().saved, saved, 'the endpoint kept the saved progress');
  const before = new Map(counts);
  const end = await second.run({ zaf: z.zaf, step: countingStep(counts), batchSize: 10, concurrency: 2 });
  assert.equal(end.status, 'completed');
  const redone = [...counts].filter(([id, n]) => n > 1).map(([id]) => id);
  assert.ok(redone.length <= 10, `only the batch in flight was done again: ${redone.length}`);
  for (const id of redone) {
    const at = position(requester, id);
    assert.ok(before.has(id) && at >= saved && at < saved + 10 + 2, `ticket ${id} at ${at} was done again`);
  }
  assert.equal(counts.size, 120);

  thaw();
  await assert.rejects(firstRun, (e) => e.code === 'job_gone' || e.code === 'job_taken_over');
});

test('pause saves the progress at once; run goes on without redoing anything finished', async () => {
  const z = zendesk([90]);
  const job = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup' }), z, z.requesters[0]);
  const counts = new Map();
  const running = job.run({ zaf: z.zaf, step: countingStep(counts), batchSize: 25, concurrency: 1 });
  await waitFor(() => counts.size >= 30, '30 tickets');
  const paused = await job.pause();
  await running;
  assert.equal(paused.status, 'paused');
  assert.equal(paused.saved, counts.size, 'everything finished is saved, mid-batch too');
  const remote = await ld.jobs({ endpoint, kind: 'gdpr_cleanup' }).resume(job.id);
  assert.equal(remote.progress().saved, counts.size);
  const end = await job.run({ zaf: z.zaf, step: countingStep(counts), batchSize: 25, concurrency: 1 });
  assert.equal(end.status, 'completed');
  assert.ok([...counts.values()].every((n) => n === 1));
});

test('stop leaves only IDs at the endpoint, deleted 7 days later; a stopped job does not run', async () => {
  const z = zendesk([0, 75]);
  const requester = z.requesters[1];
  const before = front.received.length;
  const job = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup', segmentSize: 30 }), z, requester);
  const tally = newTally();
  const step = createCleanupStep({ ld, terms: [requester.person.name, requester.person.email], tally });
  const running = job.run({ zaf: z.zaf, step, batchSize: 10 });
  await waitFor(() => tally.tickets >= 20, '20 tickets');
  const stopped = await job.stop();
  await running;
  assert.equal(stopped.status, 'stopped');
  const deleteAt = Date.parse(stopped.deleteAt);
  assert.ok(Math.abs(deleteAt - (Date.now() + 7 * DAY_MS)) < 60_000, stopped.deleteAt);
  const root = await endpoint.getJob(job.id);
  assert.equal(root.status, 'stopped');
  assert.deepEqual(root.ids.user, [requester.user.id]);
  let segments = 0;
  await job.store.eachSegment(job.state.head, async (id) => {
    const segment = await endpoint.getJob(id);
    assert.equal(segment.status, 'stopped');
    assert.ok(segment.ids.ticket.length > 0);
    segments++;
  });
  assert.ok(segments >= 1);
  await assert.rejects(job.run({ zaf: z.zaf, step }), (e) => e.code === 'invalid_state');

  // Everything the endpoint received for this job: kinds, IDs, cursors — nothing of the person.
  const bodies = front.received.slice(before).map((r) => r.body).join('\n');
  const comments = Array.from({ length: 75 }, (_, i) => requester.comments(requester.firstTicketId + i)).flat();
  const forbidden = [...Object.values(requester.person), 'Damaged order', 'replacement', ...comments.map((c) => c.body.slice(0, 40))];
  for (const value of forbidden) assert.ok(!bodies.includes(value), `the endpoint received ${value}`);
  for (const file of await ctx.backend.rawBytes()) {
    for (const value of Object.values(requester.person)) assert.equal(file.bytes.indexOf(Buffer.from(value)), -1, `${file.file} holds ${value}`);
  }
  await job.discard();
  assert.equal(await endpointHas(job.id), false, 'a stopped job can be deleted at once');
});

test('429: the job waits for Retry-After before it sends anything more, then goes on', async () => {
  const z = zendesk([60], { rateLimit: { limit: 25, windowMs: 1000 } });
  const job = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup' }), z, z.requesters[0]);
  const waits = [];
  job.onProgress((p) => p.waiting && waits.push(p.waiting.reason));
  const counts = new Map();
  const end = await job.run({ zaf: z.zaf, step: countingStep(counts), batchSize: 20, concurrency: 4 });
  assert.equal(end.status, 'completed');
  assert.equal(counts.size, 60);
  const limited = z.log.filter((entry) => entry.status === 429);
  assert.ok(limited.length > 0 && job.gate.stats.rateLimited > 0, 'the account went over its limit');
  assert.ok(waits.includes('rate_limited'), 'the progress said why it waited');
  // After a 429 (Retry-After 1 s here) nothing is sent until that second has passed, apart
  // from requests already on their way when the answer came.
  for (const refusal of limited) {
    const early = z.log.filter((entry) => entry.at > refusal.at + 100 && entry.at < refusal.at + 900);
    assert.equal(early.length, 0, `requests sent during the Retry-After of a 429: ${early.length}`);
  }
});

test('Zendesk 500s are retried after 1 s, then 2 s; a lasting failure pauses the job, which runs on later', async () => {
  const z = zendesk([30]);
  const job = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup' }), z, z.requesters[0]);
  z.faults.fail({ method: 'GET', path: /\/comments/, status: 500, times: 2 });
  const counts = new Map();
  const started = Date.now();
  let end = await job.run({ zaf: z.zaf, step: countingStep(counts), batchSize: 10, concurrency: 1 });
  assert.equal(end.status, 'completed');
  assert.equal(job.gate.stats.serverErrors, 2);
  assert.ok(Date.now() - started >= 1000 + 2000, 'waited 1 s, then 2 s');

  const z2 = zendesk([30]);
  const job2 = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup' }), z2, z2.requesters[0]);
  const fourth = z2.requesters[0].firstTicketId + 29 - 3; // the fourth in the job (newest first)
  // A 503 that says to retry at once: the job's 5 attempts without waiting 15 s for them.
  z2.faults.fail({ method: 'GET', path: new RegExp(`/tickets/${fourth}/comments`), status: 503, times: 5, headers: { 'retry-after': '0' } });
  await assert.rejects(job2.run({ zaf: z2.zaf, step: countingStep(new Map()), batchSize: 10, concurrency: 1 }),
    (e) => e.code === 'step_failed' && e.item === fourth && /HTTP 503/.test(e.message));
  assert.equal(z2.faults.pending, 0, 'tried 5 times');
  assert.equal(job2.progress().status, 'paused');
  assert.equal(job2.progress().saved, 3, 'the tickets before the failing one are saved');
  end = await job2.run({ zaf: z2.zaf, step: countingStep(new Map()), batchSize: 10 });
  assert.equal(end.status, 'completed');
});

test('the endpoint unavailable during a batch: the job waits, then saves and goes on', async () => {
  const z = zendesk([80]);
  const job = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup' }), z, z.requesters[0]);
  const counts = new Map();
  const waits = [];
  job.onProgress((p) => p.waiting && waits.push(p.waiting.reason));
  // After five tickets the steps wait until the endpoint is down, so no batch can be saved before.
  let takeDown;
  const endpointDown = new Promise((resolve) => { takeDown = resolve; });
  const hold = () => (counts.size >= 5 ? endpointDown : undefined);
  const running = job.run({ zaf: z.zaf, step: countingStep(counts, { hold }), batchSize: 20, concurrency: 2 });
  await waitFor(() => counts.size >= 5, 'the first batch to start');
  front.down();
  takeDown();
  await waitFor(() => waits.includes('endpoint_unavailable'), 'the job to wait for the endpoint');
  const during = job.progress();
  assert.equal(during.status, 'running');
  assert.ok(during.saved < 40, 'nothing more is saved while the endpoint is away');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.ok(counts.size <= 40, 'no batch beyond the unsaved one is started meanwhile');
  front.up();
  const end = await running;
  assert.equal(end.status, 'completed');
  assert.equal(counts.size, 80);
  assert.ok([...counts.values()].every((n) => n === 1));
});

test('a comment that changed since it was read is read again and redacted as it is now', async () => {
  const z = zendesk([6]);
  const [requester] = z.requesters;
  const ticketId = requester.firstTicketId + 2;
  const [first] = requester.comments(ticketId);
  // Another agent redacts the phone number between the app's read and its redaction.
  z.faults.after({ method: 'GET', path: new RegExp(`/tickets/${ticketId}/comments`) }, () => {
    const phone = requester.person.phone;
    requester.replaceComment(first.id, {
      body: first.body.replace(phone, '▇'.repeat(phone.length)),
      plain_body: first.plain_body.replace(phone, '▇'.repeat(phone.length)),
      html_body: first.html_body.replace(phone, '▇'.repeat(phone.length)),
    });
  });
  const job = await collected(ld.jobs({ endpoint, kind: 'gdpr_cleanup' }), z, requester);
  const tally = newTally();
  const step = createCleanupStep({ ld, terms: [requester.person.name, requester.person.email], tally });
  const end = await job.run({ zaf: z.zaf, step });
  assert.equal(end.status, 'completed');
  assert.equal(tally.changed, 1, 'Zendesk refused the stale html once; the ticket was read again');
  assert.ok(z.log.some((e) => e.method === 'PUT' && e.status === 422));
  for (let i = 0; i < 6; i++) {
    const id = requester.firstTicketId + i;
    requester.comments(id).forEach((comment, n) => {
      assert.deepEqual({ body: comment.body, plain_body: comment.plain_body, html_body: comment.html_body }, requester.expectedComment(id, n), `ticket ${id} comment ${n}`);
    });
  }
});

test('refusals: a collect policy that keeps more than IDs, bad kinds and options, a wrong kind on resume', async () => {
  const z = zendesk([5]);
  const jobs = ld.jobs({ endpoint, kind: 'gdpr_cleanup' });
  const wide = ld.zaf(nodeZafClient(z.api), ld.compile({ ...COLLECT_POLICY, resources: { ticket: 'id,subject' } }));
  const job = await jobs.create({ subjects: { user: [z.requesters[0].user.id] } });
  await assert.rejects(job.collect({ zaf: wide, url: requesterTicketsUrl(z.requesters[0].user.id) }), (e) => e.code === 'not_ids_only' && /"subject"/.test(e.message));
  assert.equal(job.progress().status, 'interrupted');
  const again = await jobs.resume(job.id);
  assert.equal(again.progress().status, 'interrupted');
  await again.discard();
  assert.equal(await endpointHas(job.id), false);

  for (const kind of ['', 'GDPR', 'a.b', 'x'.repeat(61), 7]) {
    assert.throws(() => ld.jobs({ endpoint, kind }), (e) => e.code === 'invalid_argument', String(kind));
  }
  assert.throws(() => ld.jobs({ endpoint: {}, kind: 'k' }), (e) => e.code === 'invalid_argument');
  assert.throws(() => ld.jobs({ endpoint, kind: 'k', segmentSize: 10_001 }), (e) => e.code === 'invalid_argument');
  await assert.rejects(jobs.create({ subjects: { user: ['jane@example.com'] } }), (e) => e.code === 'personal_data');
  await assert.rejects(jobs.create({ items: 'comment' }), (e) => e.code === 'invalid_argument');
  const ready = await collected(jobs, z, z.requesters[0]);
  await assert.rejects(ready.run({ zaf: z.zaf, step: async () => {}, batchSize: 0 }), (e) => e.code === 'invalid_argument');
  await assert.rejects(ready.run({ zaf: z.zaf, step: async () => {}, concurrency: 17 }), (e) => e.code === 'invalid_argument');
  await assert.rejects(ready.run({ zaf: z.zaf }), (e) => e.code === 'invalid_argument');
  await assert.rejects(ready.collect({ zaf: z.collectZaf, url: '/x' }), (e) => e.code === 'invalid_state');
  await assert.rejects(ld.jobs({ endpoint, kind: 'campaign' }).resume(ready.id), (e) => e.code === 'invalid_argument' && /gdpr_cleanup/.test(e.message));
  await ready.discard();
});
