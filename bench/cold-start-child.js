// One Node cold-start sample, run in a fresh process by bench/cold-start.js: the time from
// calling load() to the first filter result (compile a policy, filter a 10 KB ticket list
// from bytes), split into load() — of which WebAssembly compile + instantiate, and runtime
// init (from instantiation to load() resolving: static constructors, embind registration)
// — and the first compile + filter; the import of the package is timed apart. Prints JSON.
//   node bench/cold-start-child.js INPUT_FILE WORKLOAD
import { readFileSync } from 'node:fs';

const importStart = performance.now();
const { load } = await import('../dist/node.js');
const imported = performance.now();
const { WORKLOADS } = await import('./workloads.js');

const [inputPath, workload] = process.argv.slice(2);
const bytes = readFileSync(inputPath);

let instantiateMs = 0;
let instantiated = 0;
let instantiateCalled = 0;
const original = WebAssembly.instantiate;
WebAssembly.instantiate = async (...args) => {
  const start = performance.now();
  instantiateCalled ||= start;
  try {
    return await original.apply(WebAssembly, args);
  } finally {
    instantiated = performance.now();
    instantiateMs += instantiated - start;
  }
};

const start = performance.now();
const ld = await load();
const loaded = performance.now();
const policy = ld.compile(WORKLOADS[workload].policy);
const compiled = performance.now();
const output = policy.filter(bytes);
const end = performance.now();

process.stdout.write(JSON.stringify({
  total_ms: end - start,
  load_ms: loaded - start,
  before_instantiate_ms: instantiateCalled - start,
  instantiate_ms: instantiateMs,
  runtime_init_ms: loaded - instantiated,
  first_filter_ms: end - loaded,
  of_which_compile_ms: compiled - loaded,
  import_ms: imported - importStart,
  process_start_to_import_ms: importStart,
  output_chars: output.length,
}));
