// The client of the leastdata endpoint (DESIGN §4, §7). It talks to one origin only:
// `baseUrl` must be https: (plain http: only for localhost), every request goes to a
// path under it, and a redirect anywhere is refused (`origin_not_allowed`). Settings
// may be cached in memory for the session; nothing is written to browser storage.
//
// Two ways to authenticate the tenant:
//   { zaf: client, secretSetting: 'shared_secret' }  the request goes through Zendesk's
//       proxy, which signs an HS256 JWT with the app's secure setting: the tenant secret
//       never reaches the browser;
//   { token: async () => jwt }  Node and tests: a bearer token from the caller.
// The user is proven by Zendesk: signIn() runs Zendesk's OAuth consent in a popup and keeps
// the session credential the endpoint returns in this object's memory only; every later call
// carries it (X-LeastData-Session). See docs/js-api.md, "Signing in with Zendesk".
import { LeastDataError } from './errors.js';
import { requestWithoutLeftovers } from './zaf-handlers.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// The members of an observed-access post besides app and policy_hash (docs/endpoint.md,
// "Access transparency"): totals, then maps of names (paths, request patterns) to counts.
const ACCESS_TOTALS = ['calls', 'bytes_in', 'bytes_out', 'fields_kept', 'fields_dropped'];
const ACCESS_NAMES = ['kept_paths', 'refused_requests', 'zaf_read', 'zaf_refused'];
const SESSION_HEADER = 'X-LeastData-Session';
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const CLOSED_POPUP_GRACE_MS = 1000;
// What the endpoint answers when the session is missing or over: sign in again.
const SESSION_ENDED = new Set(['session_required', 'session_expired']);

function endpointError(status, body, fallbackMessage) {
  const code = body?.error?.code ?? `http_${status}`;
  const message = body?.error?.message ?? fallbackMessage ?? `the endpoint answered HTTP ${status}`;
  const error = new LeastDataError(code, message);
  error.status = status;
  return error;
}

// A ZAF request that failed without the endpoint's JSON error: Zendesk's proxy refused it
// (plain text), it timed out, or the endpoint could not be reached.
function proxyFailure(failure) {
  const status = Number(failure?.status ?? 0);
  if (status === 0) {
    const what = failure?.statusText === 'timeout' ? 'timed out' : 'could not be made';
    return endpointError(0, null, `the request to the endpoint through Zendesk's proxy ${what}; check the app's endpoint_url setting and that the endpoint is up, then retry`);
  }
  const text = String(failure?.responseText ?? '').trim().slice(0, 200);
  return endpointError(status, null, `Zendesk's proxy answered HTTP ${status}${text ? `: ${text}` : ''}`);
}

function checkBaseUrl(baseUrl) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new LeastDataError('origin_not_allowed', `baseUrl ${JSON.stringify(String(baseUrl))} is not a URL`);
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new LeastDataError('origin_not_allowed', 'baseUrl must be https: (plain http: only for localhost and 127.0.0.1)');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new LeastDataError('origin_not_allowed', 'baseUrl must not carry credentials, a query or a fragment');
  }
  return new URL(url.pathname.endsWith('/') ? url.href : `${url.href}/`);
}

// Path segments from the caller (app names, token names) are encoded, so none can
// climb out of the base path or add a query.
function segment(value, what) {
  const text = String(value);
  if (text.length === 0 || text.length > 128) throw new LeastDataError('invalid_argument', `${what} must be 1 to 128 characters`);
  return encodeURIComponent(text);
}

export class EndpointClient {
  /**
   * @param {import('./engine.js').Engine} engine
   * @param {{ baseUrl: string, zaf?: any, secretSetting?: string, token?: () => Promise<string>,
   *           audience?: string, fetch?: typeof fetch }} options
   */
  constructor(engine, options) {
    this.engine = engine;
    this.base = checkBaseUrl(options?.baseUrl);
    this.origin = this.base.origin;
    if (options.zaf) {
      this.zaf = options.zaf;
      this.secretSetting = options.secretSetting ?? 'shared_secret';
      if (!/^[A-Za-z0-9_]+$/.test(this.secretSetting)) {
        throw new LeastDataError('invalid_argument', 'secretSetting must be the name of a secure setting');
      }
      this.audience = options.audience ?? 'leastdata';
    } else if (typeof options.token === 'function') {
      this.token = options.token;
      this.fetch = options.fetch ?? globalThis.fetch;
    } else {
      throw new LeastDataError('invalid_argument', 'endpoint() needs { zaf, secretSetting } or { token: async () => jwt }');
    }
    this.settingsCache = new Map();
  }

