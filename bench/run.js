// `npm run bench`: runs the benchmarks of issue 7, writes results/<name>.json (each with
// the machine details), and regenerates RESULTS.md and charts/*.svg. See bench/README.md.
//
//   node bench/run.js [--quick] [--sizes 10KB,1MB] [--only filter,object,heap,sizes,cold-start,redact,endpoint,jobs]
//                     [--no-chromium] [--backends sqlite,postgresql] [--out DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { SIZES } from './workloads.js';

// Timing and heap figures need gc(): run again with --expose-gc when it is missing.
if (typeof globalThis.gc !== 'function') {
  const again = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ALL = ['filter', 'object', 'heap', 'sizes', 'cold-start', 'redact', 'endpoint', 'jobs'];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string', default: Object.keys(SIZES).join(',') },
    only: { type: 'string', default: ALL.join(',') },
    'no-chromium': { type: 'boolean', default: false },
    backends: { type: 'string', default: 'sqlite,postgresql' },
    out: { type: 'string', default: BENCH },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(`usage: node bench/run.js [--quick] [--sizes ${Object.keys(SIZES).join(',')}] [--only ${ALL.join(',')}] [--no-chromium] [--backends sqlite,postgresql] [--out DIR]
  --quick        short timings and few samples (checks the harness; figures are rough)
  --sizes        payload sizes of the filter benchmarks (the largest is used for heap growth)
  --only         which benchmarks to run; the report keeps the results of the others
  --no-chromium  Node only (and no jobs: the job runs in Chromium)
  --backends     endpoint storage backends (default sqlite,postgresql)
  --out DIR      write DIR/results/*.json, DIR/RESULTS.md, DIR/charts/ (default: bench/)`);
  process.exit(0);
}

const only = args.only.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only.filter((name) => !ALL.includes(name));
if (unknown.length) throw new Error(`--only: unknown benchmark ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
const backends = args.backends.split(',').map((s) => s.trim()).filter(Boolean);
for (const b of backends) if (!['sqlite', 'postgresql'].includes(b)) throw new Error(`--backends: unknown backend ${b}`);
const sizes = args.sizes.split(',').map((label) => {
  if (!(label in SIZES)) throw new Error(`--sizes: unknown size ${label} (known: ${Object.keys(SIZES).join(', ')})`);
  return { label, bytes: SIZES[label] };
}).sort((a, b) => a.bytes - b.bytes);

for (const file of ['dist/node.js', 'dist/browser.js', 'dist/leastdata.wasm', 'build/native/leastdata_native', 'build/native-clang/leastdata_native', 'build/wasm/cold-start-floor.wasm']) {
  if (!existsSync(new URL(`../${file}`, import.meta.url))) throw new Error(`${file} is missing: run bash scripts/build all`);
}

// Per mode: how long each figure is measured. Full: medians over ≥ 1 s of rounds per
// contender and ≥ 10 samples; quick: enough to exercise every code path.
const settings = args.quick
  ? {
    timing: { minTimeMs: 60, minRounds: 2, batchMs: 20, warmupCalls: 1, warmupMs: 0 },
    native: { processes: 1, targetMs: 30, pairedRounds: 1 },
    heapSamples: 2,
    coldSamples: 2,
    redact: { bytes: 50_000, judgeSentences: 200 },
    endpoint: { wrk: { threads: 2, connections: 50, seconds: 2 }, rate: { rate: 1000, durationMs: 2000, warmupMs: 500 } },
    jobs: { sizes: [500] },
  }
  : {
    timing: { minTimeMs: 1000, minRounds: 5, batchMs: 50, warmupCalls: 3, warmupMs: 200 },
    // pairedRounds: the wasm core against the native builds in alternation (filter-throughput.js).
    native: { processes: 3, targetMs: 300, pairedRounds: 9 },
    heapSamples: 10,
    coldSamples: 11,
    redact: { bytes: 1_000_000, judgeSentences: 2000 },
    endpoint: { wrk: { threads: 2, connections: 50, seconds: 10 }, rate: { rate: 1000, durationMs: 10_000, warmupMs: 1000 } },
    // The job's memory must not grow with its size: the same figures at 10,000 and 100,000 tickets.
    jobs: { sizes: [10_000, 100_000] },
  };

const started = performance.now();
const log = (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const { machineDetails, loadNow } = await import('./machine.js');
const { filterNode } = await import('./filter-throughput.js');
const { objectNode } = await import('./object-out.js');
const { heapNode } = await import('./heap.js');
const { packageSize } = await import('./package-size.js');
const { coldStartNode, COLD_START_WORKLOAD } = await import('./cold-start.js');
const { redactBench } = await import('./redact-throughput.js');
const { endpointBench } = await import('./endpoint.js');
const { jobsBench } = await import('./jobs.js');
const { startBenchServer, launchBenchChromium, filterChromium, objectChromium, heapChromium, coldStartChromium } = await import('./chromium.js');
const { writeReport } = await import('./report.js');
const { OBJECT_WORKLOAD, TARGET_WORKLOAD, WORKLOADS } = await import('./workloads.js');

const resultsDir = join(args.out, 'results');
mkdirSync(resultsDir, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'leastdata-bench-'));
const machine = machineDetails();
log(`${machine.cpu}, ${machine.cores} cores, load ${machine.load_average_at_start.join(' ')}; node ${machine.node}; ${machine.git_commit}`);

const heapSize = sizes[sizes.length - 1];
const useChromium = !args['no-chromium'] && only.some((name) => ['filter', 'object', 'heap', 'cold-start'].includes(name));
let browser;
let server;
if (useChromium) {
  // Every size is served (generated on first request): cold start always uses 10 KB.
  server = await startBenchServer(Object.entries(SIZES).map(([label, bytes]) => ({ label, bytes })));
  browser = await launchBenchChromium();
  machine.chromium = `Chromium ${browser.version()} (headless, playwright-core)`;
}

async function record(name, options, run) {
  const start = performance.now();
  const runMachine = { ...machine, date: new Date().toISOString(), load_average_at_start: loadNow() };
  const results = await run();
  const file = {
    benchmark: name,
    machine: runMachine,
    options,
    duration_s: (performance.now() - start) / 1000,
    load_average_at_end: loadNow(),
    results,
  };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(file, null, 2)}\n`);
  log(`wrote ${join(resultsDir, `${name}.json`)}`);
}

