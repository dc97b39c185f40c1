// One cold-start sample, the same in Node (bench/cold-start-child.js) and in Chromium
// (bench/browser/cold.js): the time from calling load() to the first filter result (compile
// a policy, filter a 10 KB ticket list from bytes), split into load() — of which WebAssembly
// compile + instantiate, and runtime init (from instantiation to load() resolving: static
// constructors, embind registration) — and the first compile + filter.
import { WORKLOADS } from './workloads.js';

/**
 * @param {() => Promise<object>} load the package's load()
 * @param {string} workload a WORKLOADS name
 * @param {Uint8Array} bytes the payload
 * @param {string[]} instantiators the WebAssembly functions load() may instantiate through
 */
export async function coldSample(load, workload, bytes, instantiators) {
  let instantiateMs = 0;
  let instantiated = 0;
  let instantiateCalled = 0;
  for (const name of instantiators) {
    const original = WebAssembly[name];
    WebAssembly[name] = async (...args) => {
      const start = performance.now();
      instantiateCalled ||= start;
      try {
        return await original.apply(WebAssembly, args);
      } finally {
        instantiated = performance.now();
        instantiateMs += instantiated - start;
      }
    };
  }

  const start = performance.now();
  const ld = await load();
  const loaded = performance.now();
  const policy = ld.compile(WORKLOADS[workload].policy);
  const compiled = performance.now();
  const output = policy.filter(bytes);
  const end = performance.now();
  return {
    total_ms: end - start,
    load_ms: loaded - start,
    before_instantiate_ms: instantiateCalled - start,
    instantiate_ms: instantiateMs,
    runtime_init_ms: loaded - instantiated,
    first_filter_ms: end - loaded,
    of_which_compile_ms: compiled - loaded,
    output_chars: output.length,
  };
}
