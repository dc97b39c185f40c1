// The JavaScript face of the wasm core, shared by the Node and browser entry points, and
// the one caller of its exports (`_ld_*`, wasm/bindings/leastdata.cpp).
//
// Data crosses the boundary once per call, as bytes: strings are encoded straight into
// linear memory with TextEncoder.encodeInto, the output is decoded once, and every
// buffer that held a call's bytes — the input copy, the output, the part of the shadow
// stack the call used — is zeroed before the call returns (DESIGN §3). A call enters wasm
// three times: `ld_alloc` for its input texts, the call itself, which answers with one
// result record (readResult), and `ld_release`, which wipes the input and the result
// buffers (Engine.call).
import { AccessReport } from './access-report.js';
import { LeastDataError, errorFromJson } from './errors.js';
import { PIECE_BYTES, parseOutput } from './parse-output.js';

const encoder = new TextEncoder();
// `spans_above` for a call whose output is not parsed here: the core finds no spans.
const NO_SPANS = 0xffffffff;
const textDecoder = new TextDecoder();
const decodeWithTextDecoder = (bytes) => textDecoder.decode(bytes);

// Frames below the deepest one the core marked (leaf calls) are zeroed too.
const STACK_SAFETY_MARGIN = 16 * 1024;

function asBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return null;
}

export class Engine {
  /**
   * @param {any} module the instantiated Emscripten module
   * @param {(bytes: Uint8Array) => string} [decodeUtf8] the fastest UTF-8 decoder of the
   *   platform (the core only ever outputs valid UTF-8)
   */
  constructor(module, decodeUtf8 = decodeWithTextDecoder) {
    this.module = module;
    this.decodeUtf8 = decodeUtf8;
    this.policies = new Set();
    this.disposed = false;
    // Constant for the instance: where the shadow stack starts when no wasm frame is live,
    // where it ends, and the core's ceilings (what LeastData#limits reports).
    this.stackTop = module._ld_stack_current();
    this.stackEnd = module._ld_stack_end();
    this.limits = { maxDepthCeiling: module._ld_max_depth_ceiling(), maxInputBytesCeiling: module._ld_max_input_bytes_ceiling() };
    // The deepest stack address of the last call, from its result record.
    this.resultStackLowest = undefined;
    /** The core's tables: the resources of DESIGN §2.2, and the detectors' wire names. */
    this.resources = {
      members: JSON.parse(this.callForText([], () => module._ld_resource_members())),
      pagination: JSON.parse(this.callForText([], () => module._ld_pagination_members())),
    };
    this.detectors = JSON.parse(this.callForText([], () => module._ld_detectors()));
    this.report = new AccessReport(this.resources.members);
  }

  get memory() {
    // Optimised glue minifies export names; the memory is the one Memory export.
    this.wasmMemory ??= Object.values(this.module.asm).find((value) => value instanceof WebAssembly.Memory);
    return this.wasmMemory;
  }

  checkAlive() {
    if (this.disposed) throw new LeastDataError('disposed', 'this leastdata instance was disposed; call load() again');
  }

  /**
   * One call into the core, from start to end: `parts` (strings, as UTF-8, or bytes) are
   * written one after another into one fresh block of linear memory, and `use(ptr,
   * ...lengths)` makes the call and reads its result record. Then, whatever happens,
   * `ld_release` wipes the block and the call's result buffers, and the shadow stack the
   * call used is zeroed. `wipeBytes` zeroes the caller's byte parts once copied.
   */
  call(parts, use, wipeBytes = false) {
    return this.zeroingStack(() => this.withParts(parts, wipeBytes, use));
  }

  // A call whose result is one text; throws the error a failed result holds.
  callForText(parts, invoke, wipeBytes = false) {
    return this.call(parts, (...args) => this.textOf(this.readResult(invoke(...args))), wipeBytes);
  }

