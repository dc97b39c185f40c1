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
import { HeapSamples } from './heap-samples.js';
import { WORKLOADS } from './workloads.js';

if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const [workload, sizeBytes, samplesText] = process.argv.slice(2);
const samples = Number(samplesText);
const jsonMask = createRequire(import.meta.url)('json-mask');

const text = WORKLOADS[workload].generate(Number(sizeBytes));
const bytes = Buffer.from(text);
const ld = await load();
const contenders = withOutputInJs(makeContenders(WORKLOADS[workload], { ld, jsonMask, bytes, text }));

// `external` includes `arrayBuffers` (wasm linear memory, Buffers).
const usage = () => {
  const m = process.memoryUsage();
  return { heap: m.heapUsed, offHeap: m.external };
};

const result = {};
for (const [id, run] of Object.entries(contenders)) {
  run();
  run();
  const d = new HeapSamples();
  let outputChars = 0;
  for (let i = 0; i < samples; i++) {
    gc();
    const m0 = usage();
    let output = run();
    const m1 = usage();
    gc();
    const m2 = usage();
    outputChars = output.length;
    output = null;
    gc();
    d.add(m0, m1, m2, usage());
  }
  result[id] = d.summary(outputChars);
}
process.stdout.write(JSON.stringify({ bytes: bytes.length, wasm_memory_bytes: ld.wasmMemory.buffer.byteLength, contenders: result }));
