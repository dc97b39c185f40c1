// The demo's web server: one Node http server that plays two origins, as Zendesk does.
//   http://localhost:PORT   the agent workspace (demo/workspace/), the fake Zendesk REST API
//                            (/api/v2/…), Zendesk's OAuth provider (/oauth/…, zendesk/oauth.js)
//                            and the ZAF request proxy (/__zaf/request);
//   http://127.0.0.1:PORT   the sidebar app's assets, served from its uploadable folder
//                            (apps/ticket-summary/assets/ at /<app guid>/assets/, as Zendesk
//                            serves an app's assets from their own origin), under a strict CSP;
//   http://127.0.0.1:PORT2  the GDPR-cleanup nav bar app's (apps/gdpr-cleanup/), on an origin of its own.
// `node demo/server.js` runs the whole demo (endpoint included) through demo/launch.js;
// `createDemoServer()` is the server alone, for launch.js and the e2e test.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { OPEN_TICKET_ID, SUBDOMAIN, generateAccount } from './zendesk/data.js';
import { createZendeskApi } from './zendesk/api.js';
import { createForgetMeRequesters } from './zendesk/forget-me.js';
import { createOAuthProvider } from './zendesk/oauth.js';
import { createInstallation } from './zendesk/installations.js';
import { inside, sendFile as sendStaticFile } from './static-files.js';
import { createZafProxy } from './zaf-proxy.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const APP_GUID = 'de300a99-1ea5-7da7-a000-000000000042';
export const APP_NAME = 'ticket-summary';
export const APP_ID = 4242;
export const INSTALLATION_ID = 4243;
export const GDPR_APP_GUID = 'de300a99-1ea5-7da7-a000-000000000043';
export const GDPR_APP_NAME = 'gdpr-cleanup';
const GDPR_APP_ID = 4252;
const GDPR_INSTALLATION_ID = 4253;
/** Tickets of each requester who asked to be forgotten (zendesk/forget-me.js), for `npm start`. */
export const DEMO_FORGET_ME_TICKETS = [200, 40];
// Where each app's location pages are, as its manifest says (assets/iframe.html, assets/admin.html).
const appFolder = (root, name = APP_NAME) => join(root, 'apps', name);
const appManifest = (root, name = APP_NAME) => JSON.parse(readFileSync(join(appFolder(root, name), 'manifest.json'), 'utf8'));
const locationUrls = (root, name = APP_NAME) =>
  Object.fromEntries(Object.entries(appManifest(root, name).location.support).map(([location, options]) => [location, options.url]));

const GARDEN = ['bedrock', 'buttons', 'forms', 'tags', 'utilities'];

function sendFile(res, path, headers = {}) {
  return sendStaticFile(res, path, headers, notFound);
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
}

function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

/**
 * Starts the demo web server on loopback.
 * @param {{ port?: number, endpointOrigin: string, subdomain?: string,
 *           tenantSecret: () => string, oauthClient: { id: string, secret: string }, root?: string,
 *           gdprAppPort?: number, zendesk?: { forgetMe?: number[] } & Parameters<typeof createZendeskApi>[1] }} options
 *   `tenantSecret` returns the tenant's jwt_secret: the app's secure setting `shared_secret`.
 *   `oauthClient` is the endpoint's OAuth client, registered with the simulated Zendesk with
 *   the endpoint's callback as its redirect URL (docs/operations.md, "Sign-in with Zendesk").
 *   `zendesk` configures the simulated API (zendesk/api.js): `forgetMe` the tickets of each
 *   requester who asked to be forgotten, rate limits, the tests' faults and request log.
 * @returns {Promise<{ port: number, workspaceUrl: string, appOrigin: string, gdprAppOrigin: string,
 *   account: ReturnType<typeof generateAccount>, requesters: ReturnType<typeof createForgetMeRequesters>,
 *   signInAs(userId: number): void, close(): Promise<void> }>}
 */
