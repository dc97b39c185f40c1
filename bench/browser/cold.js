// One cold-start sample in a fresh browser context (bench/cold-sample.js says what is timed).
// The module graph (this file, dist/browser.js, the glue) is loaded before the clock starts;
// its time since navigation start is reported beside it.
import { load } from '/dist/browser.js';

import { coldSample } from '../cold-sample.js';

const moduleReady = performance.now();
const workload = new URLSearchParams(location.search).get('workload') ?? 'tickets-policy';
const response = await fetch(`/payload/${workload}/10KB`);
if (!response.ok) throw new Error(`payload ${workload} 10KB: HTTP ${response.status}`);
const bytes = new Uint8Array(await response.arrayBuffer());

// Minor page faults of every Chromium process, counted by the bench server (chromium.js).
const faults = async () => (await (await fetch('/bench-faults')).json()).minor_faults;

const faultsBefore = await faults();
// load() instantiates through instantiateStreaming (or instantiate for bytes).
const sample = await coldSample(load, workload, bytes, ['instantiateStreaming', 'instantiate']);
const faultsAfter = await faults();
window.coldStart = { ...sample, minor_faults: faultsBefore === null ? null : faultsAfter - faultsBefore, module_graph_ms: moduleReady };
