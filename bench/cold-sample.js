// One cold-start sample, the same in Node (bench/cold-start-child.js) and in Chromium
// (bench/browser/cold.js): the time from calling load() to the first filter result (compile
// a policy, filter a 10 KB ticket list from bytes), split into load() — of which WebAssembly
// compile + instantiate, and runtime init (from instantiation to load() resolving: static
// constructors, the engine reading the core's tables) — and the first compile + filter.
import { WORKLOADS } from './workloads.js';

/**
 * @param {() => Promise<object>} load the package's load()
 * @param {string} workload a WORKLOADS name
 * @param {Uint8Array} bytes the payload
 * @param {string[]} instantiators the WebAssembly functions load() may instantiate through
 */
export async function coldSample(load, workload, bytes, instantiators) {
  const instantiation = timeInstantiation(instantiators);
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
    ...instantiation.split(start, loaded),
    first_filter_ms: end - loaded,
    of_which_compile_ms: compiled - loaded,
    output_chars: output.length,
  };
}

/**
 * The same sample for the floor (bench/cold-start-floor.cpp): the time from creating the
 * empty module to the result of its one function, split the same way.
 * @param {() => Promise<any>} createFloor the floor's Emscripten factory
 */
export async function floorSample(createFloor, instantiators) {
  const instantiation = timeInstantiation(instantiators);
  const start = performance.now();
  const module = await createFloor();
  const loaded = performance.now();
  const answer = module._cold_start_floor_answer(41);
  const end = performance.now();
  if (answer !== 42) throw new Error(`the floor module answered ${answer}`);
  return { total_ms: end - start, load_ms: loaded - start, ...instantiation.split(start, loaded), first_filter_ms: end - loaded };
}

// Wraps the WebAssembly functions a load may instantiate through, to time them; `split`
// then divides a load from `start` to `loaded` into before, during and after instantiation.
function timeInstantiation(instantiators) {
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
  return {
    split: (start, loaded) => ({
      before_instantiate_ms: instantiateCalled - start,
      instantiate_ms: instantiateMs,
      runtime_init_ms: loaded - instantiated,
    }),
  };
}
