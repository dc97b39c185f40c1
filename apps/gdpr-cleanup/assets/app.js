// The GDPR-cleanup app (nav bar), built on leastdata's public API only. An admin signs in with
// Zendesk (the endpoint learns the role from Zendesk, and only admins may read the jobs it
// keeps), picks the requester who asked to be forgotten, and the job finds their tickets (a
// search export kept down to IDs), stores the IDs at the endpoint, and redacts the personal
// data in every comment (cleanup.js), with a progress bar, pause, stop, and resume after a
// reload or in another admin's browser. Nothing is written to any browser storage; the
// requester's name and email are held in this page's memory only while the job runs.
import { load } from './leastdata/browser.js';
import { createCleanupStep, newTally } from './cleanup.js';
import { COLLECT_POLICY, JOB_KIND, POLICY, requesterTicketsUrl } from './policy.js';

// 50 tickets a batch: at most ~50 tickets done again after a reload, and the progress is
// saved a few times a minute under Zendesk's rate limits. 4 at a time stays well inside them.
const BATCH_SIZE = 50;
const CONCURRENCY = 4;

const $ = (id) => document.getElementById(id);
const number = (n) => Number(n).toLocaleString('en-US');
const formatDate = (text) => new Date(text).toUTCString().replace(/:\d\d GMT$/, ' UTC');
const formatTime = (text) => new Date(text).toISOString().slice(11, 19);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function describe(error) {
  const code = error?.code ? ` (${error.code})` : '';
  return `${error?.message ?? String(error)}${code}`;
}

function setStatus(text) {
  $('status').textContent = text;
}

const app = {
  ld: null, zaf: null, collectZaf: null, ep: null, jobs: null,
  // The job on screen: { job, person: { id, name, email }, tally, stopListening }
  current: null,
};

// ---- progress ------------------------------------------------------------------------------

const WAIT_TEXT = {
  rate_limited: (until) => `Zendesk's rate limit: waiting until ${formatTime(until)} UTC, as Zendesk asked (Retry-After).`,
  zendesk_unavailable: (until) => `Zendesk did not answer; trying again at ${formatTime(until)} UTC.`,
  endpoint_unavailable: (until) => `The leastdata endpoint cannot be reached, so progress cannot be saved; the job waits and tries again at ${formatTime(until)} UTC.`,
};

function renderProgress(p) {
  const card = $('job-card');
  card.dataset.status = p.status;
  document.body.dataset.jobStatus = p.status;
  const bar = $('job-progress');
  const total = p.total ?? 0;
  bar.setAttribute('aria-valuemax', String(total));
  bar.setAttribute('aria-valuenow', String(p.done));
  $('job-bar').style.width = total > 0 ? `${(100 * p.done) / total}%` : '0';
  let counts;
  if (p.status === 'collecting') counts = `Finding the requester's tickets… ${number(p.collected)} found`;
  else {
    counts = `${number(p.done)} of ${number(total)} tickets`;
    if (p.status === 'running' && p.rate > 0) {
      counts += ` · ${p.rate.toFixed(1)} tickets/s`;
      if (p.secondsLeft !== null) counts += ` · about ${p.secondsLeft < 90 ? `${p.secondsLeft} s` : `${Math.ceil(p.secondsLeft / 60)} min`} left`;
    }
  }
  $('job-counts').textContent = counts;
  $('job-wait').textContent = p.waiting ? WAIT_TEXT[p.waiting.reason](p.waiting.until) : '';
  $('job-pause').hidden = p.status !== 'running';
  $('job-resume').hidden = p.status !== 'paused';
  $('job-stop').hidden = !['collecting', 'running', 'paused', 'interrupted'].includes(p.status);
}

function report(lines, className = 'report') {
  const box = $('job-report');
  box.replaceChildren();
  for (const line of lines) box.append(element('p', className, line));
}

// What each kind of finding is called in the report: the detectors' names, and the
// requester's name or email address found as written in Zendesk.
const FINDING_NAMES = { requester: 'name or email as in Zendesk', credit_card: 'card number', ip: 'IP address', url_secret: 'secret in a URL' };