  withParts(parts, wipeBytes, use) {
    const m = this.module;
    let capacity = 0;
    // Each UTF-16 unit encodes to at most three bytes.
    for (const part of parts) capacity += typeof part === 'string' ? part.length * 3 : part.length;
    const ptr = parts.length === 0 ? 0 : this.allocOrThrow(capacity);
    try {
      const heap = m.HEAPU8;
      const lengths = [];
      let at = ptr;
      for (const part of parts) {
        let length = part.length;
        if (typeof part === 'string') {
          length = encoder.encodeInto(part, heap.subarray(at, ptr + capacity)).written;
        } else {
          heap.set(part, at);
          if (wipeBytes) part.fill(0);
        }
        lengths.push(length);
        at += length;
      }
      return use(ptr, ...lengths);
    } finally {
      if (!this.disposed) m._ld_release(ptr, capacity);
    }
  }

  // Runs `call` and zeroes the stack it used, whatever happens: the core resets its stack
  // mark at the start of every call that answers with a result record and reports the
  // deepest point in the record (when no record was read, the mark is asked for). A trap,
  // or a C++ exception that escaped the core (JS-emulated exceptions throw its address, a
  // number; leastdata's own code throws none, so it can only be an allocation failure or a
  // bug): the instance's heap can no longer be trusted and its buffers were not wiped, so
  // all of linear memory is wiped, the instance retired, and the call fails with
  // 'internal_error'.
  zeroingStack(call) {
    this.resultStackLowest = undefined;
    try {
      return call();
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || typeof error === 'number') throw this.retireAfterTrap(error);
      throw error;
    } finally {
      if (!this.disposed) {
        const lowest = this.resultStackLowest ?? this.module._ld_stack_lowest();
        const bottom = Math.max(this.stackEnd, lowest - STACK_SAFETY_MARGIN);
        if (this.stackTop > bottom) this.module.HEAPU8.fill(0, bottom, this.stackTop);
      }
    }
  }

  /**
   * Reads the result record a call answered with (at `ptr`; layout in
   * wasm/bindings/leastdata.cpp, CallResult) through one typed view.
   * @returns {{ failed: boolean, text: number, textLength: number, extra: number, extraLength: number,
   *             spans: number, spanCount: number, longNumbers: boolean, handle: number }}
   */
  readResult(ptr) {
    const [failed, text, textLength, extra, extraLength, stackLowest, , spans, spanCount, longNumbers, handle] =
      new Uint32Array(this.module.HEAPU8.buffer, ptr, 11);
    this.resultStackLowest = stackLowest;
    return { failed: failed !== 0, text, textLength, extra, extraLength, spans, spanCount, longNumbers: longNumbers !== 0, handle };
  }

  // The error a failed result holds.
  resultError(result) {
    return errorFromJson(this.readText(result.text, result.textLength));
  }

  // The text a result holds; throws the error a failed one holds.
  textOf(result) {
    if (result.failed) throw this.resultError(result);
    return this.readText(result.text, result.textLength);
  }

  retireAfterTrap(trap) {
    this.module.HEAPU8.fill(0);
    this.disposed = true;
    const what = trap instanceof Error ? `"${trap.message}"` : 'an uncaught C++ exception';
    return new LeastDataError(
      'internal_error',
      `the leastdata core stopped with ${what}; its memory was wiped and this instance retired: call load() again, and please report the input that caused it`,
    );
  }

  compile(policy) {
    this.checkAlive();
    let text;
    if (typeof policy === 'string') text = policy;
    else if (policy !== null && typeof policy === 'object') text = JSON.stringify(policy);
    else throw new LeastDataError('invalid_policy', 'a policy is a JSON object or its JSON text');
    const handle = this.call([text], (ptr, length) => {
      const result = this.readResult(this.module._ld_compile_policy(ptr, length));
      if (result.failed) throw this.resultError(result);
      return result.handle;
    });
    const compiled = new CompiledPolicy(this, handle);
    this.policies.add(compiled);
    return compiled;
  }

  // Engine.call for a payload: `use(ptr, length)` with the input copied into wasm memory,
  // after the size checks of DESIGN §2.3.
  callWithInput(input, maxBytes, wipeInput, use) {
    if (typeof input === 'string') {
      // Each UTF-16 unit encodes to at least one byte: a string longer than the limit is
      // over it before anything is copied (size_limit before reading).
      if (input.length > maxBytes) throw sizeError(input.length, maxBytes);
      return this.call([input], use);
    }
    const bytes = asBytes(input);
    if (bytes === null) {
      throw new LeastDataError('invalid_argument', 'input must be a string, Uint8Array or ArrayBuffer');
    }
    if (bytes.length > maxBytes) {
      if (wipeInput) bytes.fill(0); // the caller asked for its bytes gone whatever happens
      throw sizeError(bytes.length, maxBytes);
    }
    return this.call([bytes], use, wipeInput);
  }

  /**
   * As callWithInput, for a fetch Response or a ReadableStream of bytes: each chunk is copied
   * into one block of wasm memory as it arrives and then zeroed (unless `wipeChunks` is
   * false), so the raw payload never exists whole outside wasm memory. The block grows by
   * doubling; each outgrown block is wiped as it is freed. Reading stops at the first byte
   * over `maxBytes` (the stream is cancelled). `call(ptr, length)` runs once the last chunk
   * is in: the walker is not resumable.
   */
  async withStreamedInput(source, maxBytes, wipeChunks, call) {
    const { body, lengthHint } = streamOf(source, maxBytes);
    const m = this.module;
    const reader = body.getReader();
    let capacity = 0;
    let ptr = 0;
    let length = 0;
    let finished = false;
    try {
      capacity = Math.min(maxBytes, lengthHint ?? FIRST_STREAM_BLOCK);
      ptr = this.allocOrThrow(capacity);
      for (;;) {
        let read;
        try {
          read = await reader.read();
        } catch (error) {
          throw new LeastDataError('invalid_response', `the body stream failed before its end (${error?.message ?? error}); nothing was filtered: fetch it again`);
        }
        // dispose() meanwhile zeroed all of linear memory, this block included.
        this.checkAlive();
        if (read.done) break;
        const chunk = asBytes(read.value);
        if (chunk === null) throw new LeastDataError('invalid_argument', 'a stream chunk must be a Uint8Array or another ArrayBufferView');
        const needed = length + chunk.length;
        if (needed > maxBytes) {
          if (wipeChunks) chunk.fill(0);
          throw sizeError(needed, maxBytes);
        }
        if (needed > capacity) {
          const grown = Math.min(maxBytes, Math.max(needed, capacity * 2));
          const next = this.allocOrThrow(grown);
          m.HEAPU8.copyWithin(next, ptr, ptr + length);
          m._ld_free(ptr, capacity);
          ptr = next;
          capacity = grown;
        }
        m.HEAPU8.set(chunk, ptr + length);
        if (wipeChunks) chunk.fill(0);
        length = needed;
      }
      finished = true;
      return call(ptr, length);
    } finally {
      if (!finished) reader.cancel().catch(() => {});
      if (ptr !== 0 && !this.disposed) m._ld_release(ptr, capacity);
    }
  }

  allocOrThrow(length) {
    const ptr = this.module._ld_alloc(length);
    if (ptr === 0) throw new LeastDataError('internal_error', `wasm memory could not grow by ${length} bytes; filter a smaller input`);
    return ptr;
  }

  // Decodes `length` bytes at `ptr` (the output slot) into a string.
  readText(ptr, length) {
    return this.decodeUtf8(this.module.HEAPU8.subarray(ptr, ptr + length));
  }

  // Parses a filter's output where it lies, in pieces when large (js/parse-output.js).
  readValue(result) {
    const heap = this.module.HEAPU8;
    const spans = new Uint32Array(heap.buffer, result.spans, result.spanCount * 4);
    return parseOutput(heap.subarray(result.text, result.text + result.textLength), spans, result.longNumbers, this.decodeUtf8);
  }

  /**
   * Finds and rewrites personal data in text (DESIGN §5).
   * @param {string} text
   * @param {{ detect?: 'all' | string | string[], action?: 'remove' | 'label' | 'mask' | 'pseudonym' }} options
   */
  redact(text, options = {}) {
    this.checkAlive();
    if (typeof text !== 'string') throw new LeastDataError('invalid_argument', 'redact takes a string');
    const detect = String(Array.isArray(options.detect) ? options.detect.join(',') : (options.detect ?? 'all'));
    const action = String(options.action ?? 'mask');
    const ceiling = this.limits.maxInputBytesCeiling;
    if (text.length > ceiling) throw sizeError(text.length, ceiling);
    return this.call([text, detect, action], (ptr, textLength, detectLength, actionLength) => {
      const result = this.readResult(this.module._ld_redact(ptr, textLength, detectLength, actionLength));
      return {
        text: this.textOf(result),
        findings: JSON.parse(this.readText(result.extra, result.extraLength)),
      };
    });
  }

  /**
   * Sets the key of the `pseudonym` action. It stays in wasm memory and cannot be read
   * back; the caller's bytes are zeroed after the copy unless wipeInput is false.
   * @param {Uint8Array} key at least 16 bytes
   */
  setPseudonymKey(key, options = {}) {
    this.checkAlive();
    const bytes = asBytes(key);
    if (bytes === null) throw new LeastDataError('invalid_argument', 'the pseudonym key must be bytes (Uint8Array)');
    this.callForText([bytes], (ptr, length) => this.module._ld_set_pseudonym_key(ptr, length), options.wipeInput ?? true);
  }

  /**
   * Verifies a deletion certificate (Ed25519 over its JCS form) against a key set;
   * returns its summary, or throws LeastDataError 'invalid_certificate'.
   */
  verifyCertificate(certificate, keys) {
    this.checkAlive();
    const text = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
    const summary = this.callForText([text(certificate), text(keys)], (ptr, certificateLength, keysLength) =>
      this.module._ld_verify_certificate(ptr, certificateLength, keysLength),
    );
    return JSON.parse(summary);
  }

  /**
   * Checks a request against `policy` (DESIGN §2.5) in one call: the URL and the body
   * are copied into one block. Returns the pattern the request is recorded under
   * (method, path with IDs as {id}, parameter names; no value) and the error when refused.
   * @returns {{ pattern: string, error: LeastDataError | null }}
   */
  checkRequest(handle, maxBodyBytes, method, url, body) {
    // A body that cannot be checked refuses the request before its rules are read (its
    // pattern is still recorded): the call then carries the method and URL only.
    let bodyBytes = body === undefined || body === null ? null : typeof body === 'string' ? body : asBytes(body);
    let bodyError = null;
    if (bodyBytes === null && body !== undefined && body !== null) {
      bodyError = new LeastDataError('invalid_argument', 'input must be a string, Uint8Array or ArrayBuffer');
    } else if (bodyBytes !== null && bodyBytes.length > maxBodyBytes) {
      bodyError = sizeError(bodyBytes.length, maxBodyBytes);
      bodyBytes = null;
    }
    const parts = bodyBytes === null ? [method, url] : [method, url, bodyBytes];
    return this.call(parts, (ptr, methodLength, urlLength, bodyLength = 0) => {
      const result = this.readResult(
        this.module._ld_policy_check_request(handle, ptr, methodLength, urlLength, bodyLength, bodyBytes !== null),
      );
      return {
        pattern: this.readText(result.extra, result.extraLength),
        error: bodyError ?? (result.failed ? this.resultError(result) : null),
      };
    });
  }

  /** Throws LeastDataError 'personal_data' unless `ids` holds only bare numeric IDs. */
  checkJobIds(ids) {
    this.checkAlive();
    const text = typeof ids === 'string' ? ids : JSON.stringify(ids ?? null);
    this.callForText([text], (ptr, length) => this.module._ld_check_job_ids(ptr, length));
  }

  /** Wipes the secrets held in wasm memory (the pseudonym key). */
  clearSecrets() {
    this.checkAlive();
    this.module._ld_clear_secrets();
  }

  dispose() {
    if (this.disposed) return;
    this.module._ld_clear_secrets();
    for (const policy of [...this.policies]) policy.dispose();
    // Nothing of this instance is used again: zero all of linear memory.
    this.module.HEAPU8.fill(0);
    this.disposed = true;
  }
}

