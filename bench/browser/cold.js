// One cold-start sample in a fresh browser context (bench/cold-sample.js says what is timed):
// the package, or with ?module=floor the empty module of bench/cold-start-floor.cpp, built
// with the same glue flags and loaded the same way. The module graph (this file, the entry
// point, the glue) is loaded before the clock starts; its time since navigation start is
// reported beside it.
import { coldSample, floorSample } from '../cold-sample.js';

const params = new URLSearchParams(location.search);
const floor = params.get('module') === 'floor';
const workload = params.get('workload') ?? 'tickets-policy';
const { load } = floor ? {} : await import('/dist/browser.js');
const { default: createFloor } = floor ? await import('/build/wasm/cold-start-floor.mjs') : {};
const moduleReady = performance.now();
let bytes;
if (!floor) {
  const response = await fetch(`/payload/${workload}/10KB`);
  if (!response.ok) throw new Error(`payload ${workload} 10KB: HTTP ${response.status}`);
  bytes = new Uint8Array(await response.arrayBuffer());
}

// Minor page faults of every Chromium process, counted by the bench server (chromium.js).
const faults = async () => (await (await fetch('/bench-faults')).json()).minor_faults;

const faultsBefore = await faults();
// Both instantiate through instantiateStreaming (or instantiate for bytes).
const instantiators = ['instantiateStreaming', 'instantiate'];
const sample = floor ? await floorSample(createFloor, instantiators) : await coldSample(load, workload, bytes, instantiators);
const faultsAfter = await faults();
window.coldStart = { ...sample, minor_faults: faultsBefore === null ? null : faultsAfter - faultsBefore, module_graph_ms: moduleReady };
