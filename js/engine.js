// The JavaScript face of the wasm core, shared by the Node and browser entry points.
//
// Data crosses the boundary once per call, as bytes: strings are encoded straight into
// linear memory with TextEncoder.encodeInto, the output is decoded once, and every
// buffer that held payload bytes — the input copy, the output, the part of the shadow
// stack the call used — is zeroed before the call returns (DESIGN §3).
import { AccessReport } from './access-report.js';
import { LeastDataError, errorFromJson } from './errors.js';

const encoder = new TextEncoder();
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
    this.report = new AccessReport(JSON.parse(module.resourceMembers()));
    this.policies = new Set();
    this.disposed = false;
  }

  get memory() {
    // Optimised glue minifies export names; the memory is the one Memory export.
    this.wasmMemory ??= Object.values(this.module.asm).find((value) => value instanceof WebAssembly.Memory);
    return this.wasmMemory;
  }

  checkAlive() {
    if (this.disposed) throw new LeastDataError('disposed', 'this leastdata instance was disposed; call load() again');
  }

  // Runs `call` and zeroes the stack it used, whatever happens. A trap (a bug in the
  // core: the instance's heap can no longer be trusted, and its buffers were not wiped)
  // wipes all of linear memory, retires the instance and becomes 'internal_error'.
  guarded(call) {
    const m = this.module;
    m.stackReset();
    try {
      return call();
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw this.retireAfterTrap(error);
      throw error;
    } finally {
      if (!this.disposed) {
        const top = m.stackCurrent();
        const bottom = Math.max(m.stackEnd(), m.stackLowest() - STACK_SAFETY_MARGIN);
        if (top > bottom) m.HEAPU8.fill(0, bottom, top);
      }
    }
  }

  retireAfterTrap(trap) {
    this.module.HEAPU8.fill(0);
    this.disposed = true;
    return new LeastDataError(
      'internal_error',
      `the leastdata core stopped with "${trap.message}"; its memory was wiped and this instance retired: call load() again, and please report the input that caused it`,
    );
  }

  lastError() {
    return errorFromJson(this.module.lastError());
  }

  compile(policy) {
    this.checkAlive();
    let text;
    if (typeof policy === 'string') text = policy;
    else if (policy !== null && typeof policy === 'object') text = JSON.stringify(policy);
    else throw new LeastDataError('invalid_policy', 'a policy is a JSON object or its JSON text');
    const handle = this.guarded(() => this.module.compilePolicy(text));
    if (handle === null) throw this.lastError();
    const compiled = new CompiledPolicy(this, handle);
    this.policies.add(compiled);
    return compiled;
  }

  // Copies the input into wasm memory, runs `call(ptr, length)`, wipes the copy.
  withInput(input, maxBytes, wipeInput, call) {
    const m = this.module;
    if (typeof input === 'string') {
      // Each UTF-16 unit encodes to at least one byte: a string longer than the limit is
      // over it before anything is copied (DESIGN §2.3: size_limit before reading).
      if (input.length > maxBytes) throw sizeError(input.length, maxBytes);
      const capacity = input.length * 3;
      const ptr = m.alloc(capacity);
      try {
        const { written } = encoder.encodeInto(input, m.HEAPU8.subarray(ptr, ptr + capacity));
        return call(ptr, written);
      } finally {
        m.free(ptr, capacity);
      }
    }
    const bytes = asBytes(input);
    if (bytes === null) {
      throw new LeastDataError('invalid_argument', 'input must be a string, Uint8Array or ArrayBuffer');
    }
    if (bytes.length > maxBytes) {
      if (wipeInput) bytes.fill(0); // the caller asked for its bytes gone whatever happens
      throw sizeError(bytes.length, maxBytes);
    }
    const ptr = m.alloc(bytes.length);
    try {
      m.HEAPU8.set(bytes, ptr);
      if (wipeInput) bytes.fill(0);
      return call(ptr, bytes.length);
    } finally {
      m.free(ptr, bytes.length);
    }
  }

  // Decodes `length` bytes at `ptr` (the output slot) into a string.
  readText(ptr, length) {
    return this.decodeUtf8(this.module.HEAPU8.subarray(ptr, ptr + length));
  }

  /**
   * Finds and rewrites personal data in text (DESIGN §5).
   * @param {string} text
   * @param {{ detect?: 'all' | string | string[], action?: 'remove' | 'label' | 'mask' | 'pseudonym' }} options
   */
  redact(text, options = {}) {
    this.checkAlive();
    if (typeof text !== 'string') throw new LeastDataError('invalid_argument', 'redact takes a string');
    const m = this.module;
    const detect = Array.isArray(options.detect) ? options.detect.join(',') : (options.detect ?? 'all');
    const action = options.action ?? 'mask';
    return this.guarded(() => {
      try {
        const mask = m.detectorMask(String(detect));
        if (mask < 0) throw this.lastError();
        const limit = m.maxInputBytesCeiling();
        const ok = this.withInput(text, limit, false, (ptr, length) => m.redact(ptr, length, mask, String(action)));
        if (!ok) throw this.lastError();
        return {
          text: this.readText(m.outputPtr(), m.outputLength()),
          findings: JSON.parse(this.readText(m.ledgerPtr(), m.ledgerLength())),
        };
      } finally {
        m.release();
      }
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
    const m = this.module;
    const wipe = options.wipeInput ?? true;
    const ok = this.guarded(() => this.withInput(bytes, Number.MAX_SAFE_INTEGER, wipe, (ptr, length) => m.setPseudonymKey(ptr, length)));
    if (!ok) throw this.lastError();
  }

  /**
   * Verifies a deletion certificate (Ed25519 over its JCS form) against a key set;
   * returns its summary, or throws LeastDataError 'invalid_certificate'.
   */
  verifyCertificate(certificate, keys) {
    this.checkAlive();
    const text = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
    const summary = this.guarded(() => this.module.verifyCertificate(text(certificate), text(keys)));
    if (summary === '') throw this.lastError();
    return JSON.parse(summary);
  }

  /** The pattern a request is recorded under: method, path with IDs as {id}, parameter names; no value. */
  requestPattern(method, url) {
    this.checkAlive();
    return this.guarded(() =>
      this.withInput(String(url), Number.MAX_SAFE_INTEGER, false, (ptr, length) =>
        this.module.requestPattern(String(method), ptr, length),
      ),
    );
  }

  /** Throws LeastDataError 'personal_data' unless `ids` holds only bare numeric IDs. */
  checkJobIds(ids) {
    this.checkAlive();
    const text = typeof ids === 'string' ? ids : JSON.stringify(ids ?? null);
    if (!this.guarded(() => this.module.checkJobIds(text))) throw this.lastError();
  }

  /** Wipes the secrets held in wasm memory (the pseudonym key). */
  clearSecrets() {
    this.checkAlive();
    this.module.clearSecrets();
  }

  dispose() {
    if (this.disposed) return;
    this.module.clearSecrets();
    for (const policy of [...this.policies]) policy.dispose();
    // Nothing of this instance is used again: zero all of linear memory.
    this.module.HEAPU8.fill(0);
    this.disposed = true;
  }
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
    this.maxInputBytes = handle.maxInputBytes();
  }

  checkAlive() {
    this.engine.checkAlive();
    if (this.handle === null) throw new LeastDataError('disposed', 'this policy was disposed; compile it again');
  }

  /** The policy's `name`. */
  get name() {
    this.checkAlive();
    return this.handle.name();
  }

  /** The effective selection, resources expanded, normalised. */
  get selection() {
    this.checkAlive();
    return this.handle.normalizedSelection();
  }

  /** True when the policy's `zaf` list allows this ZAF path. */
  allowsZafPath(path) {
    this.checkAlive();
    return this.handle.allowsZafPath(String(path));
  }

  /**
   * What the policy allows, as the core's canonical JSON text (JCS): name, read, write,
   * requests, zaf, redact, limits. What an app declares to the endpoint.
   */
  get declaration() {
    this.checkAlive();
    return this.handle.declaration();
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
    const engine = this.engine;
    const ok = engine.guarded(() =>
      engine.withInput(url, Number.MAX_SAFE_INTEGER, false, (urlPtr, urlLength) =>
        body === undefined || body === null
          ? this.handle.checkRequest(method, urlPtr, urlLength, 0, 0, false)
          : engine.withInput(body, this.maxInputBytes, false, (bodyPtr, bodyLength) =>
              this.handle.checkRequest(method, urlPtr, urlLength, bodyPtr, bodyLength, true),
            ),
      ),
    );
    if (!ok) throw engine.lastError();
  }

  filter(input) {
    return this.run(input, false, false).output;
  }

  filterWithLedger(input, options = {}) {
    const { output, ledger } = this.run(input, true, Boolean(options.wipeInput));
    return { output, ledger };
  }

  /**
   * As filterWithLedger, with the ledger also as the module's JSON text. A JS object
   * lists integer-like keys first, so only the text keeps kept_paths in first-seen order
   * for payloads keyed by numbers; the CLI writes this text.
   */
  filterWithLedgerText(input, options = {}) {
    return this.run(input, true, Boolean(options.wipeInput));
  }

  run(input, wantLedger, wipeInput) {
    this.checkAlive();
    const engine = this.engine;
    const m = engine.module;
    return engine.guarded(() => {
      try {
        const ok = engine.withInput(input, this.maxInputBytes, wipeInput, (ptr, length) =>
          this.handle.filter(ptr, length, true),
        );
        if (!ok) throw engine.lastError();
        const output = engine.readText(m.outputPtr(), m.outputLength());
        const ledgerText = engine.readText(m.ledgerPtr(), m.ledgerLength());
        const ledger = JSON.parse(ledgerText);
        engine.report.addLedger(ledger);
        return wantLedger ? { output, ledger, ledgerText } : { output };
      } finally {
        m.release();
      }
    });
  }

  dispose() {
    if (this.handle === null) return;
    // A retired instance's memory is zeroed: the handle is gone with it.
    if (!this.engine.disposed) this.handle.delete();
    this.handle = null;
    this.engine.policies.delete(this);
  }
}