// A stream without a length hint starts in a block this large.
const FIRST_STREAM_BLOCK = 64 * 1024;

// The byte stream of a fetch Response or a ReadableStream, and the length its headers
// promise. A Content-Length over the limit is refused before a byte is read (DESIGN §2.3);
// with a Content-Encoding it counts compressed bytes, so it is only a hint.
function streamOf(source, maxBytes) {
  if (typeof Response !== 'undefined' && source instanceof Response) {
    if (source.bodyUsed) throw new LeastDataError('invalid_argument', 'the response body was already read; pass a fresh Response (or response.clone())');
    const declared = Number(source.headers.get('content-length') ?? Number.NaN);
    const hint = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
    if (hint !== undefined && hint > maxBytes && !source.headers.has('content-encoding')) {
      source.body?.cancel().catch(() => {});
      throw sizeError(hint, maxBytes);
    }
    // A response without a body (204, HEAD) reads as empty input.
    return { body: source.body ?? new ReadableStream({ start: (controller) => controller.close() }), lengthHint: hint };
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    if (source.locked) throw new LeastDataError('invalid_argument', 'the stream is locked by another reader');
    return { body: source, lengthHint: undefined };
  }
  throw new LeastDataError('invalid_argument', 'a stream input is a fetch Response or a ReadableStream of bytes');
}

