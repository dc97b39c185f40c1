// The test parent page: plays Zendesk for one ticket_sidebar app. It embeds the app from
// the origin given as ?app=<origin> (default: this page's), answers ZAF `get` from the
// fixed ticket context and proxies ZAF `request` to this server's fake Zendesk API.
// `window.zafParent` exposes every message exchanged, for the tests.
import { APP_GUID, ZAF_DATA, zafContext } from './fixtures.js';
import { ZafParent, lookupPath } from '../../../demo/workspace/zaf-parent.js';

const appOrigin = new URL(location.href).searchParams.get('app') ?? location.origin;
const iframe = document.getElementById('app');

// Like Zendesk's proxy: relative and same-origin /api/ URLs reach "Zendesk"; nothing else does.
async function proxy(options, signal) {
  const url = new URL(options.url, location.origin);
  if (url.origin !== location.origin || !url.pathname.startsWith('/api/')) {
    return { status: 403, statusText: 'Forbidden', headers: {}, body: '' };
  }
  const response = await fetch(url, {
    method: options.type ?? 'GET',
    headers: options.contentType ? { 'content-type': options.contentType } : {},
    body: options.data,
    signal,
  });
  return {
    status: response.status,
    statusText: response.statusText,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

const parent = new ZafParent({
  iframe,
  appOrigin,
  appGuid: APP_GUID,
  context: zafContext(APP_GUID),
  metadata: { appId: 0, installationId: 1, name: 'leastdata ZAF test app', version: '0.1.0', settings: {} },
  get: (path) => lookupPath(ZAF_DATA, path),
  request: proxy,
});
parent.start();
window.zafParent = parent;
iframe.src = ZafParent.appUrl(`${appOrigin}/tests/browser/zaf/app.html`, location.origin, APP_GUID);
