// The ZAF adapter (DESIGN §4): wraps a Zendesk Apps Framework client so that an app reads
// only what its policy allows. `get` refuses a path the policy's `zaf` list does not name
// before any message leaves the iframe, and prunes object results to listed paths;
// `request` refuses, before any message leaves the iframe, a request the policy's
// `requests` do not list or a body outside its `write` selection (DESIGN §2.5), then asks
// ZAF for the complete response (`httpCompleteResponse`: status, headers and
// `responseText`, the body as the server sent it, whatever `dataType` made of it) and hands
// back only the policy's filtered output, so a 20-digit ID is never rounded and no unfiltered
// body reaches the app — error bodies included. Both record to the session access report. See docs/zaf.md.
import { LeastDataError } from './errors.js';
import { parseKeepingIds } from './parse-keeping-ids.js';
import { requestWithoutLeftovers } from './zaf-handlers.js';

const RESULT_FORMS = ['json', 'text'];

// The only members of a ZAF request rejection (a jqXHR-like object) passed on to the app;
// every other member may carry the response body or parts of it.
const ERROR_MEMBERS = ['status', 'statusText', 'readyState', 'headers'];

/**
 * @param {import('./engine.js').Engine} engine the instance whose access report records the calls
 * @param {{ get: Function, request: Function }} client a ZAF client (ZAFClient.init())
 * @param {import('./engine.js').CompiledPolicy} policy
 */
export function createZafAdapter(engine, client, policy) {
  if (client === null || typeof client !== 'object' || typeof client.get !== 'function' ||
      typeof client.request !== 'function') {
    throw new LeastDataError('invalid_argument', 'zaf(client, policy): client must be a ZAF client (ZAFClient.init())');
  }
  if (policy === null || typeof policy !== 'object' || typeof policy.allowsZafPath !== 'function') {
    throw new LeastDataError('invalid_argument', 'zaf(client, policy): policy must be a compiled policy (ld.compile())');
  }
  if (policy.engine !== engine) {
    // Its ledgers would land in another instance's access report than the ZAF reads.
    throw new LeastDataError('invalid_argument', 'zaf(client, policy): the policy was compiled by another leastdata instance');
  }
  engine.checkAlive();
  return {
    get: (paths) => get(engine, client, policy, paths),
    request: (options) => request(engine, client, policy, options),
  };
}

// Everything before the first await runs inside the caller's get() call: a refused path
// is decided, and recorded, before client.get could post anything to the parent.
async function get(engine, client, policy, paths) {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || list.some((path) => typeof path !== 'string')) {
    throw new LeastDataError('invalid_argument', 'get(paths): paths must be a string or an array of strings');
  }
  const allowed = policy.allowedZafPaths(list);
  const refused = list.filter((_, i) => !allowed[i]);
  if (refused.length > 0) {
    // Nothing was read: the allowed paths of a refused call are not recorded as reads.
    for (const path of refused) engine.report.addZafGet(path, false);
    throw new LeastDataError('path_not_allowed', `ZAF path "${refused[0]}" is not in the policy's zaf list`);
  }
  for (const path of list) engine.report.addZafGet(path, true);
  const result = await client.get(paths);
  return pruneGetResult(policy, list, result);
}

// ZAF answers a path that names an object (ticket.requester, currentUser) with the whole
// object. Every scalar handed to the app must sit at a path the zaf list allows: members
// are addressed as `<path>.<member>`, array elements share their array's path. The
// distinct paths of the answer are asked of the core in one call.
function pruneGetResult(policy, paths, result) {
  if (result === null || typeof result !== 'object') return result;
  const present = paths.filter((path) => Object.hasOwn(result, path));
  const seen = new Set();
  for (const path of present) collectPaths(path, result[path], seen);
  const list = [...seen];
  const flags = policy.allowedZafPaths(list);
  const allowed = new Map(list.map((path, i) => [path, flags[i]]));
  const pruned = {};
  for (const path of present) pruned[path] = prune(allowed, path, result[path]).value;
  if (result.errors !== null && typeof result.errors === 'object') {
    pruned.errors = {};
    for (const path of paths) {
      if (Object.hasOwn(result.errors, path)) pruned.errors[path] = result.errors[path];
    }
  }
  return pruned;
}

// Every path prune() will ask about for `value` at `path`.
function collectPaths(path, value, seen) {
  seen.add(path);
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const element of value) collectPaths(path, element, seen);
  } else {
    for (const [member, memberValue] of Object.entries(value)) collectPaths(`${path}.${member}`, memberValue, seen);
  }
}

// A scalar survives when its path is allowed; a container survives when its path is
// allowed (possibly emptied) or when something inside it survives.
function prune(allowed, path, value) {
  if (value === null || typeof value !== 'object') {
    return { kept: allowed.get(path), value };
  }
  let any = false;
  let out;
  if (Array.isArray(value)) {
    out = [];
    for (const element of value) {
      const child = prune(allowed, path, element);
      if (child.kept) {
        out.push(child.value);
        any = true;
      }
    }
  } else {
    out = {};
    for (const [member, memberValue] of Object.entries(value)) {
      const child = prune(allowed, `${path}.${member}`, memberValue);
      if (child.kept) {
        out[member] = child.value;
        any = true;
      }
    }
  }
  return { kept: any || allowed.get(path), value: out };
}