const workloads = Object.keys(WORKLOADS);
try {
  if (only.includes('filter')) {
    const options = { sizes, workloads, timing: settings.timing, native: settings.native };
    await record('filter-node', options, () => filterNode({ sizes, workloads, timing: settings.timing, native: settings.native, dir, log }));
    if (useChromium) {
      await record('filter-chromium', options, () =>
        filterChromium({ browser, origin: server.origin, sizes, workloads, timing: settings.timing, log }));
    }
  }
  if (only.includes('object')) {
    const options = { sizes, workload: OBJECT_WORKLOAD, timing: settings.timing };
    await record('object-node', options, () => objectNode({ sizes, timing: settings.timing, log }));
    if (useChromium) {
      await record('object-chromium', options, () => objectChromium({ browser, origin: server.origin, sizes, timing: settings.timing, log }));
    }
  }
  if (only.includes('heap')) {
    await record('heap', { size: heapSize, samples: settings.heapSamples }, async () => {
      const options = { workload: TARGET_WORKLOAD, size: heapSize, samples: settings.heapSamples, log };
      const node = heapNode(options);
      const chromium = useChromium ? await heapChromium({ browser, origin: server.origin, ...options }) : undefined;
      return { workload: TARGET_WORKLOAD, size: heapSize.label, bytes: node.bytes, samples: settings.heapSamples, node, chromium };
    });
  }
  if (only.includes('sizes')) {
    await record('package-size', {}, () => packageSize({ log }));
  }
  if (only.includes('cold-start')) {
    await record('cold-start', { samples: settings.coldSamples }, async () => ({
      workload: COLD_START_WORKLOAD,
      node: coldStartNode({ samples: settings.coldSamples, dir, log }),
      chromium: useChromium ? await coldStartChromium({ browser, origin: server.origin, samples: settings.coldSamples, log }) : undefined,
    }));
  }
  if (only.includes('redact')) {
    await record('redact', settings.redact, () => redactBench({ ...settings.redact, timing: settings.timing, log }));
  }
  if (only.includes('endpoint')) {
    await record('endpoint', { backends, ...settings.endpoint }, () => endpointBench({ backends, ...settings.endpoint, log }));
  }
  if (only.includes('jobs') && !args['no-chromium']) {
    await record('jobs', settings.jobs, () => jobsBench({ ...settings.jobs, log }));
  }
} finally {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
}

const { report, charts } = writeReport(args.out);
log(`wrote ${report} and ${charts.length} charts in ${join(args.out, 'charts')}`);
