// The endpoint's side of a multi-stage job (DESIGN §7 jobs, §10): the root job and its chain
// of segment jobs (job-cursor.js), through the endpoint client. Calls that fail because the
// endpoint cannot be reached — through Zendesk's proxy: status 0, 502, 503, 504, or the
// endpoint's own 429 — are retried after a growing pause until they succeed or the signal
// aborts, and `onWait` hears that the job waits; every other failure is the caller's.
import { decodeRoot, decodeSegment, encodeRoot, encodeSegment } from './job-cursor.js';
import { LeastDataError } from './errors.js';
import { backoffMs, sleep } from './request-gate.js';

const UNREACHABLE = new Set([0, 429, 502, 503, 504]);

/** Kinds are the endpoint's `[a-z0-9_.-]{1,64}`; `.ids` is added for segments. */
const KIND = /^[a-z0-9_-]{1,60}$/;
export const SEGMENT_SUFFIX = '.ids';

export function checkKind(kind) {
  if (typeof kind !== 'string' || !KIND.test(kind)) {
    throw new LeastDataError('invalid_argument', 'a job kind is 1 to 60 characters of a-z, 0-9, _ and -');
  }
}

const isUnreachable = (error) => error instanceof LeastDataError && UNREACHABLE.has(error.status);

export class JobStore {
  /**
   * @param {import('./endpoint.js').EndpointClient} endpoint
   * @param {string} kind
   * @param {{ onWait?: (wait: { reason: 'endpoint_unavailable', until: number } | null) => void }} [options]
   */
  constructor(endpoint, kind, options = {}) {
    this.endpoint = endpoint;
    this.kind = kind;
    this.onWait = options.onWait ?? (() => {});
  }

  // Runs `call` until it does not fail for want of the endpoint.
  async patiently(call, signal) {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await call();
        if (attempt > 1) this.onWait(null);
        return result;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        const wait = backoffMs(attempt);
        this.onWait({ reason: 'endpoint_unavailable', until: Date.now() + wait, message: error.message });
        await sleep(wait, signal);
      }
    }
  }

  /** Creates the root job: the subject IDs and the collecting state. */
  createRoot(subjects, state, signal) {
    return this.patiently(() => this.endpoint.createJob(this.kind, subjects, { cursor: encodeRoot(state) }), signal);
  }

  /** Reads the root job: { job, state } (state decoded from its cursor). */
  async readRoot(id, signal) {
    const job = await this.patiently(() => this.endpoint.getJob(id), signal);
    if (job.kind !== this.kind) {
      throw new LeastDataError('invalid_argument', `job ${id} is of kind ${JSON.stringify(job.kind)}, not ${JSON.stringify(this.kind)}`);
    }
    return { job, state: decodeRoot(job.cursor) };
  }

  /** Writes the root's state. */
  saveRoot(id, state, signal) {
    return this.patiently(() => this.endpoint.updateJob(id, { cursor: encodeRoot(state) }), signal);
  }

  /** Stores a segment of item IDs; returns its endpoint job ID. */
  async createSegment(rootId, itemType, ids, signal) {
    const job = await this.patiently(
      () => this.endpoint.createJob(this.kind + SEGMENT_SUFFIX, { [itemType]: ids }, { cursor: encodeSegment({ root: rootId }) }),
      signal,
    );
    return job.id;
  }

  /** Links a segment to the next one. */
  link(segmentId, rootId, nextId, signal) {
    return this.patiently(() => this.endpoint.updateJob(segmentId, { cursor: encodeSegment({ root: rootId, next: nextId }) }), signal);
  }

  /** A segment: { ids, next } with the IDs of its item type. */
  async readSegment(id, itemType, signal) {
    const job = await this.patiently(() => this.endpoint.getJob(id), signal);
    if (job.kind !== this.kind + SEGMENT_SUFFIX) {
      throw new LeastDataError('invalid_job', `job ${id} is not a segment of a ${this.kind} job`);
    }
    return { ids: job.ids?.[itemType] ?? [], next: decodeSegment(job.cursor).next, status: job.status };
  }

  /** Deletes a job at once (complete); a job already gone is fine. */
  async complete(id, signal) {
    try {
      await this.patiently(() => this.endpoint.completeJob(id), signal);
    } catch (error) {
      if (error.status !== 404) throw error;
    }
  }

  /** Stops a job (the endpoint deletes it 7 days later); returns its delete_at, or null when it is gone. */
  async stop(id, signal) {
    try {
      return (await this.patiently(() => this.endpoint.stopJob(id), signal)).delete_at;
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  /** Calls `visit(segmentId)` for every segment from `head` on, following the links. */
  async eachSegment(head, visit, signal) {
    for (let id = head; id; ) {
      let next;
      try {
        ({ next } = decodeSegment((await this.patiently(() => this.endpoint.getJob(id), signal)).cursor));
      } catch (error) {
        if (error.status === 404) return; // already gone: completed, or past its retention
        throw error;
      }
      await visit(id);
      id = next;
    }
  }
}