  url(path) {
    const url = new URL(path, this.base);
    if (url.origin !== this.origin || !url.pathname.startsWith(this.base.pathname)) {
      throw new LeastDataError('origin_not_allowed', `refusing a request outside ${this.base.href}`);
    }
    return url;
  }

  async call(method, path, { body, headers = {}, auth = true, session = true } = {}) {
    const url = this.url(path);
    const all = session && this.session ? { ...headers, [SESSION_HEADER]: this.session } : headers;
    try {
      return await (this.zaf ? this.callThroughZaf(method, url, body, all, auth) : this.callDirect(method, url, body, all, auth));
    } catch (error) {
      if (SESSION_ENDED.has(error.code)) {
        this.session = undefined;
        this.agent = undefined;
      }
      throw error;
    }
  }

  /**
   * Signs the user in with Zendesk: opens Zendesk's consent page in a popup (call it from a
   * click: browsers allow popups only then), waits for the endpoint's callback page to hand
   * back the code, and exchanges it at the endpoint. Resolves with the user as Zendesk says:
   * { id, email, role }. Codes: 'popup_blocked', 'sign_in_cancelled', 'sign_in_refused'.
   * @param {{ open?: (url: string) => Window | null }} [options] how to open the popup
   */
  async signIn(options = {}) {
    const open = options.open ?? ((url) => globalThis.open?.(url, 'leastdata-sign-in', 'popup,width=520,height=680'));
    // Opened before the first await, while the click still allows it; pointed at Zendesk below.
    const popup = open('about:blank');
    if (!popup) {
      throw new LeastDataError('popup_blocked', 'the browser blocked the sign-in window: allow pop-ups for this app, then sign in again');
    }
    try {
      const start = (await this.call('POST', 'v1/sessions/start', { session: false })).body;
      const answer = this.callbackMessage(start.state, popup);
      popup.location.href = start.authorize_url;
      const { code, error } = await answer;
      if (error || !code) {
        throw new LeastDataError('sign_in_refused', error === 'access_denied' ? 'access was denied on Zendesk\'s consent page' : `Zendesk answered ${error ?? 'without a code'}`);
      }
      const signed = (await this.call('POST', 'v1/sessions', { body: { state: start.state, code }, session: false })).body;
      this.session = signed.session;
      this.agent = signed.agent;
      return signed.agent;
    } finally {
      if (!popup.closed) popup.close();
    }
  }

  // The message of the endpoint's callback page for `state`: only from the endpoint's origin.
  callbackMessage(state, popup) {
    return new Promise((resolve, reject) => {
      let grace;
      const done = (fn, value) => {
        globalThis.removeEventListener('message', onMessage);
        clearInterval(watch);
        clearTimeout(timer);
        clearTimeout(grace);
        fn(value);
      };
      const onMessage = (event) => {
        if (event.origin !== this.origin || event.data?.type !== 'leastdata.sign-in' || event.data.state !== state) return;
        done(resolve, { code: event.data.code, error: event.data.error });
      };
      const cancelled = () => new LeastDataError('sign_in_cancelled', 'the sign-in window was closed before signing in');
      // The callback page posts its message, then closes itself: the window can be seen
      // closed while the message is still on its way to this one, so wait for it a moment.
      const watch = setInterval(() => {
        if (popup.closed && grace === undefined) grace = setTimeout(() => done(reject, cancelled()), CLOSED_POPUP_GRACE_MS);
      }, 500);
      const timer = setTimeout(() => done(reject, new LeastDataError('sign_in_cancelled', 'signing in took longer than 5 minutes')), SIGN_IN_TIMEOUT_MS);
      globalThis.addEventListener('message', onMessage);
    });
  }

  /** Ends the session at the endpoint and forgets it here. */
  async signOut() {
    if (!this.session) return;
    try {
      await this.call('DELETE', 'v1/sessions/current');
    } finally {
      this.session = undefined;
      this.agent = undefined;
    }
  }

  /** True once signIn() succeeded and the endpoint has not ended the session since. */
  get signedIn() {
    return this.session !== undefined;
  }

  async callDirect(method, url, body, headers, auth) {
    const request = { method, headers: { accept: 'application/json', ...headers }, redirect: 'manual', cache: 'no-store' };
    if (auth) request.headers.authorization = `Bearer ${await this.token()}`;
    if (body !== undefined) {
      request.headers['content-type'] = 'application/json';
      request.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await this.fetch(url, request);
    } catch (error) {
      // No answer at all (refused, reset, DNS): as through the proxy, status 0.
      throw endpointError(0, null, `the endpoint could not be reached (${error.message}); check baseUrl and that the endpoint is up, then retry`);
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new LeastDataError('origin_not_allowed', `the endpoint redirected (HTTP ${response.status}); redirects are refused`);
    }
    if (response.url && new URL(response.url).origin !== this.origin) {
      throw new LeastDataError('origin_not_allowed', 'the response came from another origin');
    }
    const text = await response.text();
    const parsed = text.length > 0 ? JSON.parse(text) : null;
    if (!response.ok) throw endpointError(response.status, parsed);
    return { body: parsed, etag: response.headers.get('etag') };
  }

