// The workspace's GDPR-cleanup app (apps/gdpr-cleanup/, location support.nav_bar): opened from
// its rail button (`?view=gdpr-cleanup`, switcher.js), it takes the main area in an iframe
// from its own origin, as Zendesk shows a nav bar app. Its ZAF parent answers `get` for the
// signed-in user and the account only (a nav bar app has no ticket) and sends `request`
// through the same proxy as the sidebar's. window.gdprZafParent exposes the message log for
// the e2e test and the benchmark.
import { ZafParent, lookupPath } from './zaf-parent.js';

/**
 * @param {{ gdprApp: { url: string, origin: string, guid: string, appId: number, installationId: number,
 *           name: string, version: string, settings: object }, subdomain: string }} config
 * @param {{ currentUser: object, currentAccount: object }} data what `get` can read
 * @param {(options: object, signal: AbortSignal) => Promise<object>} proxy
 */
export function startGdprApp(config, data, proxy) {
  const app = config.gdprApp;
  const iframe = document.getElementById('gdpr-app');
  const parent = new ZafParent({
    iframe,
    appOrigin: app.origin,
    appGuid: app.guid,
    context: { instanceGuid: app.guid, product: 'support', location: 'nav_bar', account: { subdomain: config.subdomain } },
    metadata: { appId: app.appId, installationId: app.installationId, name: app.name, version: app.version, settings: app.settings },
    get: (path) => lookupPath(data, path),
    request: proxy,
  });
  parent.start();
  window.gdprZafParent = parent;
  iframe.src = ZafParent.appUrl(app.url, location.origin, app.guid);
}
