// Faults the tests inject into the simulated Zendesk (they are not Zendesk behaviour): a
// route answering an error status for its next N requests, and a change made right after a
// response was sent — the comment another agent edits between the app's read and its write.
// The demo itself never injects any.

/**
 * @typedef {{ method?: string, path: RegExp }} RequestMatch
 */
export function createFaults() {
  const failures = [];
  const hooks = [];
  const matches = (rule, method, url) => (!rule.method || rule.method === method) && rule.path.test(url.pathname);

  return {
    /**
     * The next `times` requests that match answer `status` (with `headers` and a plain-text
     * `body`) instead of reaching the API.
     * @param {RequestMatch & { status: number, times?: number, headers?: Record<string, string>, body?: string }} rule
     */
    fail(rule) {
      failures.push({ times: 1, ...rule });
    },

    /** Runs `change()` once, after the first response to a request that matches. */
    after(match, change) {
      hooks.push({ ...match, change });
    },

    /** The injected answer for this request, if any (counts down its rule). */
    answer(method, url) {
      const rule = failures.find((r) => r.times > 0 && matches(r, method, url));
      if (!rule) return undefined;
      rule.times--;
      return {
        status: rule.status,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...rule.headers },
        body: rule.body ?? `injected fault: HTTP ${rule.status}`,
      };
    },

    /** Runs the hooks of a request that was answered. */
    answered(method, url) {
      for (let i = hooks.length - 1; i >= 0; i--) {
        if (matches(hooks[i], method, url)) hooks.splice(i, 1)[0].change();
      }
    },

    /** Injected failures not yet used. */
    get pending() {
      return failures.reduce((sum, rule) => sum + rule.times, 0);
    },
  };
}
