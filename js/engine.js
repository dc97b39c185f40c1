// The JavaScript face of the wasm core, shared by the Node and browser entry points.
//
// Data crosses the boundary once per call, as bytes: strings are encoded straight into
// linear memory with TextEncoder.encodeInto, the output is decoded once, and every
// buffer that held payload bytes — the input copy, the output, the part of the shadow
// stack the call used — is zeroed before the call returns (DESIGN §3).
import { AccessReport } from './access-report.js';
import { LeastDataError, errorFromJson } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// Frames below the deepest one the core marked (leaf calls) are zeroed too.
const STACK_SAFETY_MARGIN = 16 * 1024;

function asBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return null;
}

export class Engine {
  /** @param {any} module the instantiated Emscripten module */
  constructor(module) {
    this.module = module;
    this.report = new AccessReport();
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

  // Runs `call` and zeroes the stack it used, whatever happens.
  guarded(call) {
    const m = this.module;
    m.stackReset();
    try {
      return call();
    } finally {
      const top = m.stackCurrent();
      const bottom = Math.max(m.stackEnd(), m.stackLowest() - STACK_SAFETY_MARGIN);
      if (top > bottom) m.HEAPU8.fill(0, bottom, top);
    }
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
    if (bytes.length > maxBytes) throw sizeError(bytes.length, maxBytes);
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
    return decoder.decode(this.module.HEAPU8.subarray(ptr, ptr + length));
  }

  dispose() {
    if (this.disposed) return;
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

  filter(input) {
    return this.run(input, false, false).output;
  }

  filterWithLedger(input, options = {}) {
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
        const ledger = JSON.parse(engine.readText(m.ledgerPtr(), m.ledgerLength()));
        engine.report.addLedger(ledger);
        return wantLedger ? { output, ledger } : { output };
      } finally {
        m.release();
      }
    });
  }

  dispose() {
    if (this.handle === null) return;
    this.handle.delete();
    this.handle = null;
    this.engine.policies.delete(this);
  }
}
