// The public API object returned by load() (DESIGN §4), independent of where the wasm
// bytes came from.
import { EndpointClient } from './endpoint.js';
import { Engine } from './engine.js';
import { Jobs } from './jobs.js';
import { createZafAdapter } from './zaf.js';

export class LeastData {
  /**
   * @param {any} module the instantiated Emscripten module
   * @param {(bytes: Uint8Array) => string} [decodeUtf8]
   */
  constructor(module, decodeUtf8) {
    this.engine = new Engine(module, decodeUtf8);
  }

  /** Compiles a policy document (object or JSON text); throws LeastDataError 'invalid_policy'. */
  compile(policy) {
    return this.engine.compile(policy);
  }

  /**
   * Wraps a ZAF client (ZAFClient.init()) so the app reads only what `policy` allows:
   * `get(paths)` checks the policy's `zaf` list before anything is sent, `request(options)`
   * filters every response through the policy. See docs/zaf.md.
   */
  zaf(client, policy) {
    return createZafAdapter(this.engine, client, policy);
  }

  /**
   * Finds personal data in text and rewrites it: { text, findings: [{ type, start, end }] },
   * offsets in UTF-16 code units of `text`. Throws LeastDataError.
   */
  redact(text, options) {
    return this.engine.redact(text, options);
  }

  /**
   * The Zendesk resources of DESIGN §2.2, from the core's table: `members` maps each
   * envelope member to its resource (`tickets` → `ticket`), `pagination` lists the members
   * of the pagination envelope.
   */
  get resources() {
    const { members, pagination } = this.engine.resources;
    return { members: { ...members }, pagination: [...pagination] };
  }

  /** The redaction detectors' names, from the core's table (what `detect` may name). */
  get detectors() {
    return [...this.engine.detectors];
  }

  /** Sets the pseudonym key (≥ 16 bytes), held only in wasm memory; zeroes the caller's bytes. */
  setPseudonymKey(key, options) {
    this.engine.setPseudonymKey(key, options);
  }

  /** Wipes the secrets held in wasm memory (the pseudonym key). */
  clear() {
    this.engine.clearSecrets();
  }

  /** Verifies a deletion certificate against the endpoint's keys, in wasm; returns its summary. */
  verifyCertificate(certificate, keys) {
    return this.engine.verifyCertificate(certificate, keys);
  }

  /** A client of the leastdata endpoint (docs/js-api.md, "The endpoint, and signing in with Zendesk"). */
  endpoint(options) {
    this.engine.checkAlive();
    return new EndpointClient(this.engine, options);
  }

  /**
   * Multi-stage jobs of one kind, kept at the endpoint as bare IDs: create, collect, run in
   * batches, pause, stop, resume (docs/jobs.md).
   */
  jobs(options) {
    this.engine.checkAlive();
    return new Jobs(this.engine, options);
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
    return { ...this.engine.limits };
  }

  /** Frees every policy and zeroes the module's memory; the instance is unusable after. */
  dispose() {
    this.engine.dispose();
  }
}