function renderOutcome(p, tally) {
  if (p.status === 'completed') {
    const found = Object.entries(tally.found).map(([type, n]) => `${FINDING_NAMES[type] ?? type} ${number(n)}`).join(', ');
    report([
      `Done: ${number(p.total ?? 0)} tickets cleaned up. In this session: ${number(tally.comments)} comments read, ` +
        `${number(tally.redacted)} redacted${found ? ` (${found})` : ''}.`,
      "The job is complete, so the endpoint deleted its ticket IDs at once: nothing of it remains there.",
    ], 'report report--ok');
  } else if (p.status === 'stopped') {
    report([
      `Stopped at ${number(p.done)} of ${number(p.total ?? p.collected)} tickets.`,
      `The endpoint keeps the job's ticket IDs until ${formatDate(p.deleteAt)} (7 days after stopping), then deletes them.`,
    ]);
  } else if (p.status === 'paused' && p.error) {
    report([`Paused: ${p.error.message}`, 'Resume when the cause is fixed: finished batches are not done again.'], 'report report--error');
  } else if (p.status === 'paused') {
    report(['Paused. Resume here, or in another admin\'s browser: the endpoint keeps the progress.']);
  } else if (p.status === 'failed') {
    report([`The job cannot go on: ${p.error?.message ?? 'it is gone from the endpoint'}.`], 'report report--error');
  } else {
    report([]);
  }
}

function show(job, person) {
  app.current?.stopListening();
  const tally = app.current?.job.id === job.id ? app.current.tally : newTally();
  app.current = { job, person, tally, stopListening: job.onProgress(renderProgress) };
  $('job-card').hidden = false;
  $('job-card').dataset.jobId = job.id;
  $('job-subject').textContent = !person ? `Job ${job.id}`
    : person.name ? `Requester: ${person.name} <${person.email}> (user ${person.id})`
      : `Requester: user ${person.id}, no longer in Zendesk (only the detectors search the comments)`;
  renderProgress(job.progress());
  renderOutcome(job.progress(), tally);
}

// ---- running ---------------------------------------------------------------------------------

async function runJob() {
  const { job, person, tally } = app.current;
  const step = createCleanupStep({ ld: app.ld, terms: [person.name, person.email], tally });
  setStatus('Redacting…');
  try {
    const end = await job.run({ zaf: app.zaf, step, batchSize: BATCH_SIZE, concurrency: CONCURRENCY });
    setStatus(end.status === 'completed' ? 'Cleanup complete.' : `Cleanup ${end.status}.`);
  } catch (error) {
    setStatus(`Cleanup paused: ${describe(error)}`);
    if (error.code === 'session_expired' || error.code === 'session_required') {
      $('signin-card').hidden = false;
      $('sign-in').hidden = false;
      $('sign-in').disabled = false;
      $('signin-status').textContent = 'Your session with the endpoint ended: sign in again, then resume.';
    }
  }
  renderOutcome(job.progress(), tally);
  await refreshJobs();
}

async function start(person) {
  $('candidates').replaceChildren();
  $('find-status').textContent = '';
  setStatus('Starting the job at the endpoint…');
  try {
    const job = await app.jobs.create({ subjects: { user: [person.id] } });
    show(job, person);
    const collected = await job.collect({ zaf: app.collectZaf, url: requesterTicketsUrl(person.id) });
    if (collected.status === 'ready') await runJob();
    else renderOutcome(collected, app.current.tally);
  } catch (error) {
    setStatus(`Could not start: ${describe(error)}`);
    if (app.current) renderOutcome(app.current.job.progress(), app.current.tally);
  }
  await refreshJobs();
}

async function resume(id) {
  setStatus('Reading the job from the endpoint…');
  try {
    const job = await app.jobs.resume(id);
    let person = null;
    const userId = job.subjects.user?.[0];
    if (userId !== undefined && job.progress().status === 'paused') person = await requester(userId);
    show(job, person);
    if (job.progress().status === 'paused') await runJob();
    else if (job.progress().status === 'interrupted') {
      report(['This job was interrupted while it was finding tickets. Stop it, or start a new cleanup: finding tickets is quick.']);
      setStatus('The job was interrupted while finding tickets.');
    }
  } catch (error) {
    setStatus(`Could not resume: ${describe(error)}`);
  }
}

// The requester of a job being resumed, by the ID the endpoint kept: their name and email are
// searched for in the comments besides what the detectors find. A requester Zendesk no longer
// has leaves the detectors alone.
async function requester(userId) {
  try {
    return (await app.zaf.request({ url: `/api/v2/users/${userId}.json`, type: 'GET' })).user;
  } catch (failure) {
    if (failure?.status !== 404) throw failure;
    return { id: userId, name: '', email: '' };
  }
}

function wireJobButtons() {
  $('job-pause').addEventListener('click', async () => {
    $('job-pause').disabled = true;
    setStatus('Pausing after the tickets in progress…');
    await app.current?.job.pause();
    $('job-pause').disabled = false;
  });
  $('job-resume').addEventListener('click', () => app.current && runJob());
  $('job-stop').addEventListener('click', async () => {
    const { job, tally } = app.current;
    $('job-stop').disabled = true;
    setStatus('Stopping…');
    try {
      const end = await job.stop();
      renderOutcome(end, tally);
      setStatus('Cleanup stopped.');
    } catch (error) {
      setStatus(`Could not stop: ${describe(error)}`);
    } finally {
      $('job-stop').disabled = false;
    }
    await refreshJobs();
  });
}

