// The filter, object-out and heap benchmarks inside Chromium: the same workloads, contenders, output
// check and timing as in Node (bench/filter-throughput.js), on payloads fetched as bytes
// from the bench server. bench/chromium.js calls window.bench through page.evaluate.
import { load } from '/dist/browser.js';
import { PIECE_BYTES, parseOutput } from '/dist/parse-output.js';
import jsonMask from '/bench-assets/json-mask.js';

import {
  checkSameObjects, checkSameOutput, checkSameResponseObjects, makeContenders, makeObjectBreakdown, makeObjectContenders, makeResponseContenders, withOutputInJs,
} from '../contenders.js';
import { timeInterleaved, timeInterleavedAsync } from '../timing.js';
import { OBJECT_WORKLOAD, WORKLOADS } from '../workloads.js';

const ld = await load();

async function inputs(workload, size) {
  const response = await fetch(`/payload/${workload}/${size}`);
  if (!response.ok) throw new Error(`payload ${workload} ${size}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer()); // as an app gets it from fetch
  return { bytes, text: new TextDecoder().decode(bytes) };
}

let prepared = null;
let kept = null; // the last output, held so the heap snapshot after a call includes it

window.bench = {
  crossOriginIsolated: globalThis.crossOriginIsolated,

  /** Checks the contenders agree, then times them; returns per-contender timings. */
  async filter(workload, size, timing) {
    const { bytes, text } = await inputs(workload, size);
    const contenders = makeContenders(WORKLOADS[workload], { ld, jsonMask, bytes, text });
    const outputs = Object.fromEntries(Object.entries(contenders).map(([id, run]) => [id, run(true)]));
    const outputChars = checkSameOutput(outputs, `${workload} ${size} (Chromium)`);
    const times = await timeInterleaved(contenders, { ...timing, gc: globalThis.gc });
    return { bytes: bytes.length, output_chars: outputChars, times };
  },

  /**
   * Object out (bench/object-out.js): checks the objects agree, then times every id, every
   * part of a call, and the pipelines from a fetched response.
   */
  async object(size, timing) {
    const { bytes, text } = await inputs(OBJECT_WORKLOAD, size);
    const contenders = makeObjectContenders(WORKLOADS[OBJECT_WORKLOAD], { ld, jsonMask, bytes, text });
    const outputChars = checkSameObjects(contenders, `object ${OBJECT_WORKLOAD} ${size} (Chromium)`);
    const times = await timeInterleaved(contenders, { ...timing, gc: globalThis.gc });
    const parts = makeObjectBreakdown(WORKLOADS[OBJECT_WORKLOAD], { ld, bytes, parseOutput, pieceBytes: PIECE_BYTES });
    const breakdownTimes = await timeInterleaved(parts, { ...timing, gc: globalThis.gc });
    const fetched = makeResponseContenders(WORKLOADS[OBJECT_WORKLOAD], { ld, jsonMask, url: `/payload/${OBJECT_WORKLOAD}/${size}` });
    await checkSameResponseObjects(fetched, `object from a response ${OBJECT_WORKLOAD} ${size} (Chromium)`);
    const responseTimes = await timeInterleavedAsync(fetched, { ...timing, gc: globalThis.gc });
    return { bytes: bytes.length, output_chars: outputChars, times, breakdownTimes, responseTimes };
  },

  /** Loads one payload for heap measurements; returns the contender ids. */
  async prepare(workload, size) {
    const { bytes, text } = await inputs(workload, size);
    prepared = withOutputInJs(makeContenders(WORKLOADS[workload], { ld, jsonMask, bytes, text }));
    return { bytes: bytes.length, ids: Object.keys(prepared) };
  },

  /** One call of a prepared contender; its output stays referenced until drop(). */
  call(id) {
    kept = prepared[id]();
    return kept.length;
  },

  drop() {
    kept = null;
  },
};
window.benchReady = true;