function requestOptions(options) {
  if (typeof options === 'string') return requestOptions({ url: options });
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new LeastDataError('invalid_argument', 'request(options): options must be a URL string or a ZAF request object');
  }
  const { leastdata = {}, ...rest } = options;
  if (leastdata === null || typeof leastdata !== 'object') {
    throw new LeastDataError('invalid_argument', 'request(options): options.leastdata must be an object');
  }
  for (const key of Object.keys(leastdata)) {
    if (key !== 'as') throw new LeastDataError('invalid_argument', `request(options): unknown option leastdata.${key} (known: as)`);
  }
  const as = leastdata.as ?? 'json';
  if (!RESULT_FORMS.includes(as)) {
    throw new LeastDataError('invalid_argument', `request(options): leastdata.as must be 'json' or 'text', not ${JSON.stringify(as)}`);
  }
  // The complete response, whatever the caller asked for: its responseText is the body as
  // sent, which the filter reads; a parsed body would have rounded large IDs. dataType
  // 'text' keeps the framework from parsing at all where it honours it.
  return { zafOptions: { ...rest, dataType: 'text', httpCompleteResponse: true }, complete: rest.httpCompleteResponse === true, as };
}

// The method and body as ZAF will send them. ZAF hands the options to jQuery.ajax, which
// takes `method` over `type`, appends `data` to the URL of a GET or HEAD, and form-encodes
// an object: only a JSON text body is sent as it is checked, so anything else is refused.
function requestShape(options) {
  if (typeof options.url !== 'string') {
    throw new LeastDataError('invalid_argument', 'request(options): options.url must be a string');
  }
  const { method: byMethod, type: byType, data } = options;
  if (byMethod !== undefined && byType !== undefined && String(byMethod).toUpperCase() !== String(byType).toUpperCase()) {
    throw new LeastDataError('invalid_argument', `request(options): method ${JSON.stringify(byMethod)} and type ${JSON.stringify(byType)} disagree; give one`);
  }
  const method = String(byMethod ?? byType ?? 'GET').toUpperCase();
  if (data === undefined || data === null || data === '') return { method, body: undefined };
  if (method === 'GET' || method === 'HEAD') {
    throw new LeastDataError('invalid_argument', `request(options): a ${method} has no body; write its query parameters into url, where the policy's requests can check them`);
  }
  if (typeof data !== 'string') {
    throw new LeastDataError('invalid_argument', "request(options): data must be JSON text (JSON.stringify(body)) with contentType 'application/json', so the body is checked exactly as it is sent");
  }
  return { method, body: data };
}

async function request(engine, client, policy, options) {
  policy.checkAlive();
  const { zafOptions, complete, as } = requestOptions(options);
  // Everything up to the first await runs inside the caller's request() call: a refused
  // request is decided, and recorded, before client.request could post anything.
  const { method, body: requestBody } = requestShape(zafOptions);
  // One call into the core checks the request and gives the pattern it is recorded under.
  const urlIsText = typeof zafOptions.url === 'string';
  const { pattern, error } = policy.checkRequestPattern(method, String(zafOptions.url), urlIsText ? requestBody : undefined);
  const refusal = urlIsText
    ? error
    : new LeastDataError('invalid_argument', 'checkRequest(method, url, body?): method and url must be strings');
  engine.report.addRequest(pattern, refusal === null);
  if (refusal !== null) throw refusal;
  let response;
  try {
    response = await requestWithoutLeftovers(client, zafOptions);
  } catch (error) {
    throw withoutBody(policy, error);
  }
  if (response === null || typeof response !== 'object' || typeof response.responseText !== 'string') {
    throw new LeastDataError('invalid_response', 'ZAF did not return the complete response (status, headers, responseText) it was asked for; refused unfiltered');
  }
  const body = filterBody(policy, response.responseText, as, complete);
  if (complete) {
    const out = { status: response.status, headers: response.headers, responseText: body.text };
    if (as === 'json') out.responseJSON = body.value;
    return out;
  }
  return as === 'json' ? body.value : body.text;
}

// The filtered body as the caller wants it: the value only (parsed from wasm memory, never
// one string), or the text, parsed too when a complete response with JSON was asked for.
function filterBody(policy, body, as, complete) {
  if (body === undefined || body === null || body === '') {
    // 204 No Content and the like: nothing was read.
    return { text: '', value: null };
  }
  if (as === 'json' && !complete) return { value: policy.filterParsed(body) };
  const { output } = policy.filterWithLedger(body);
  return { text: output, value: as === 'json' ? parseKeepingIds(output) : undefined };
}

// A rejected ZAF request carries the raw response body (responseText, responseJSON).
// The app gets a copy with only the status members, and responseText replaced by the
// policy's filtered body ('' when the body is not JSON the policy can read).
function withoutBody(policy, error) {
  if (error === null || typeof error !== 'object' || error instanceof Error) return error;
  const copy = {};
  for (const member of ERROR_MEMBERS) {
    if (Object.hasOwn(error, member)) copy[member] = error[member];
  }
  copy.responseText = '';
  if (typeof error.responseText === 'string' && error.responseText !== '') {
    try {
      copy.responseText = policy.filterWithLedger(error.responseText).output;
    } catch (filterError) {
      if (!(filterError instanceof LeastDataError) || filterError.code === 'disposed') throw filterError;
    }
  }
  return copy;
}
