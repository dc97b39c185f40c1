// A ZAF client for the Node tests of the job API: `request(options)` answers from the
// simulated Zendesk (demo/zendesk/api.js) in this process, with the shapes ZAF's
// client.request gives a complete response — { status, headers, responseText } on success,
// a jqXHR-like { status, statusText, headers, responseText } rejection otherwise — which is
// what leastdata's adapter reads. ZAF itself only runs in a browser: the Chromium e2e test
// (gdpr-cleanup.test.js) runs the same flow with the real SDK and the demo's parent.
export function nodeZafClient(api) {
  return {
    async get() {
      throw new Error('the Node tests make no ZAF get');
    },
    async request(options) {
      const method = String(options.type ?? options.method ?? 'GET').toUpperCase();
      // Asynchronous, as a message to the parent window is.
      await new Promise((resolve) => setImmediate(resolve));
      const answer = api.handle(method, new URL(options.url, 'http://localhost'), options.data);
      if (answer.status >= 200 && answer.status < 300) {
        return { status: answer.status, headers: answer.headers, responseText: answer.body };
      }
      throw { readyState: 4, status: answer.status, statusText: 'error', headers: answer.headers, responseText: answer.body };
    },
  };
}
