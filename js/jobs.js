// Multi-stage jobs (DESIGN §10; docs/jobs.md): a process over many Zendesk records that runs
// in the agent's browser in stages — collect the IDs (job-collect.js), keep them at the
// endpoint (job-store.js: only IDs, the kind, the progress and an opaque cursor), process them
// in batches with the app's step — and that can pause, stop, and resume from the endpoint's
// state after a reload or in another admin's browser, without redoing saved batches.
//
// Progress is saved after every batch as the number of items done in job order: items run
// `concurrency` at a time and may finish out of order, so what is saved is the longest run of
// finished items from the start; anything after it is done again on resume. Steps must
// therefore be idempotent (redacting what is already redacted changes nothing).
//
// Memory is bounded whatever the job's size: one segment's IDs (at most 10,000), one batch,
// and what `concurrency` steps hold at a time.
import { EndpointClient } from './endpoint.js';
import { LeastDataError } from './errors.js';
import { collectIds } from './job-collect.js';
import { ITEM_TYPES } from './job-cursor.js';
import { JobMeter } from './job-meter.js';
import { JobStore, checkKind } from './job-store.js';
import { RequestGate } from './request-gate.js';

/** The most IDs the endpoint keeps in one job (docs/endpoint.md, "10 000 IDs per job"): a segment's size. */
export const MAX_SEGMENT_IDS = 10_000;
const DEFAULT_BATCH_SIZE = 100;
const MAX_BATCH_SIZE = 1000;
const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;

const gone = () => new LeastDataError('job_gone', 'the job is no longer at the endpoint: it was completed elsewhere, or passed its retention');

// A step's failure as the job reports it: a LeastDataError naming the item (an ID, never a
// value of it) and what went wrong, with the original as `cause`.
function stepFailure(error, item) {
  const status = error instanceof Error ? undefined : error?.status;
  const what = error instanceof LeastDataError ? `${error.message} (${error.code})`
    : status !== undefined ? `Zendesk answered HTTP ${status}${error.statusText ? ` ${error.statusText}` : ''}`
      : String(error?.message ?? error);
  const failure = new LeastDataError('step_failed', `the step failed for item ${item}: ${what}; fix the cause, then run the job again`);
  failure.cause = error;
  failure.item = item;
  return failure;
}

