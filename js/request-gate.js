// Zendesk API requests of a multi-stage job, made politely (docs/jobs.md, "Rate limits and
// retries"). Zendesk limits requests per minute per account and answers 429 with
// `Retry-After` (seconds) when an account is over; every request of the account counts, so a
// 429 closes the gate for all of the job's requests until the time it names has passed, and
// the request is sent again. A server error (500, 502, 503, 504) or a request that could not
// be made (status 0: timeout, network) is retried after a growing pause — Zendesk's
// `Retry-After` when it sends one — a few times, then handed to the caller. Requests go out
// with `autoRetry: false`, so the framework never retries behind the job's back and the job
// can show that it waits.
import { LeastDataError } from './errors.js';

const SERVER_ERRORS = new Set([0, 500, 502, 503, 504]);
/** Attempts of one request that keeps failing with a server error, the first included. */
export const SERVER_ERROR_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
// When a 429 carries no usable Retry-After: Zendesk's window is a minute.
const DEFAULT_RATE_WAIT_S = 60;
/** The timeout of one request (ms) unless the caller gives one. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** A header of a ZAF failure's or response's `headers`, whatever its case. */
export function header(headers, name) {
  if (headers === null || typeof headers !== 'object') return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : String(headers[key]);
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers, now = Date.now()) {
  const value = header(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before attempt `attempt + 1` after a server error: 1 s, 2 s, 4 s… at most 30 s. */
export function backoffMs(attempt) {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RequestGate {
  /**
   * @param {{ onWait?: (wait: { reason: 'rate_limited' | 'zendesk_unavailable', until: number } | null) => void }} [options]
   *   `onWait` hears when requests start waiting (and until when) and when they go on (null).
   */
  constructor(options = {}) {
    this.onWait = options.onWait ?? (() => {});
    this.closedUntil = 0;
    /** 429 answers seen, and server errors retried: for progress reports and tests. */
    this.stats = { rateLimited: 0, serverErrors: 0 };
  }

  // Waits while the gate is closed (a 429's Retry-After has not passed yet).
  async open(signal) {
    while (Date.now() < this.closedUntil) {
      await sleep(this.closedUntil - Date.now(), signal);
    }
  }

  /**
   * Sends `options` through `zaf` (a leastdata ZAF adapter), honouring 429 and retrying
   * server errors. Rejects with the adapter's failure when it is not one of those, or with
   * the signal's reason once `signal` aborts.
   * @param {{ request(options: object): Promise<any> }} zaf
   * @param {Record<string, unknown>} options
   * @param {AbortSignal} [signal]
   */
  async request(zaf, options, signal) {
    if (options === null || typeof options !== 'object') {
      throw new LeastDataError('invalid_argument', 'request(options): options must be a ZAF request object');
    }
    for (let attempt = 1; ; attempt++) {
      await this.open(signal);
      signal?.throwIfAborted();
      try {
        return await zaf.request({ timeout: REQUEST_TIMEOUT_MS, ...options, autoRetry: false });
      } catch (failure) {
        const status = failure instanceof Error ? undefined : failure?.status;
        if (status === 429) {
          this.stats.rateLimited++;
          const wait = retryAfterMs(failure.headers) ?? DEFAULT_RATE_WAIT_S * 1000;
          this.closedUntil = Math.max(this.closedUntil, Date.now() + wait);
          this.onWait({ reason: 'rate_limited', until: this.closedUntil });
          await this.open(signal);
          this.onWait(null);
          continue;
        }
        if (SERVER_ERRORS.has(status) && attempt < SERVER_ERROR_ATTEMPTS) {
          this.stats.serverErrors++;
          const wait = retryAfterMs(failure.headers) ?? backoffMs(attempt);
          this.onWait({ reason: 'zendesk_unavailable', until: Date.now() + wait });
          await sleep(wait, signal);
          this.onWait(null);
          continue;
        }
        throw failure;
      }
    }
  }
}