// ---- jobs at the endpoint, and finding a requester --------------------------------------------

async function refreshJobs() {
  let list;
  try {
    list = await app.jobs.list();
  } catch (error) {
    $('jobs').replaceChildren(element('li', 'error', `Could not read the jobs: ${describe(error)}`));
    return;
  }
  const items = list.filter((j) => j.id !== app.current?.job.id || app.current.job.progress().status !== 'running');
  $('jobs').replaceChildren(...(items.length ? items.map(jobItem) : [element('li', 'muted', 'None.')]));
}

function jobItem(entry) {
  const item = element('li', 'jobs__item');
  item.dataset.jobId = entry.id;
  if (entry.status === 'stopped') {
    item.append(element('span', '', `Stopped · started ${formatDate(entry.created_at)} · its IDs are deleted on ${formatDate(entry.retained_until)}`));
    return item;
  }
  item.append(element('span', '', `Not finished · started ${formatDate(entry.created_at)} · last progress ${formatDate(entry.updated_at)}`));
  const button = element('button', 'c-btn c-btn--sm c-btn--primary jobs__resume', 'Resume');
  button.type = 'button';
  button.addEventListener('click', () => resume(entry.id));
  item.append(button);
  return item;
}

function wireFind() {
  $('find-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = $('requester-query').value.trim();
    if (query.length < 3) {
      $('find-status').textContent = 'Type at least 3 characters of the email address or name.';
      return;
    }
    $('find-status').textContent = 'Searching…';
    try {
      const { users } = await app.zaf.request({ url: `/api/v2/users/search.json?query=${encodeURIComponent(query)}`, type: 'GET' });
      $('candidates').replaceChildren(...users.map(candidate));
      $('find-status').textContent = users.length ? `${users.length} found: choose the requester.` : 'Nobody found.';
    } catch (error) {
      $('find-status').textContent = `Search failed: ${describe(error)}`;
    }
  });
}

function candidate(user) {
  const item = element('li', 'candidates__item');
  item.append(element('span', 'candidates__who', `${user.name} <${user.email}>`));
  const button = element('button', 'c-btn c-btn--sm c-btn--danger', 'Redact their personal data');
  button.type = 'button';
  button.dataset.userId = String(user.id);
  button.addEventListener('click', () => start(user));
  item.append(button);
  return item;
}

// ---- main ----------------------------------------------------------------------------------

async function signedIn() {
  try {
    await app.jobs.list();
  } catch (error) {
    if (error.status === 403) {
      $('signin-status').textContent = 'Only admins can run a GDPR cleanup: the endpoint checked your role with Zendesk.';
      document.body.dataset.role = 'agent';
      return;
    }
    throw error;
  }
  document.body.dataset.role = 'admin';
  $('jobs-card').hidden = false;
  $('new-card').hidden = false;
  await refreshJobs();
  setStatus('Ready.');
}

async function main() {
  const client = ZAFClient.init();
  const [ld, metadata] = await Promise.all([load(), client.metadata()]);
  app.ld = ld;
  app.zaf = ld.zaf(client, ld.compile(POLICY));
  app.collectZaf = ld.zaf(client, ld.compile(COLLECT_POLICY));
  app.ep = ld.endpoint({ baseUrl: metadata.settings.endpoint_url, zaf: client, secretSetting: 'shared_secret' });
  app.jobs = ld.jobs({ endpoint: app.ep, kind: JOB_KIND });
  wireJobButtons();
  wireFind();
  const signIn = $('sign-in');
  signIn.disabled = false;
  signIn.addEventListener('click', async () => {
    signIn.disabled = true;
    $('signin-status').textContent = 'Waiting for Zendesk…';
    try {
      const agent = await app.ep.signIn();
      $('signin-status').textContent = `Signed in as ${agent.email ?? agent.id} (${agent.role}).`;
      signIn.hidden = true;
      await signedIn();
      document.body.dataset.signedIn = 'true';
    } catch (error) {
      $('signin-status').textContent = `Not signed in: ${describe(error)}`;
      signIn.disabled = false;
    }
  });
  setStatus('Sign in with Zendesk to start or resume a cleanup.');
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  setStatus(`The app could not start: ${describe(error)}`);
  document.body.dataset.ready = 'failed';
});
