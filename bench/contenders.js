// The JavaScript-side filter contenders of one workload, and the check that they all
// produce the same JSON. Shared by Node (bench/filter-throughput.js, bench/heap.js) and
// the Chromium page (bench/browser/page.js): no Node APIs.

/** Display names, in chart order; `native*` run outside JavaScript (bench/native.js). */
export const LABELS = {
  leastdata_bytes: 'leastdata (bytes)',
  leastdata_string: 'leastdata (string)',
  json_mask: 'JSON.parse + json-mask + JSON.stringify',
  pick: 'JSON.parse + hand-written pick + JSON.stringify',
  leastdata_core: 'leastdata wasm core (no JS boundary: input in wasm memory, output not decoded)',
  native: 'native C++ build (same work: with ledger)',
  native_no_ledger: 'native C++ build, no ledger',
  native_clang: 'native C++ build by clang, the compiler Emscripten uses (with ledger)',
};

/**
 * @param {object} workload an entry of WORKLOADS (bench/workloads.js)
 * @param {{ ld: any, jsonMask: { compile: Function, filter: Function },
 *           bytes: Uint8Array, text: string }} inputs
 * @returns {Record<string, () => string>} contender id → one filter call returning JSON text
 */
export function makeContenders(workload, { ld, jsonMask, bytes, text }) {
  const policy = ld.compile(workload.policy);
  const contenders = {
    leastdata_bytes: () => policy.filter(bytes),
    leastdata_string: () => policy.filter(text),
    leastdata_core: coreFilter(ld, policy, bytes),
  };
  if (workload.mask !== null) {
    const mask = jsonMask.compile(workload.mask);
    contenders.json_mask = () => JSON.stringify(jsonMask.filter(JSON.parse(text), mask));
  }
  contenders.pick = () => JSON.stringify(workload.pick(JSON.parse(text)));
  return contenders;
}

// `spans_above` for a core call whose output is not parsed (as js/engine.js's NO_SPANS).
const NO_SPANS = 0xffffffff;

/**
 * The same compiled core with the JavaScript boundary taken away, to compare the wasm build
 * with the native one as compilers of the same C++: the input is copied into wasm memory
 * once, and each call runs the filter (ledger included, as `filter()` and the native tool
 * do) and releases its output without decoding it. Returns the output text only when asked
 * (`run(true)`, for the equality check). Uses package internals (`engine`, `handle`): a
 * benchmark probe, not an API.
 */
function coreFilter(ld, policy, bytes) {
  const m = ld.engine.module;
  const ptr = m._ld_alloc(bytes.length);
  m.HEAPU8.set(bytes, ptr);
  return (decode = false) => {
    const result = ld.engine.readResult(m._ld_policy_filter(policy.handle, ptr, bytes.length, true, NO_SPANS));
    if (result.failed) throw ld.engine.resultError(result);
    const text = decode ? ld.engine.readText(result.text, result.textLength) : undefined;
    m._ld_release(0, 0); // the result buffers; the input stays for the next round
    return text;
  };
}

/** Display names of the object-out comparison (bench/object-out.js), in chart order. */
export const OBJECT_LABELS = {
  leastdata_bytes: 'policy.filterParsed(bytes)',
  leastdata_string: 'policy.filterParsed(string)',
  leastdata_text_bytes: 'JSON.parse(policy.filter(bytes))',
  json_mask: 'jsonMask.filter(JSON.parse(string), mask)',
  json_mask_bytes: 'jsonMask.filter(JSON.parse(new TextDecoder().decode(bytes)), mask): the same bytes, as response.json() reads them',
  json_parse: 'JSON.parse(string) alone',
  encode_floor: 'TextEncoder.encodeInto(string) alone: the string path\'s copy into wasm',
};