  async callThroughZaf(method, url, body, headers, auth) {
    const context = await this.zafIdentity();
    const options = {
      url: url.href,
      type: method,
      dataType: 'text',
      cors: false,
      headers: { ...headers },
      httpCompleteResponse: true,
    };
    if (auth) {
      // Zendesk's proxy signs this JWT with the secure setting and substitutes it: the
      // secret stays on Zendesk's side.
      options.secure = true;
      options.jwt = {
        algorithm: 'HS256',
        secret_key: `{{setting.${this.secretSetting}}}`,
        expiry: 3600,
        claims: { iss: `${context.subdomain}.zendesk.com`, aud: this.audience, sub: String(context.userId), email: context.email, role: context.role },
      };
      options.headers.Authorization = 'Bearer {{jwt.token}}';
    }
    if (body !== undefined) {
      options.contentType = 'application/json';
      options.data = JSON.stringify(body);
    }
    let response;
    try {
      response = await requestWithoutLeftovers(this.zaf, options);
    } catch (failure) {
      let parsed;
      try {
        parsed = JSON.parse(failure?.responseText ?? '');
      } catch {
        throw proxyFailure(failure);
      }
      throw parsed?.error ? endpointError(failure.status, parsed) : proxyFailure(failure);
    }
    const text = response?.responseText ?? '';
    return { body: text.length > 0 ? JSON.parse(text) : null, etag: response?.headers?.etag ?? response?.headers?.ETag ?? null };
  }

  // The JWT's claims, read through ZAF as leaf paths only (not the whole user and account
  // objects), and recorded in the access report like the app's own reads. The account's
  // subdomain names the tenant; with sign-in with Zendesk the endpoint ignores the user claims.
  async zafIdentity() {
    this.identity ??= (async () => {
      const paths = ['currentAccount.subdomain', 'currentUser.id', 'currentUser.email', 'currentUser.role'];
      for (const path of paths) this.engine.report.addZafGet(path, true);
      const read = await this.zaf.get(paths);
      return {
        subdomain: read['currentAccount.subdomain'],
        userId: read['currentUser.id'],
        email: read['currentUser.email'],
        role: read['currentUser.role'] === 'admin' ? 'admin' : 'agent',
      };
    })();
    return this.identity;
  }

  /** Registers the calling agent (sub and email from the token). */
  async registerAgent() {
    return (await this.call('PUT', 'v1/agents/me', { body: {} })).body;
  }

  /** The app's settings; cached in memory for the session. */
  async getSettings(app) {
    const key = segment(app, 'app');
    if (!this.settingsCache.has(key)) {
      const { body, etag } = await this.call('GET', `v1/settings/${key}`);
      this.settingsCache.set(key, { settings: body.settings, version: body.version, etag });
    }
    return this.settingsCache.get(key).settings;
  }

  /** Writes settings (admin); `ifMatch` (the version read) makes a concurrent write a 409 'version_conflict'. */
  async putSettings(app, settings, options = {}) {
    const key = segment(app, 'app');
    const ifMatch = options.ifMatch ?? this.settingsCache.get(key)?.etag;
    const headers = ifMatch ? { 'if-match': String(ifMatch) } : {};
    this.settingsCache.delete(key);
    const { body } = await this.call('PUT', `v1/settings/${key}`, { body: { settings }, headers });
    return body;
  }

  async getToken(name) {
    return (await this.call('GET', `v1/tokens/${segment(name, 'name')}`)).body;
  }

  async putToken(name, value, options = {}) {
    const body = { value: String(value) };
    if (options.expiresAt) body.expires_at = options.expiresAt;
    return (await this.call('PUT', `v1/tokens/${segment(name, 'name')}`, { body })).body;
  }

  async deleteToken(name) {
    return (await this.call('DELETE', `v1/tokens/${segment(name, 'name')}`)).body;
  }

  async getSharedToken(name) {
    return (await this.call('GET', `v1/shared-tokens/${segment(name, 'name')}`)).body;
  }

  async putSharedToken(name, value) {
    return (await this.call('PUT', `v1/shared-tokens/${segment(name, 'name')}`, { body: { value: String(value) } })).body;
  }

