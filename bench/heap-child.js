// JS heap growth per filter call in Node, run by bench/heap.js in a fresh process started
// with --expose-gc. For each contender, after two warm-up calls, each sample is: gc(), read
// process.memoryUsage(); call and keep the output; read again (growth: garbage not yet
// collected plus the returned string); gc() (retained: the returned string); drop the
// output, gc() (left behind). Figures are V8 heap plus external memory (wasm linear memory
// and Buffers live outside the V8 heap); the two parts of the growth are reported too.
// Prints JSON.
//   node --expose-gc bench/heap-child.js WORKLOAD SIZE_BYTES SAMPLES
import { createRequire } from 'node:module';

import { load } from '../dist/node.js';
import { makeContenders, withOutputInJs } from './contenders.js';
import { median } from './timing.js';
import { WORKLOADS } from './workloads.js';

if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const [workload, sizeBytes, samplesText] = process.argv.slice(2);
const samples = Number(samplesText);
const jsonMask = createRequire(import.meta.url)('json-mask');

const text = WORKLOADS[workload].generate(Number(sizeBytes));
const bytes = Buffer.from(text);
const ld = await load();
const contenders = withOutputInJs(makeContenders(WORKLOADS[workload], { ld, jsonMask, bytes, text }));

const result = {};
for (const [id, run] of Object.entries(contenders)) {
  run();
  run();
  const d = { heap: [], offHeap: [], growth: [], retained: [], left: [] };
  let outputChars = 0;
  for (let i = 0; i < samples; i++) {
    gc();
    const m0 = process.memoryUsage();
    let output = run();
    const m1 = process.memoryUsage();
    gc();
    const m2 = process.memoryUsage();
    outputChars = output.length;
    output = null;
    gc();
    const m3 = process.memoryUsage();
    // `external` includes `arrayBuffers` (wasm linear memory, Buffers).
    const total = (m) => m.heapUsed + m.external - m0.heapUsed - m0.external;
    d.heap.push(m1.heapUsed - m0.heapUsed);
    d.offHeap.push(m1.external - m0.external);
    d.growth.push(total(m1));
    d.retained.push(total(m2));
    d.left.push(total(m3));
  }
  result[id] = {
    growth_bytes: median(d.growth),
    retained_with_output_bytes: median(d.retained),
    left_after_drop_bytes: median(d.left),
    v8_heap_growth_bytes: median(d.heap),
    off_heap_growth_bytes: median(d.offHeap),
    output_chars: outputChars,
    samples,
  };
}
process.stdout.write(JSON.stringify({ bytes: bytes.length, wasm_memory_bytes: ld.wasmMemory.buffer.byteLength, contenders: result }));