/**
 * What an app does with a response it wants as an object: leastdata filters and parses the
 * (smaller) output where it lies in wasm memory; json-mask parses everything, then picks.
 * `leastdata_text_bytes`, the output decoded to one string then parsed, shows what parsing
 * in place saves. `json_mask_bytes` starts from the bytes too, as an app that fetched them
 * would (`response.json()` decodes, then parses). `json_parse` and
 * `encode_floor` are references, not contenders: the parse a filter must beat, and the copy
 * of a JS string into wasm memory that every call from a string pays before filtering.
 * @param {object} workload an entry of WORKLOADS with a json-mask expression
 * @param {{ ld: any, jsonMask: { compile: Function, filter: Function },
 *           bytes: Uint8Array, text: string }} inputs
 * @returns {Record<string, () => unknown>} id → one call (the references return nothing)
 */
export function makeObjectContenders(workload, { ld, jsonMask, bytes, text }) {
  const policy = ld.compile(workload.policy);
  const mask = jsonMask.compile(workload.mask);
  // Room for any string's UTF-8 (at most 3 bytes per UTF-16 unit), allocated once.
  const scratch = new Uint8Array(text.length * 3);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    leastdata_bytes: () => policy.filterParsed(bytes),
    leastdata_string: () => policy.filterParsed(text),
    leastdata_text_bytes: () => JSON.parse(policy.filter(bytes)),
    json_mask: () => jsonMask.filter(JSON.parse(text), mask),
    json_mask_bytes: () => jsonMask.filter(JSON.parse(decoder.decode(bytes)), mask),
    json_parse: () => { JSON.parse(text); },
    encode_floor: () => { encoder.encodeInto(text, scratch); },
  };
}

/** Display names of the object-out comparison from a fetched response, in chart order. */
export const RESPONSE_LABELS = {
  leastdata_stream: 'policy.filterParsedStream(response)',
  leastdata_array_buffer: 'policy.filterParsed(new Uint8Array(await response.arrayBuffer()))',
  json_mask_json: 'jsonMask.filter(await response.json(), mask)',
  fetch_only: 'await response.arrayBuffer() alone: the fetch every pipeline pays',
};

/**
 * Object out from what an app holds after `fetch(url)` (an app with an OAuth token; see
 * docs/performance.md): the body read chunk by chunk into wasm memory, or read whole first,
 * against `response.json()` and json-mask. `fetch_only` is the reference every call pays.
 * Each call fetches anew, so the figures include the loopback network.
 * @param {object} workload an entry of WORKLOADS with a json-mask expression
 * @param {{ ld: any, jsonMask: { compile: Function, filter: Function }, url: string }} inputs
 * @returns {Record<string, () => Promise<unknown>>} id → one call (the reference returns nothing)
 */
export function makeResponseContenders(workload, { ld, jsonMask, url }) {
  const policy = ld.compile(workload.policy);
  const mask = jsonMask.compile(workload.mask);
  const get = async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response;
  };
  return {
    leastdata_stream: async () => policy.filterParsedStream(await get()),
    leastdata_array_buffer: async () => policy.filterParsed(new Uint8Array(await (await get()).arrayBuffer()), { wipeInput: true }),
    json_mask_json: async () => jsonMask.filter(await (await get()).json(), mask),
    fetch_only: async () => {
      await (await get()).arrayBuffer();
    },
  };
}

/** As checkSameObjects, for the response contenders (called one after another). */
export async function checkSameResponseObjects(contenders, context) {
  const values = {};
  for (const [id, run] of Object.entries(contenders)) values[id] = await run();
  return checkSameObjects(Object.fromEntries(Object.entries(values).map(([id, value]) => [id, () => value])), context);
}

/** Display names of the parts of one object-out call, in the order a call runs them. */
export const BREAKDOWN_LABELS = {
  copy_in: 'copy the bytes into wasm memory, and wipe them',
  core_no_ledger: 'wasm filter, no ledger',
  core_ledger: 'wasm filter with the ledger (what every call does)',
  core_parsed: 'wasm filter with the ledger, output spans and the long-digit check (filterParsed)',
  ledger_js: 'the ledger into the access report (JSON.parse + merge)',
  parse_output: 'the output parsed from memory (in pieces when large)',
  decode_output_whole: 'the output decoded to one string (what filter() returns)',
  decode_input: 'TextDecoder of the whole input (what response.json() pays first)',
};

