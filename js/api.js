// The public API object returned by load() (DESIGN §4), independent of where the wasm
// bytes came from.
import { Engine } from './engine.js';

export class LeastData {
  /** @param {any} module the instantiated Emscripten module */
  constructor(module) {
    this.engine = new Engine(module);
  }

  /** Compiles a policy document (object or JSON text); throws LeastDataError 'invalid_policy'. */
  compile(policy) {
    return this.engine.compile(policy);
  }

  /** What this session accessed: aggregated ledgers, by path and resource; never values. */
  accessReport() {
    return this.engine.report.toJSON();
  }

  /** The module's WebAssembly.Memory, for audits and tests. */
  get wasmMemory() {
    return this.engine.memory;
  }

  /** Limits the core enforces whatever a policy says. */
  get limits() {
    const m = this.engine.module;
    return { maxDepthCeiling: m.maxDepthCeiling(), maxInputBytesCeiling: m.maxInputBytesCeiling() };
  }

  /** Frees every policy and zeroes the module's memory; the instance is unusable after. */
  dispose() {
    this.engine.dispose();
  }
}
