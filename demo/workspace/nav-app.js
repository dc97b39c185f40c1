// The workspace's nav bar app (apps/gdpr-cleanup/, location support.nav_bar): the rail's
// button opens it in the main area, in an iframe from its own origin, as Zendesk shows a nav
// bar app. The iframe is created when the button is first clicked, and stays loaded while
// the agent goes back to the ticket. Its ZAF parent answers `get` for the agent and the
// account only (a nav bar app has no ticket) and sends `request` through the same proxy.
// window.navZafParent exposes the message log for the e2e test.
import { ZafParent, lookupPath } from './zaf-parent.js';

/**
 * @param {{ navApp: { url: string, origin: string, guid: string, name: string, version: string }, subdomain: string, settings: object }} config
 * @param {{ currentUser: object, currentAccount: object }} data what `get` can read
 * @param {(options: object, signal: AbortSignal) => Promise<object>} proxy
 */
export function startNavApp(config, data, proxy) {
  const button = document.getElementById('nav-app-button');
  const view = document.getElementById('nav-app-view');
  const ticketView = document.getElementById('ticket-view');
  const ticketButton = document.getElementById('ticket-button');
  let parent;

  const open = (showApp) => {
    view.hidden = !showApp;
    ticketView.hidden = showApp;
    button.classList.toggle('rail__item--active', showApp);
    ticketButton.classList.toggle('rail__item--active', !showApp);
    button.setAttribute('aria-current', showApp ? 'page' : 'false');
    ticketButton.setAttribute('aria-current', showApp ? 'false' : 'page');
    if (showApp && !parent) {
      const iframe = document.getElementById('nav-app');
      parent = new ZafParent({
        iframe,
        appOrigin: config.navApp.origin,
        appGuid: config.navApp.guid,
        context: { instanceGuid: config.navApp.guid, product: 'support', location: 'nav_bar', account: { subdomain: config.subdomain } },
        metadata: { appId: 4252, installationId: 4253, name: config.navApp.name, version: config.navApp.version, settings: config.settings },
        get: (path) => lookupPath(data, path),
        request: proxy,
      });
      parent.start();
      window.navZafParent = parent;
      iframe.src = ZafParent.appUrl(config.navApp.url, location.origin, config.navApp.guid);
    }
  };
  button.addEventListener('click', (event) => {
    event.preventDefault();
    open(true);
  });
  ticketButton.addEventListener('click', (event) => {
    event.preventDefault();
    open(false);
  });
  if (location.hash === '#gdpr-cleanup') open(true);
}