function sizeError(length, maxBytes) {
  return new LeastDataError(
    'size_limit',
    `input of at least ${length} bytes exceeds the policy's max_input_bytes (${maxBytes})`,
    maxBytes,
  );
}

export class CompiledPolicy {
  constructor(engine, handle) {
    this.engine = engine;
    this.handle = handle;
    this.maxInputBytes = engine.module._ld_policy_max_input_bytes(handle);
  }

  checkAlive() {
    this.engine.checkAlive();
    if (this.handle === null) throw new LeastDataError('disposed', 'this policy was disposed; compile it again');
  }

  /** The policy's `name`. */
  get name() {
    this.checkAlive();
    return this.engine.callForText([], () => this.engine.module._ld_policy_name(this.handle));
  }

  /** The effective selection, resources expanded, normalised. */
  get selection() {
    this.checkAlive();
    return this.engine.callForText([], () => this.engine.module._ld_policy_selection(this.handle));
  }

  /** True when the policy's `zaf` list allows this ZAF path (one with a NUL character, never). */
  allowsZafPath(path) {
    this.checkAlive();
    return this.allowedZafPaths([String(path)])[0];
  }

  /**
   * What the policy allows, as the core's canonical JSON text (JCS): name, read, write,
   * requests, zaf, redact, limits. What an app declares to the endpoint.
   */
  get declaration() {
    this.checkAlive();
    return this.engine.callForText([], () => this.engine.module._ld_policy_declaration(this.handle));
  }