export async function createDemoServer(options) {
  const root = options.root ?? ROOT;
  const subdomain = options.subdomain ?? SUBDOMAIN;
  const account = generateAccount();
  const { forgetMe = DEMO_FORGET_ME_TICKETS, ...apiOptions } = options.zendesk ?? {};
  const requesters = createForgetMeRequesters(forgetMe);
  account.users.push(...requesters.map((requester) => requester.user));
  const zendesk = createZendeskApi(account, { ...apiOptions, requesters });
  const oauth = createOAuthProvider({
    users: zendesk.users,
    clients: [{
      id: options.oauthClient.id, secret: options.oauthClient.secret, name: 'leastdata demo',
      redirectUris: [`${options.endpointOrigin}/v1/oauth/callback`],
    }],
  });
  // The user signed in to this Zendesk: an agent, until the workspace's switch says otherwise
  // (POST /__demo/session; demo/workspace/switcher.js).
  const userWithRole = (role) => account.agents.find((user) => user.role === role);
  oauth.signIn(userWithRole('agent').id);
  // The app as installed on the account; its settings are what an admin changes.
  const installation = createInstallation({
    id: INSTALLATION_ID, appId: APP_ID, manifest: appManifest(root), settings: { endpoint_url: options.endpointOrigin },
  });
  // Zendesk's API as the proxy reaches it: the installation's routes act for the signed-in user.
  const zendeskForApps = {
    handle: (method, url, body) => installation.handle(method, url, body, zendesk.users.get(oauth.signedIn)) ?? zendesk.handle(method, url, body),
  };
  let workspaceOrigin;
  let appOrigin;
  let gdprAppOrigin;
  let proxy;

  const demoDir = join(root, 'demo');
  const gardenCss = (name) => join(root, 'node_modules', '@zendeskgarden', `css-${name}`, 'dist', 'index.css');

  const workspaceCsp = () =>
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
    `frame-src ${appOrigin} ${gdprAppOrigin}; connect-src 'self'; base-uri 'none'; form-action 'none'`;
  // What Zendesk apps should run under (DESIGN §1): the wasm needs only 'wasm-unsafe-eval'.
  // img-src data: is for Garden's checkbox and select icons.
  const appCsp = () =>
    `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; ` +
    `connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${workspaceOrigin}`;

  // Files both origins serve (Garden CSS); false when `path` is none of them.
  async function serveShared(res, path) {
    const garden = /^\/vendor\/garden\/([a-z]+)\.css$/.exec(path);
    if (!garden || !GARDEN.includes(garden[1])) return false;
    await sendFile(res, gardenCss(garden[1]));
    return true;
  }

  async function workspace(req, res, url) {
    const path = url.pathname;
    if (path.startsWith('/oauth/') && (await oauth.handle(req, res, url))) return undefined;
    if (path.startsWith('/api/v2/')) {
      const reply = path === '/api/v2/users/me.json' ? oauth.me(req.headers.authorization) : zendesk.handle(req.method, url);
      res.writeHead(reply.status, { ...reply.headers, 'cache-control': 'no-store' });
      return res.end(reply.body);
    }
    if (path === '/__zaf/request') return proxy(req, res);
    if (path === '/__demo/session' && req.method === 'POST') {
      // Who is signed in to this Zendesk: the workspace's switch (agent or admin).
      const role = new URL(req.url, 'http://x').searchParams.get('role');
      const user = userWithRole(role);
      if (!user) return sendJson(res, 400, { error: 'role must be agent or admin' });
      oauth.signIn(user.id);
      return sendJson(res, 200, { user_id: user.id, role: user.role });
    }
    if (path === '/__demo/config.json') {
      return sendJson(res, 200, {
        appUrls: Object.fromEntries(Object.entries(locationUrls(root)).map(([name, url]) => [name, `${appOrigin}/${APP_GUID}/${url}`])),
        appOrigin,
        appGuid: APP_GUID,
        appId: APP_ID,
        installationId: INSTALLATION_ID,
        ticketId: OPEN_TICKET_ID,
        subdomain,
        currentUserId: oauth.signedIn,
        // Non-secure app settings reach the browser in the app's metadata, as in Zendesk.
        settings: installation.settings(),
        gdprApp: {
          url: `${gdprAppOrigin}/${GDPR_APP_GUID}/${locationUrls(root, GDPR_APP_NAME).nav_bar}`, origin: gdprAppOrigin, guid: GDPR_APP_GUID,
          appId: GDPR_APP_ID, installationId: GDPR_INSTALLATION_ID,
          name: 'GDPR cleanup (leastdata)', version: appManifest(root, GDPR_APP_NAME).version,
          settings: { endpoint_url: options.endpointOrigin },
        },
      });
    }
    if (path === '/' || path === '/index.html') {
      return sendFile(res, join(demoDir, 'workspace', 'index.html'), { 'content-security-policy': workspaceCsp() });
    }
    if (path.startsWith('/workspace/')) {
      const file = inside(join(demoDir, 'workspace'), decodeURIComponent(path.slice('/workspace/'.length)));
      if (file) return sendFile(res, file);
    }
    if (!(await serveShared(res, path))) notFound(res);
  }

  // Only an app folder's assets/ are served, as Zendesk serves them; never the manifest or
  // the translations.
  const appSite = (guid, name) => async (req, res, url) => {
    const path = url.pathname;
    const prefix = `/${guid}/assets/`;
    if (path.startsWith(prefix)) {
      const file = inside(join(appFolder(root, name), 'assets'), decodeURIComponent(path.slice(prefix.length)));
      if (file) return sendFile(res, file, file.endsWith('.html') ? { 'content-security-policy': appCsp() } : {});
    }
    notFound(res);
  };
  const app = appSite(APP_GUID, APP_NAME);
  const gdprApp = appSite(GDPR_APP_GUID, GDPR_APP_NAME);

  const handler = (req, res) => {
    const host = String(req.headers.host ?? '');
    const url = new URL(req.url, `http://${host || '127.0.0.1'}`);
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    // Two origins from one server: the hostname says which site is asked for.
    const site = url.hostname === 'localhost' ? workspace : url.hostname === '127.0.0.1' ? app : undefined;
    serve(req, res, url, site);
  };
  // The GDPR-cleanup app's origin: another port, so another origin than the sidebar app's.
  const gdprAppHandler = (req, res) => {
    const url = new URL(req.url, `http://${String(req.headers.host ?? '') || '127.0.0.1'}`);
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    serve(req, res, url, url.hostname === '127.0.0.1' ? gdprApp : undefined);
  };

  function serve(req, res, url, site) {
    const posts = url.pathname === '/__zaf/request' || url.pathname === '/__demo/session' || url.pathname.startsWith('/api/') || url.pathname.startsWith('/oauth/');
    if (!site || (req.method !== 'GET' && req.method !== 'HEAD' && !posts)) {
      return notFound(res);
    }
    Promise.resolve(site(req, res, url)).catch((error) => {
      console.error(`demo server: ${req.method} ${url.pathname}: ${error.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  }

  const servers = [createServer(handler)];
  await new Promise((resolve, reject) => {
    servers[0].once('error', reject);
    servers[0].listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = servers[0].address();
  // `localhost` may resolve to ::1 first; serve it there too when the host has IPv6.
  const v6 = createServer(handler);
  await new Promise((resolve) => {
    v6.once('error', () => resolve());
    v6.listen(port, '::1', () => {
      servers.push(v6);
      resolve();
    });
  });

  const gdprServer = createServer(gdprAppHandler);
  await new Promise((resolve, reject) => {
    gdprServer.once('error', reject);
    gdprServer.listen(options.gdprAppPort ?? 0, '127.0.0.1', resolve);
  });
  servers.push(gdprServer);

  workspaceOrigin = `http://localhost:${port}`;
  appOrigin = `http://127.0.0.1:${port}`;
  gdprAppOrigin = `http://127.0.0.1:${gdprServer.address().port}`;
  proxy = createZafProxy({
    workspaceOrigin,
    endpointOrigin: options.endpointOrigin,
    secureSettings: () => ({ shared_secret: options.tenantSecret() }),
    settingScopes: Object.fromEntries(appManifest(root).parameters.filter((p) => p.secure && p.scopes).map((p) => [p.name, p.scopes])),
    zendesk: zendeskForApps,
  });

  return {
    port,
    workspaceUrl: `${workspaceOrigin}/`,
    appOrigin,
    gdprAppOrigin,
    account,
    requesters,
    /** Signs the browser in to the simulated Zendesk as another user (tests: an agent, not the admin). */
    signInAs: (userId) => oauth.signIn(userId),
    close: () => Promise.all(servers.map((server) => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }))).then(() => undefined),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  // Not awaited at the top level: launch.js imports this module, which must finish evaluating first.
  import('./launch.js')
    .then(({ runDemo }) => runDemo())
    .catch((error) => {
      console.error(`demo: ${error.message}`);
      process.exit(1);
    });
}
