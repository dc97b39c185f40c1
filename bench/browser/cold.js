// One cold-start sample in a fresh browser context: the time from calling load() to the
// first filter result (compile a policy, filter a 10 KB ticket list from bytes), split into
// load() — of which WebAssembly compile + instantiate, and runtime init (from instantiation
// to load() resolving: static constructors, embind registration) — and the first compile +
// filter.
// The module graph (this file, dist/browser.js, the glue) is loaded before the clock starts;
// its time since navigation start is reported beside it.
import { load } from '/dist/browser.js';

import { WORKLOADS } from '../workloads.js';

const moduleReady = performance.now();
const workload = new URLSearchParams(location.search).get('workload') ?? 'tickets-policy';
const response = await fetch(`/payload/${workload}/10KB`);
if (!response.ok) throw new Error(`payload ${workload} 10KB: HTTP ${response.status}`);
const bytes = new Uint8Array(await response.arrayBuffer());

// load() instantiates through instantiateStreaming (or instantiate for bytes): time it.
let instantiateMs = 0;
let instantiated = 0;
let instantiateCalled = 0;
for (const name of ['instantiateStreaming', 'instantiate']) {
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

window.coldStart = {
  total_ms: end - start,
  load_ms: loaded - start,
  before_instantiate_ms: instantiateCalled - start,
  instantiate_ms: instantiateMs,
  runtime_init_ms: loaded - instantiated,
  first_filter_ms: end - loaded,
  of_which_compile_ms: compiled - loaded,
  module_graph_ms: moduleReady,
  output_chars: output.length,
};