  /**
   * Throws 'request_not_allowed' unless an entry of the policy's `requests` matches
   * `method` and `url` exactly, and, when `body` is given (JSON text or UTF-8 bytes),
   * 'write_not_allowed' unless the body lies entirely inside the policy's `write`
   * selection (or the filter's own code when it is not valid JSON). DESIGN §2.5.
   */
  checkRequest(method, url, body) {
    this.checkAlive();
    if (typeof method !== 'string' || typeof url !== 'string') {
      throw new LeastDataError('invalid_argument', 'checkRequest(method, url, body?): method and url must be strings');
    }
    const { error } = this.checkRequestPattern(method, url, body);
    if (error !== null) throw error;
  }

  /**
   * As checkRequest, without throwing: the pattern the request is recorded under in the
   * access report, and the refusal (null when allowed). Used by the ZAF adapter, which
   * records refused requests too.
   */
  checkRequestPattern(method, url, body) {
    this.checkAlive();
    return this.engine.checkRequest(this.handle, this.maxInputBytes, method, url, body);
  }

  /**
   * Which of `paths` the policy's zaf list allows, in one call into the core. A path with a
   * NUL character (a member name no Zendesk object has) is refused without asking: NUL
   * separates the paths on the way in.
   */
  allowedZafPaths(paths) {
    this.checkAlive();
    const asked = paths.filter((path) => !path.includes('\0'));
    if (asked.length === 0) return paths.map(() => false);
    const flags = this.engine.callForText([asked.join('\0')], (ptr, length) =>
      this.engine.module._ld_policy_allowed_zaf_paths(this.handle, ptr, length),
    );
    let next = 0;
    return paths.map((path) => !path.includes('\0') && flags[next++] === '1');
  }

