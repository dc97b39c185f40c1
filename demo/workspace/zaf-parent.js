// The parent (Zendesk) side of the ZAF postMessage protocol, as the real
// zendesk_app_framework_sdk 2.x in the app iframe expects it (node_modules/
// zendesk_app_framework_sdk/lib/client.js). Used by the demo's workspace (demo/workspace/)
// and the browser tests' parent page. Every message is a JSON string:
//
//   iframe → parent                                   parent → iframe
//   {key:'iframe.handshake', message:{version}}       {key:'zaf.app.registered', message:{context, metadata}}
//   {id, request:'get', params:[path…]}               {id, result:{<path>:value…, errors:{<path>:{name,message,path}}}}
//   {id, request:'set'|'invoke', params:{…}}          {id, error:{name, message}}   (not supported here)
//   {key:'request:<n>', message:options}              {key:'zaf.request:<n>.done'|'.fail', message:{responseArgs:[…]}}
//   {key:'iframe.on:<event>'|'iframe.off:<event>'}    (subscriptions; logged only)
//
// Iframe messages also carry appGuid and instanceGuid. The SDK accepts a message only
// from window.parent with the origin it was given in its URL (?origin=…&app_guid=…).
//
// The SDK only posts `request:<n>` and waits; what happens to the request is Zendesk's
// side, played here as docs/zaf.md describes ("What the demo's simulated Zendesk follows"):
// a 429 is retried after its Retry-After (at most MAX_AUTO_RETRIES times) unless the
// options say `autoRetry: false`; `timeout`
// (milliseconds, as jQuery's) fails an attempt with textStatus 'timeout'; a failure of a
// request with `httpCompleteResponse` carries its headers, so an app can read Retry-After.

/** Retries of one request that keeps answering 429, when `autoRetry` is not false. */
export const MAX_AUTO_RETRIES = 3;
/** The longest Retry-After the parent waits for; a longer one is handed to the app. */
const MAX_RETRY_WAIT_S = 60;

/**
 * @typedef {{ status: number, statusText?: string, headers?: Record<string, string>, body: string }} ParentResponse
 * @typedef {{
 *   iframe: HTMLIFrameElement, appOrigin: string, appGuid: string,
 *   context: object, metadata?: object,
 *   get: (path: string) => { value: any } | undefined,
 *   request: (options: object, signal: AbortSignal) => Promise<ParentResponse>,
 * }} ZafParentOptions
 */

export class ZafParent {
  /** @param {ZafParentOptions} options */
  constructor(options) {
    this.options = options;
    /** Every message the iframe posted, parsed, in arrival order. */
    this.received = [];
    /** Every message this parent posted to the iframe, parsed. */
    this.sent = [];
    /** Every automatic retry after a 429: { key, url, wait } (seconds). */
    this.retries = [];
    this.onMessage = (event) => this.handle(event);
  }

  /** Starts listening; call before the iframe's src is set. */
  start() {
    window.addEventListener('message', this.onMessage);
  }

  stop() {
    window.removeEventListener('message', this.onMessage);
  }

  /** The iframe URL the SDK needs: ZAFClient.init() reads origin and app_guid from it. */
  static appUrl(appPageUrl, parentOrigin, appGuid) {
    const url = new URL(appPageUrl);
    url.searchParams.set('origin', parentOrigin);
    url.searchParams.set('app_guid', appGuid);
    return url.href;
  }

  post(message) {
    this.sent.push(message);
    this.options.iframe.contentWindow.postMessage(JSON.stringify(message), this.options.appOrigin);
  }

  handle(event) {
    const { iframe, appOrigin } = this.options;
    if (event.source !== iframe.contentWindow || event.origin !== appOrigin) return;
    let message;
    try {
      message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
    } catch {
      return;
    }
    if (message === null || typeof message !== 'object') return;
    this.received.push(message);

    if (message.request !== undefined) this.answerCall(message);
    else if (message.key === 'iframe.handshake') this.register();
    else if (/^request:\d+$/.test(message.key)) this.answerRequest(message.key, message.message ?? {});
  }

  register() {
    const { context, metadata = {} } = this.options;
    this.post({ key: 'zaf.app.registered', message: { context, metadata } });
  }

  answerCall({ id, request, params }) {
    if (request !== 'get') {
      this.post({ id, error: { name: 'NotSupportedError', message: `"${request}" is not supported by this parent` } });
      return;
    }
    const result = { errors: {} };
    for (const path of params) {
      const found = this.options.get(path);
      if (found === undefined) {
        result.errors[path] = { name: 'APIUnavailable', message: 'is not a valid path', path };
      } else {
        result[path] = found.value;
      }
    }
    this.post({ id, result });
  }

  async answerRequest(key, options) {
    let response;
    for (let attempt = 0; ; attempt++) {
      response = await this.attempt(options);
      const wait = retryAfterSeconds(response);
      if (response.status !== 429 || options.autoRetry === false || attempt === MAX_AUTO_RETRIES ||
          wait === undefined || wait > MAX_RETRY_WAIT_S) break;
      this.retries.push({ key, url: options.url, wait });
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    if (response.timedOut) {
      this.post({ key: `zaf.${key}.fail`, message: { responseArgs: [{ readyState: 0, status: 0, statusText: 'timeout', responseText: '' }, 'timeout', 'timeout'] } });
      return;
    }
    const { status, statusText = '', headers = {}, body } = response;
    const json = parseJson(body);
    const ok = status >= 200 && status < 300;
    // jQuery's dataType, which ZAF requests follow: 'text' hands over the body as is,
    // 'json' (or no dataType and a JSON content type) the parsed value.
    const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
    const wantsJson = options.dataType === 'json' || (options.dataType === undefined && contentType.includes('json'));
    const xhr = { readyState: 4, status, statusText };
    if (!ok) {
      const failure = { ...xhr, responseText: body };
      if (json !== undefined) failure.responseJSON = json;
      if (options.httpCompleteResponse) failure.headers = headers;
      this.post({ key: `zaf.${key}.fail`, message: { responseArgs: [failure, 'error', statusText] } });
      return;
    }
    if (wantsJson && json === undefined && body !== '') {
      this.post({ key: `zaf.${key}.fail`, message: { responseArgs: [{ ...xhr, responseText: body }, 'parsererror', 'invalid JSON'] } });
      return;
    }
    let data = wantsJson ? json : body;
    if (options.httpCompleteResponse) {
      data = { status, headers, responseText: body };
      if (json !== undefined) data.responseJSON = json;
    }
    this.post({ key: `zaf.${key}.done`, message: { responseArgs: [data, 'success', xhr] } });
  }

  // One attempt: the response, { timedOut: true } when `timeout` ms passed first, or a
  // status-0 response when the request could not be made at all.
  async attempt(options) {
    const controller = new AbortController();
    const timeout = Number(options.timeout);
    const timer = timeout > 0 ? setTimeout(() => controller.abort(), timeout) : undefined;
    try {
      return await this.options.request(options, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return { timedOut: true };
      console.warn(`zaf parent: request to ${options.url} failed: ${error.message}`);
      return { status: 0, statusText: 'error', body: '', headers: {} };
    } finally {
      clearTimeout(timer);
    }
  }
}

// Retry-After in whole seconds (delta-seconds or an HTTP date), undefined when absent.
function retryAfterSeconds(response) {
  const value = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Resolves a ZAF path (`ticket.requester.name`, `ticket.customField:custom_field_1`) in `data`. */
export function lookupPath(data, path) {
  let value = data;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return { value };
}
