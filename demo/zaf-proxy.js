// The server side of ZAF `client.request`, as Zendesk's proxy does it: the workspace page
// forwards the app's request options here (POST /__zaf/request); for `secure: true`
// requests to an allowed host this substitutes `{{setting.NAME}}` placeholders with the
// installation's secure settings, signs the HS256 JWT described by the `jwt` option
// (claims from the app, plus iat/exp) and puts it where `{{jwt.token}}` stands. The secure
// settings never leave this process: the browser only ever sees the placeholders.
//
// A secure parameter with `scopes` in the manifest is substituted only where they allow:
// `header` (request headers), `body` (the data), `url`, `jwt_secret_key` (jwt.secret_key),
// `jwt_claim` (jwt.claims values); elsewhere the placeholder stays as written, so the value
// cannot be sent anywhere else (zendesk_apps_support's manifest rules name these scopes; a
// parameter without scopes is substituted everywhere, as before scopes existed).
//
// Targets: the fake Zendesk API (relative /api/ URLs, answered in-process) and the
// leastdata endpoint's loopback origin. Everything else is refused, and so is any
// non-loopback URL whatever the allow-list says.
import { createHmac } from 'node:crypto';

const MAX_JWT_LIFETIME_S = 3600;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const STATUS_TEXT = { 400: 'Bad Request', 403: 'Forbidden', 405: 'Method Not Allowed', 413: 'Payload Too Large', 502: 'Bad Gateway' };

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** An HS256 JWT over `claims` (iat and exp added: exp = iat + expiry, at most one hour). */
export function signHs256(claims, secret, expirySeconds = MAX_JWT_LIFETIME_S, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const lifetime = Math.min(Math.max(Number(expirySeconds) || MAX_JWT_LIFETIME_S, 1), MAX_JWT_LIFETIME_S);
  const payload = { ...claims, iat, exp: iat + lifetime };
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

class ProxyRefusal extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function substitute(text, pattern, lookup) {
  return typeof text === 'string' ? text.replace(pattern, (whole, name) => lookup(name) ?? whole) : text;
}

/**
 * @param {{ workspaceOrigin: string, endpointOrigin: string,
 *           secureSettings: () => Record<string, string>, settingScopes?: Record<string, string[]>,
 *           zendesk: { handle(method: string, url: URL, body?: string): { status: number, headers: object, body: string } } }} config
 */
export function createZafProxy(config) {
  const endpointOrigin = new URL(config.endpointOrigin).origin;

  function target(rawUrl) {
    let url;
    try {
      url = new URL(String(rawUrl ?? ''), config.workspaceOrigin);
    } catch {
      throw new ProxyRefusal(400, 'the request URL is not a URL');
    }
    if (!LOOPBACK.has(url.hostname) || url.username || url.password) {
      throw new ProxyRefusal(403, `the demo proxy only reaches loopback hosts, not ${url.host}`);
    }
    if (url.origin === new URL(config.workspaceOrigin).origin && url.pathname.startsWith('/api/v2/')) {
      return { kind: 'zendesk', url };
    }
    if (url.origin === endpointOrigin) return { kind: 'endpoint', url };
    throw new ProxyRefusal(403, `${url.href} is not a proxyable URI: ${url.host} is not in the app's domainWhitelist`);
  }

  /** Performs one ZAF request; returns { status, statusText, headers, body }. */
  async function perform(options) {
    if (options === null || typeof options !== 'object') throw new ProxyRefusal(400, 'options must be an object');
    const method = String(options.type ?? 'GET').toUpperCase();
    const { kind, url: initialUrl } = target(options.url);
    let url = initialUrl;
    let headers = { ...(options.headers ?? {}) };
    let data = options.data;

    // Like Zendesk: secure settings are substituted only in secure requests, and only for
    // the app's whitelisted host (here: the endpoint).
    if (options.secure === true) {
      if (kind !== 'endpoint') throw new ProxyRefusal(403, 'secure requests may only go to the endpoint host');
      const settings = config.secureSettings();
      const scopes = config.settingScopes ?? {};
      // The value of a setting for a place of the request, or undefined where its scopes
      // do not allow it there (the placeholder is then left unchanged).
      const settingIn = (place) => (name) => {
        if (!Object.hasOwn(settings, name)) return undefined;
        return !scopes[name] || scopes[name].includes(place) ? settings[name] : undefined;
      };
      const settingPattern = /\{\{setting\.([A-Za-z0-9_]+)\}\}/g;
      let token;
      if (options.jwt) {
        const { algorithm = 'HS256', secret_key: secretKey, claims = {}, expiry } = options.jwt;
        if (algorithm !== 'HS256') throw new ProxyRefusal(400, `jwt.algorithm ${algorithm} is not supported by the demo proxy`);
        const secret = substitute(secretKey, settingPattern, settingIn('jwt_secret_key'));
        if (typeof secret !== 'string' || secret === '' || secret.includes('{{setting.')) {
          throw new ProxyRefusal(400, 'jwt.secret_key must name a secure setting of the app whose scopes include jwt_secret_key');
        }
        const filledClaims = Object.fromEntries(Object.entries(claims).map(([name, value]) =>
          [name, substitute(value, settingPattern, settingIn('jwt_claim'))]));
        token = signHs256(filledClaims, secret, expiry);
      }
      const fill = (text, place) => {
        const withSettings = substitute(text, settingPattern, settingIn(place));
        return token ? substitute(withSettings, /\{\{(jwt\.token)\}\}/g, () => token) : withSettings;
      };
      headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, fill(String(value), 'header')]));
      data = fill(data, 'body');
      url = new URL(fill(url.href, 'url'));
    }

    // A GET or HEAD has no body, whatever `data` says (jQuery would have put it in the URL).
    const body = method === 'GET' || method === 'HEAD' || data === undefined ? undefined : String(data);
    if (kind === 'zendesk') {
      const response = config.zendesk.handle(method, url, body);
      return { statusText: response.status === 200 ? 'OK' : 'Error', ...response };
    }
    const requestHeaders = { accept: 'application/json', ...headers };
    if (options.contentType) requestHeaders['content-type'] = String(options.contentType);
    const response = await fetch(url, {
      method,
      headers: requestHeaders,
      body,
      redirect: 'manual',
    });
    const passed = {};
    for (const name of ['content-type', 'etag', 'retry-after']) {
      const value = response.headers.get(name);
      if (value !== null) passed[name] = value;
    }
    return { status: response.status, statusText: response.statusText, headers: passed, body: await response.text() };
  }

  /** The Node http handler for POST /__zaf/request (JSON options in, JSON response out). */
  return async function handle(req, res) {
    let reply;
    try {
      if (req.method !== 'POST') throw new ProxyRefusal(405, 'POST the ZAF request options');
      if (req.headers.origin !== config.workspaceOrigin) throw new ProxyRefusal(403, 'only the workspace page may use the proxy');
      const chunks = [];
      let size = 0;
      for await (const chunk of req) {
        size += chunk.length;
        if (size > 1 << 20) throw new ProxyRefusal(413, 'request options too large');
        chunks.push(chunk);
      }
      reply = await perform(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch (error) {
      const status = error instanceof ProxyRefusal ? error.status : 502;
      const message = error instanceof ProxyRefusal ? error.message : `the proxied request failed: ${error.message}`;
      // Zendesk's proxy answers its own refusals in plain text, not in the JSON error
      // shape of the API behind it (docs/zaf.md).
      reply = {
        status,
        statusText: STATUS_TEXT[status] ?? 'Error',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: message,
      };
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(reply));
  };
}