  filter(input) {
    return this.run(input, { wipeInput: false }).output;
  }

  /**
   * As JSON.parse(filter(input)), with integers JSON.parse would round (beyond 2^53) as
   * strings of their exact digits; the output is parsed where it lies in wasm memory, in
   * pieces when large, and never becomes one string.
   */
  filterParsed(input, options = {}) {
    return this.run(input, { wipeInput: Boolean(options.wipeInput), parsed: true }).value;
  }

  filterWithLedger(input, options = {}) {
    const { output, ledger } = this.run(input, { wipeInput: Boolean(options.wipeInput) });
    return { output, ledger };
  }

  /**
   * As filterWithLedger, with the ledger also as the module's JSON text. A JS object
   * lists integer-like keys first, so only the text keeps kept_paths in first-seen order
   * for payloads keyed by numbers; the CLI writes this text.
   */
  filterWithLedgerText(input, options = {}) {
    return this.run(input, { wipeInput: Boolean(options.wipeInput) });
  }

  /**
   * As filter, for a fetch Response or a ReadableStream of bytes, read chunk by chunk into
   * wasm memory (Engine.withStreamedInput); each chunk is zeroed after its copy unless
   * `wipeInput` is false.
   */
  async filterStream(source, options = {}) {
    return (await this.runStreamed(source, options, false)).output;
  }

  /** As filterParsed, for a fetch Response or a ReadableStream of bytes (see filterStream). */
  async filterParsedStream(source, options = {}) {
    return (await this.runStreamed(source, options, true)).value;
  }

  // Every filter call records its ledger in the access report; `parsed` hands back the
  // output as a value instead of text.
  run(input, { wipeInput, parsed = false }) {
    this.checkAlive();
    const engine = this.engine;
    return engine.callWithInput(input, this.maxInputBytes, wipeInput, (ptr, length) => this.filterAt(ptr, length, parsed));
  }

  runStreamed(source, options, parsed) {
    this.checkAlive();
    const engine = this.engine;
    return engine.withStreamedInput(source, this.maxInputBytes, options.wipeInput ?? true, (ptr, length) => {
      this.checkAlive(); // dispose() may have come while the stream was read
      return engine.zeroingStack(() => this.filterAt(ptr, length, parsed));
    });
  }

  filterAt(ptr, length, parsed) {
    const engine = this.engine;
    const result = engine.readResult(engine.module._ld_policy_filter(this.handle, ptr, length, true, parsed ? PIECE_BYTES : NO_SPANS));
    if (result.failed) throw engine.resultError(result);
    const ledgerText = engine.readText(result.extra, result.extraLength);
    const ledger = JSON.parse(ledgerText);
    engine.report.addLedger(ledger);
    if (parsed) return { value: engine.readValue(result), ledger };
    return { output: engine.readText(result.text, result.textLength), ledger, ledgerText };
  }

  dispose() {
    if (this.handle === null) return;
    // A retired instance's memory is zeroed: the handle is gone with it.
    if (!this.engine.disposed) this.engine.module._ld_policy_delete(this.handle);
    this.handle = null;
    this.engine.policies.delete(this);
  }
}
