// Zendesk's account rate limit, as its API reference describes it ("Rate limits",
// developer.zendesk.com/api-reference/introduction/rate-limits): requests per minute by
// plan; every response carries `X-Rate-Limit` and `X-Rate-Limit-Remaining`; over the limit
// the API answers 429 Too Many Requests with `Retry-After`, the seconds to wait. The body is
// plain text, not JSON: Zendesk's own answer is `Content-Type: text/plain` with
// "Number of allowed API requests per minute exceeded" (as recorded in Zendesk's developer
// community, "status code: 429, error: Number of allowed API requests per minute exceeded").
// A sliding window over the last `windowMs`: memory is bounded by `limit` timestamps.

export const RATE_LIMITED_BODY = 'Number of allowed API requests per minute exceeded';

/** Requests per minute of the demo's plan (Suite Professional: 400, Zendesk's plan limits). */
export const DEMO_PLAN_LIMIT = 400;

/**
 * @param {{ limit?: number, windowMs?: number, now?: () => number }} [options]
 *   `windowMs` is a minute in Zendesk; tests shorten it so a Retry-After is a second or two.
 */
export function createRateLimiter({ limit = DEMO_PLAN_LIMIT, windowMs = 60_000, now = Date.now } = {}) {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('rate limit: limit must be a positive integer');
  const recent = [];
  return {
    /**
     * Counts one request. Returns the rate headers to add to its response, or, over the
     * limit, the complete 429 response ({ status, headers, body }) to send instead.
     */
    take() {
      const at = now();
      while (recent.length > 0 && recent[0] <= at - windowMs) recent.shift();
      if (recent.length >= limit) {
        const retryAfter = Math.max(1, Math.ceil((recent[0] + windowMs - at) / 1000));
        return {
          status: 429,
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'retry-after': String(retryAfter),
            'x-rate-limit': String(limit),
            'x-rate-limit-remaining': '0',
          },
          body: RATE_LIMITED_BODY,
        };
      }
      recent.push(at);
      return { headers: { 'x-rate-limit': String(limit), 'x-rate-limit-remaining': String(limit - recent.length) } };
    },
  };
}
