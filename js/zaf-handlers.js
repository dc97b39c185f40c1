// ZAF's client.request (zendesk_app_framework_sdk 2.x, lib/client.js) subscribes a `.done` and
// a `.fail` handler under a key of its own, `request:<n>`, for every request, and never removes
// them: each request leaves two closures in `client._messageHandlers`. An app that makes a few
// requests does not notice; a job that makes hundreds of thousands grows by about a kilobyte a
// request, so its memory would not be bounded. The request's handlers are removed here once the
// request has settled (they are never called again). Only keys that the call itself added and
// that have the SDK's `request:<n>.done|fail` form are touched; a client without
// `_messageHandlers` (another SDK, a test double) is left alone.

const REQUEST_HANDLER = /^request:\d+\.(done|fail)$/;

/**
 * Calls `client.request(options)` and, once it settles, removes the handlers it subscribed.
 * @param {{ request(options: object): Promise<any>, _messageHandlers?: Record<string, Function[]> }} client
 * @param {object} options
 */
export async function requestWithoutLeftovers(client, options) {
  const handlers = client._messageHandlers;
  if (handlers === null || typeof handlers !== 'object') return client.request(options);
  const before = new Set(Object.keys(handlers));
  // The SDK subscribes synchronously, inside the call.
  const pending = client.request(options);
  const added = Object.keys(handlers).filter((key) => !before.has(key) && REQUEST_HANDLER.test(key));
  try {
    return await pending;
  } finally {
    for (const key of added) delete handlers[key];
  }
}