/**
 * The parts of one `filterParsed(bytes)` call, each timed alone (benchmark probes on package
 * internals, `engine` and `handle`, not an API): what the wasm core costs with and without
 * the ledger, what the JavaScript around it costs, and, for scale, decoding the input. The
 * whole call (`whole_call`) is timed with them, interleaved: on this shared machine a figure
 * from another minute can differ by more than the parts do.
 * @param {object} workload an entry of WORKLOADS
 * @param {{ ld: any, bytes: Uint8Array, parseOutput: Function, pieceBytes: number }} inputs
 * @returns {Record<string, () => void>}
 */
export function makeObjectBreakdown(workload, { ld, bytes, parseOutput, pieceBytes }) {
  const policy = ld.compile(workload.policy);
  const engine = ld.engine;
  const m = engine.module;
  const ptr = m._ld_alloc(bytes.length);
  m.HEAPU8.set(bytes, ptr);
  const coreCall = (ledger, spansAbove) => () => {
    m._ld_policy_filter(policy.handle, ptr, bytes.length, ledger, spansAbove);
    m._ld_release(0, 0); // the result buffers; the input stays for the next round
  };
  // One call's output, ledger and spans, copied out of wasm memory to replay the JS parts.
  const result = engine.readResult(m._ld_policy_filter(policy.handle, ptr, bytes.length, true, pieceBytes));
  const heap = m.HEAPU8;
  const output = heap.slice(result.text, result.text + result.textLength);
  const ledgerText = engine.readText(result.extra, result.extraLength);
  const spans = new Uint32Array(heap.buffer, result.spans, result.spanCount * 4).slice();
  const longNumbers = result.longNumbers;
  m._ld_release(0, 0);
  const decoder = new TextDecoder();
  return {
    whole_call: () => policy.filterParsed(bytes),
    copy_in: () => {
      const at = m._ld_alloc(bytes.length);
      m.HEAPU8.set(bytes, at);
      m._ld_release(at, bytes.length);
    },
    core_no_ledger: coreCall(false, NO_SPANS),
    core_ledger: coreCall(true, NO_SPANS),
    core_parsed: coreCall(true, pieceBytes),
    ledger_js: () => engine.report.addLedger(JSON.parse(ledgerText)),
    parse_output: () => parseOutput(output, spans, longNumbers, engine.decodeUtf8),
    decode_output_whole: () => engine.decodeUtf8(output),
    decode_input: () => decoder.decode(bytes),
  };
}

/** Throws unless the objects of every contender that returns one are the same JSON value. */
export function checkSameObjects(contenders, context) {
  const outputs = Object.fromEntries(Object.entries(contenders)
    .map(([id, run]) => [id, run()])
    .filter(([, value]) => value !== undefined)
    .map(([id, value]) => [id, JSON.stringify(value)]));
  return checkSameOutput(outputs, context);
}

/** The contenders whose calls return the output to JavaScript (what heap growth measures). */
export function withOutputInJs(contenders) {
  const { leastdata_core: _, ...rest } = contenders;
  return rest;
}

/** Structural equality of parsed JSON (member order ignored, as JSON objects are unordered). */
export function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}

/**
 * Throws unless every output (contender id → JSON text) parses to the same value as the
 * first; an empty result also fails, so a selection that matches nothing cannot pass.
 */
export function checkSameOutput(outputs, context) {
  const [[firstId, firstText], ...rest] = Object.entries(outputs);
  const first = JSON.parse(firstText);
  if (firstText.length < 3) throw new Error(`${context}: ${firstId} produced an empty result`);
  for (const [id, text] of rest) {
    if (!sameJson(first, JSON.parse(text))) {
      throw new Error(`${context}: ${id} does not produce the same JSON as ${firstId} ` +
        `(${text.length} vs ${firstText.length} characters); the contenders must select the same fields`);
    }
  }
  return firstText.length;
}