function randomOwner() {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function integerOption(value, fallback, max, name) {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new LeastDataError('invalid_argument', `${name} must be an integer from 1 to ${max}`);
  return n;
}

// The subject IDs of a root job as the endpoint returns them, without empty categories.
function subjectsOf(job) {
  return Object.fromEntries(Object.entries(job.ids ?? {}).filter(([, ids]) => ids.length > 0));
}

export class Jobs {
  /**
   * @param {import('./engine.js').Engine} engine
   * @param {{ endpoint: EndpointClient, kind: string, segmentSize?: number }} options
   */
  constructor(engine, options) {
    if (!(options?.endpoint instanceof EndpointClient)) {
      throw new LeastDataError('invalid_argument', 'jobs({ endpoint, kind }): endpoint must be a client from ld.endpoint()');
    }
    checkKind(options.kind);
    this.engine = engine;
    this.endpoint = options.endpoint;
    this.kind = options.kind;
    this.segmentSize = integerOption(options.segmentSize, MAX_SEGMENT_IDS, MAX_SEGMENT_IDS, 'segmentSize');
  }

  /**
   * Starts a job at the endpoint: `subjects` are the IDs it is about (the requester who asked
   * to be forgotten), `items` what its collect stage finds. Returns it in status 'collecting'.
   * @param {{ subjects?: Partial<Record<'ticket' | 'user' | 'organization', Array<number | string>>>, items?: 'ticket' | 'user' | 'organization' }} [options]
   */
  async create(options = {}) {
    const subjects = options.subjects ?? {};
    const items = options.items ?? 'ticket';
    if (!ITEM_TYPES.includes(items)) throw new LeastDataError('invalid_argument', `items must be one of ${ITEM_TYPES.join(', ')}`);
    this.engine.checkJobIds(subjects);
    const job = new Job(this);
    const state = { stage: 'collect', items, collected: 0, head: null, owner: randomOwner() };
    const root = await job.store.createRoot(subjects, state);
    job.adopt(root, state);
    job.status = 'collecting';
    return job;
  }

  /**
   * The job `id` as the endpoint keeps it: status 'paused' (run it to go on), 'stopped' (with
   * its deletion date), or 'interrupted' (its IDs were still being collected: discard it).
   */
  async resume(id) {
    const job = new Job(this);
    const { job: root, state } = await job.store.readRoot(String(id));
    job.adopt(root, state);
    if (root.status === 'stopped') {
      job.status = 'stopped';
      job.deleteAt = root.delete_at;
    } else {
      job.status = state.stage === 'collect' ? 'interrupted' : 'paused';
    }
    return job;
  }

  /**
   * This kind's jobs at the endpoint (its report: admins only): [{ id, status, created_at,
   * updated_at, retained_until }], oldest first. Resume one with resume(id).
   */
  async list() {
    const report = await this.endpoint.report();
    return (report.categories?.jobs?.items ?? [])
      .filter((item) => item.kind === this.kind)
      .map(({ id, status, created_at: createdAt, updated_at: updatedAt, retained_until: retainedUntil }) =>
        ({ id, status, created_at: createdAt, updated_at: updatedAt, retained_until: retainedUntil }))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}

export class Job {
  /** @param {Jobs} jobs */
  constructor(jobs) {
    this.jobs = jobs;
    this.listeners = new Set();
    this.meter = new JobMeter();
    this.waits = { zendesk: null, endpoint: null };
    this.gate = new RequestGate({ onWait: (wait) => this.setWait('zendesk', wait) });
    this.store = new JobStore(jobs.endpoint, jobs.kind, { onWait: (wait) => this.setWait('endpoint', wait) });
    this.status = 'new';
    this.error = null;
    this.deleteAt = null;
    this.inBatch = 0; // items finished in the batch running, beyond the saved count
    this.work = null; // the promise of collect() or run() while one runs
  }

  adopt(root, state) {
    this.id = root.id;
    this.subjects = subjectsOf(root);
    this.createdAt = root.created_at;
    this.state = state;
  }

  get kind() {
    return this.jobs.kind;
  }

  /** Hears every change of progress; returns the function that stops it. */
  onProgress(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Where the job is: status ('collecting', 'ready', 'running', 'paused', 'stopped',
   * 'completed', 'discarded', 'interrupted', 'failed'), counts, the rate (items/s) and time
   * left, what it waits for, the last error, and when the endpoint deletes a stopped job.
   */
  progress() {
    const s = this.state;
    const processing = s?.stage === 'process';
    const done = processing ? s.done + this.inBatch : 0;
    const total = processing ? s.total : null;
    const wait = this.waits.endpoint ?? this.waits.zendesk;
    return {
      id: this.id,
      kind: this.kind,
      status: this.status,
      items: s?.items,
      collected: processing ? s.total : (s?.collected ?? 0),
      total,
      done,
      saved: processing ? s.done : 0,
      rate: this.status === 'running' ? this.meter.rate : 0,
      secondsLeft: this.status === 'running' && processing ? this.meter.secondsLeft(done, total) : null,
      waiting: wait ? { reason: wait.reason, until: new Date(wait.until).toISOString() } : null,
      error: this.error ? { code: this.error.code ?? 'error', message: this.error.message ?? String(this.error) } : null,
      deleteAt: this.deleteAt,
    };
  }

  emit() {
    const snapshot = this.progress();
    for (const listener of this.listeners) listener(snapshot);
  }

  setWait(source, wait) {
    this.waits[source] = wait;
    this.emit();
  }

  requireStatus(action, ...allowed) {
    if (!allowed.includes(this.status)) {
      throw new LeastDataError('invalid_state', `cannot ${action} a job that is ${this.status} (only when ${allowed.join(' or ')})`);
    }
  }

  /**
   * The collect stage: pages through `url` (a search export, incremental export or list)
   * through `zaf`, an adapter whose policy keeps only IDs, and stores them at the endpoint.
   * Resolves with the progress once the job is 'ready' (or 'completed' when nothing was found).
   * @param {{ zaf: { request(options: object): Promise<any> }, url: string }} options
   */
  async collect(options) {
    this.requireStatus('collect', 'collecting');
    if (typeof options?.url !== 'string' || typeof options?.zaf?.request !== 'function') {
      throw new LeastDataError('invalid_argument', 'collect({ zaf, url }): zaf is an adapter from ld.zaf(), url the first page');
    }
    return this.track(this.collectAll(options));
  }

  async collectAll({ zaf, url }) {
    this.controller = new AbortController();
    const { signal } = this.controller;
    const state = this.state;
    try {
      const { total, head } = await collectIds({
        store: this.store, gate: this.gate, rootId: this.id, itemType: state.items, zaf, url,
        segmentSize: this.jobs.segmentSize, signal,
        onSegment: async ({ collected, head: first }) => {
          Object.assign(state, { collected, head: first });
          await this.store.saveRoot(this.id, state, signal);
        },
        onPage: (collected) => {
          state.collected = collected;
          this.emit();
        },
      });
      if (total === 0) {
        await this.store.complete(this.id, signal);
        this.status = 'completed';
        return;
      }
      this.state = { stage: 'process', items: state.items, total, done: 0, head, offset: 0, owner: state.owner };
      await this.store.saveRoot(this.id, this.state, signal);
      this.status = 'ready';
    } catch (error) {
      if (this.stopping) return;
      this.status = 'interrupted';
      throw this.fail(error);
    }
  }

  /**
   * The process stage: hands every item ID to `step`, `concurrency` at a time, and saves the
   * progress at the endpoint after each batch of `batchSize`; completes the job (the endpoint
   * deletes it at once) after the last. Resolves with the progress when it completes, pauses
   * or stops. `context.request(options)` in the step sends a Zendesk request through `zaf`,
   * honouring 429 and retrying server errors (request-gate.js).
   * @param {{ step: (id: number | string, context: { request(options: object): Promise<any>, signal: AbortSignal }) => Promise<void>,
   *           zaf?: { request(options: object): Promise<any> }, batchSize?: number, concurrency?: number }} options
   */
  async run(options) {
    this.requireStatus('run', 'ready', 'paused');
    if (typeof options?.step !== 'function') throw new LeastDataError('invalid_argument', 'run({ step }): step must be a function');
    const settings = {
      step: options.step,
      zaf: options.zaf,
      batchSize: integerOption(options.batchSize, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, 'batchSize'),
      concurrency: integerOption(options.concurrency, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, 'concurrency'),
    };
    return this.track(this.runAll(settings));
  }

  // Runs `work` as the job's current work: progress is emitted as it ends, and it resolves
  // with the progress, or rejects with the error that paused or ended the job.
  track(work) {
    this.work = work.finally(() => {
      this.work = null;
      this.waits = { zendesk: null, endpoint: null };
      this.emit();
    });
    this.emit();
    return this.work.then(() => this.progress());
  }

  async runAll(settings) {
    this.controller = new AbortController();
    const { signal } = this.controller;
    this.status = 'running';
    this.error = null;
    this.pauseRequested = false;
    try {
      await this.claim(signal);
      this.meter.reset();
      this.meter.record(this.state.done);
      const s = this.state;
      while (s.done < s.total && !this.pauseRequested) {
        if (this.segment?.id !== s.head) this.segment = { id: s.head, ...(await this.store.readSegment(s.head, s.items, signal)) };
        if (s.offset >= this.segment.ids.length) {
          if (!this.segment.next) throw new LeastDataError('invalid_job', `the job counts more IDs than its segments hold; it cannot go on`);
          await this.nextSegment(signal);
          continue;
        }
        const batch = this.segment.ids.slice(s.offset, s.offset + settings.batchSize);
        const { finished, failure } = await this.runBatch(batch, settings, signal);
        s.offset += finished;
        s.done += finished;
        this.inBatch = 0;
        if (s.offset >= this.segment.ids.length && this.segment.next && !failure) await this.nextSegment(signal);
        else if (finished > 0 || failure) await this.save(signal);
        if (failure) throw stepFailure(failure.error, failure.item);
        this.emit();
      }
      if (s.done >= s.total) {
        await this.store.complete(s.head, signal);
        await this.store.complete(this.id, signal);
        this.status = 'completed';
        this.segment = null;
      } else if (!this.stopping) {
        this.status = 'paused';
      }
    } catch (error) {
      if (this.stopping) return;
      if (this.pauseRequested && signal.aborted && error === signal.reason) {
        this.status = 'paused';
        return;
      }
      throw this.fail(error);
    }
  }

  // Moves on to the next segment: the root points at it before the finished one is deleted,
  // so a failure in between leaves at most a finished segment behind (its retention ends it).
  async nextSegment(signal) {
    const s = this.state;
    const finished = s.head;
    s.head = this.segment.next;
    s.offset = 0;
    await this.save(signal);
    await this.store.complete(finished, signal);
  }

  // Reads the job's state from the endpoint (another browser may have moved it on) and makes
  // this browser its owner: the other browser stops at its next save.
  async claim(signal) {
    try {
      const { job, state } = await this.store.readRoot(this.id, signal);
      if (job.status === 'stopped') {
        this.deleteAt = job.delete_at;
        throw new LeastDataError('job_stopped', 'the job was stopped; a stopped job cannot go on');
      }
      if (state.stage !== 'process') throw new LeastDataError('invalid_state', 'the job is still collecting IDs; discard it and collect again');
      state.owner = randomOwner();
      this.state = state;
      await this.store.saveRoot(this.id, state, signal);
    } catch (error) {
      if (error.status === 404) throw gone();
      throw error;
    }
  }

  // Saves the progress, after checking that no other browser took the job over.
  async save(signal) {
    try {
      const { state } = await this.store.readRoot(this.id, signal);
      if (state.owner !== this.state.owner) {
        throw new LeastDataError('job_taken_over', 'another browser resumed this job, so this one stopped working on it');
      }
      await this.store.saveRoot(this.id, this.state, signal);
    } catch (error) {
      if (error.status === 404) throw gone();
      if (error.status === 409) {
        // Stopped by another admin: the endpoint refuses to change a stopped job.
        this.deleteAt = (await this.jobs.endpoint.getJob(this.id).catch(() => null))?.delete_at ?? null;
        throw new LeastDataError('job_stopped', 'the job was stopped by someone else; a stopped job cannot go on');
      }
      throw error;
    }
  }

  // Runs one batch; returns how many items from its start finished, and the first failure
  // ({ error, item }) or null.
  async runBatch(batch, { step, zaf, concurrency }, signal) {
    const finished = new Uint8Array(batch.length);
    let next = 0;
    let failure = null;
    const context = {
      signal,
      request: (options) => {
        if (!zaf) throw new LeastDataError('invalid_argument', 'run({ zaf }): give the adapter the step requests Zendesk with');
        return this.gate.request(zaf, options, signal);
      },
    };
    const worker = async () => {
      while (failure === null && !this.pauseRequested && next < batch.length) {
        const index = next++;
        try {
          await step(batch[index], context);
          finished[index] = 1;
          this.inBatch++;
          this.meter.record(this.state.done + this.inBatch);
          this.emit();
        } catch (error) {
          // An item that was stopped by pause() is not a failure: it runs again on resume.
          if (!(this.pauseRequested && signal.aborted)) failure ??= { error, item: batch[index] };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    let prefix = 0;
    while (prefix < batch.length && finished[prefix]) prefix++;
    return { finished: prefix, failure };
  }

  fail(error) {
    this.error = error;
    if (error.code === 'job_gone') this.status = 'failed';
    else if (error.code === 'job_stopped') this.status = 'stopped';
    else if (this.status === 'running') this.status = 'paused';
    return error;
  }

  /**
   * Pauses after the items running now: the progress up to them is saved (one attempt: while
   * the endpoint cannot be reached it is not, and those items run again on resume). Resolves
   * with the progress; run() again to go on.
   */
  async pause() {
    if (this.status !== 'running') return this.progress();
    this.pauseRequested = true;
    this.controller.abort(new LeastDataError('paused', 'the job was paused'));
    await this.work?.catch(() => {});
    return this.progress();
  }

  /**
   * Stops the job for good: the endpoint keeps its IDs for 7 days after the stop, then
   * deletes them (progress().deleteAt says when). Stops a collect or a run first.
   */
  async stop() {
    this.requireStatus('stop', 'collecting', 'ready', 'running', 'paused', 'interrupted');
    this.stopped ??= this.stopAll();
    return this.stopped;
  }

  async stopAll() {
    this.stopping = true;
    this.pauseRequested = true;
    this.controller?.abort(new LeastDataError('stopped', 'the job was stopped'));
    await this.work?.catch(() => {});
    this.status = 'stopping';
    this.emit();
    try {
      this.deleteAt = await this.store.stop(this.id);
      await this.store.eachSegment(this.state.head, (id) => this.store.stop(id));
      this.status = 'stopped';
      this.error = null;
    } catch (error) {
      this.status = 'paused';
      this.stopped = undefined;
      throw this.fail(error);
    } finally {
      this.stopping = false;
      this.emit();
    }
    return this.progress();
  }

  /** Deletes a job that will not go on (an interrupted collect, say) at the endpoint now. */
  async discard() {
    this.requireStatus('discard', 'ready', 'paused', 'interrupted', 'stopped');
    await this.store.eachSegment(this.state.head, (id) => this.store.complete(id));
    await this.store.complete(this.id);
    this.status = 'discarded';
    this.emit();
    return this.progress();
  }
}