  /** Adds to the app's counters for today: names [a-z0-9_]{1,64}, non-negative integers. */
  async addStats(app, counters) {
    return (await this.call('POST', 'v1/stats', { body: { app: String(app), counters } })).body;
  }

  async getStats(app) {
    return (await this.call('GET', `v1/stats?app=${encodeURIComponent(String(app))}`)).body;
  }

  /**
   * Declares the policy this copy of the app runs (any signed-in user): the endpoint keeps its
   * canonical declaration for the customer's report. Resolves with { app, policy_hash,
   * first_declared, last_declared, delete_after }; pass policy_hash to reportAccess.
   * @param {string} app
   * @param {object | string} policy the policy document, as given to compile()
   */
  async declarePolicy(app, policy) {
    let document = policy;
    if (typeof policy === 'string') {
      try {
        document = JSON.parse(policy);
      } catch {
        throw new LeastDataError('invalid_policy', 'the policy document is not JSON');
      }
    }
    return (await this.call('PUT', `v1/access/policies/${segment(app, 'app')}`, { body: document })).body;
  }

  /**
   * Reports what this copy of the app accessed since its previous report (deltas, counts and
   * names only). Every name is checked in wasm first with the personal-data detectors: one
   * that finds something is refused with 'personal_data' before anything is sent.
   * @param {string} app
   * @param {{ calls?: number, bytes_in?: number, bytes_out?: number, fields_kept?: number, fields_dropped?: number,
   *           kept_paths?: Record<string, number>, refused_requests?: Record<string, number>,
   *           zaf_read?: Record<string, number>, zaf_refused?: Record<string, number> }} delta
   * @param {{ policyHash?: string }} [options] the policy_hash declarePolicy returned
   */
  async reportAccess(app, delta, options = {}) {
    const body = { app: String(app) };
    if (options.policyHash !== undefined) body.policy_hash = String(options.policyHash);
    for (const [member, value] of Object.entries(delta ?? {})) {
      if (!ACCESS_TOTALS.includes(member) && !ACCESS_NAMES.includes(member)) {
        throw new LeastDataError('invalid_argument', `reportAccess: unknown member ${JSON.stringify(member)} (known: ${[...ACCESS_TOTALS, ...ACCESS_NAMES].join(', ')})`);
      }
      if (ACCESS_NAMES.includes(member)) {
        for (const name of Object.keys(value ?? {})) {
          const { findings } = this.engine.redact(name, { detect: 'all' });
          if (findings.length > 0) {
            throw new LeastDataError('personal_data', `a name in ${member} looks like personal data (${findings[0].type}); report names of fields and requests, never values`);
          }
        }
      }
      body[member] = value;
    }
    return (await this.call('POST', 'v1/access/observed', { body })).body;
  }

  /**
   * Creates a multi-stage job. The IDs are checked in wasm first: only bare numeric IDs leave.
   * `options.cursor` is the job's opaque cursor ([A-Za-z0-9_\-=.:], at most 256).
   */
  async createJob(kind, ids, options = {}) {
    this.engine.checkJobIds(ids);
    const body = { kind: String(kind), ids };
    if (options.cursor !== undefined) body.cursor = options.cursor;
    return (await this.call('POST', 'v1/jobs', { body })).body;
  }

  async getJob(id) {
    return (await this.call('GET', `v1/jobs/${segment(id, 'job id')}`)).body;
  }

  async updateJob(id, update) {
    if (update?.ids !== undefined) this.engine.checkJobIds(update.ids);
    return (await this.call('PATCH', `v1/jobs/${segment(id, 'job id')}`, { body: update })).body;
  }

  async completeJob(id) {
    return (await this.call('POST', `v1/jobs/${segment(id, 'job id')}/complete`, { body: {} })).body;
  }

  async stopJob(id) {
    return (await this.call('POST', `v1/jobs/${segment(id, 'job id')}/stop`, { body: {} })).body;
  }

  /** Everything the endpoint stores for this tenant, with retention dates (admin). */
  async report() {
    return (await this.call('GET', 'v1/report')).body;
  }

  /** Deletes everything of the tenant now (admin); returns the signed certificate. */
  async requestDeletion(subdomain) {
    this.settingsCache.clear();
    return (await this.call('POST', 'v1/deletion', { body: { confirm: String(subdomain) } })).body;
  }

  /** The app was uninstalled (admin): the 30-day retention clock starts. */
  async deactivate() {
    return (await this.call('POST', 'v1/lifecycle/deactivate', { body: {} })).body;
  }

  /** The endpoint's published certificate keys (no authentication). */
  async keys() {
    return (await this.call('GET', '.well-known/leastdata-keys.json', { auth: false })).body;
  }
}
