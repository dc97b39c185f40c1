// Object out, in Node: what an app that wants an object pays, from the bytes or the string
// of a response to the object it uses — leastdata filters then parses its output, json-mask
// parses the whole payload then picks (issue 17). Also timed, as references: JSON.parse of
// the whole text, and encodeInto of the text, the floor under every call from a string.
// The page runs the same (bench/browser/page.js); every ratio is between figures of one run.
import { createRequire } from 'node:module';

import { load } from '../dist/node.js';
import { PIECE_BYTES, parseOutput } from '../dist/parse-output.js';
import { checkSameObjects, makeObjectBreakdown, makeObjectContenders } from './contenders.js';
import { timeInterleaved, withThroughput } from './timing.js';
import { OBJECT_WORKLOAD, WORKLOADS } from './workloads.js';

const jsonMask = createRequire(import.meta.url)('json-mask');

/** One row: per-id timings with MB/s of input, the same-run ratios, and the call's parts. */
export function objectRow(size, bytes, outputChars, times, breakdownTimes) {
  const contenders = withThroughput(times, bytes);
  const ms = (id) => contenders[id]?.median_ms;
  return {
    workload: OBJECT_WORKLOAD,
    size,
    bytes,
    output_chars: outputChars,
    contenders,
    ratios: {
      bytes_vs_json_mask: ms('json_mask') / ms('leastdata_bytes'),
      // Both from the same bytes: json-mask's pipeline decodes them first.
      bytes_vs_json_mask_from_bytes: ms('json_mask_bytes') / ms('leastdata_bytes'),
      string_vs_json_mask: ms('json_mask') / ms('leastdata_string'),
    },
    // What a call from a string costs beyond copying the string into wasm memory.
    string_above_floor_ms: ms('leastdata_string') - ms('encode_floor'),
    // Each part of a filterParsed(bytes) call timed alone (contenders.js, BREAKDOWN_LABELS).
    breakdown: Object.fromEntries(Object.entries(breakdownTimes).map(([id, t]) => [id, t.median_ms])),
  };
}

/** @param {{ sizes: { label: string, bytes: number }[], timing: object, log: (line: string) => void }} options */
export async function objectNode({ sizes, timing, log }) {
  const ld = await load();
  const workload = WORKLOADS[OBJECT_WORKLOAD];
  const rows = [];
  for (const size of sizes) {
    const bytes = new TextEncoder().encode(workload.generate(size.bytes));
    const text = new TextDecoder().decode(bytes);
    const contenders = makeObjectContenders(workload, { ld, jsonMask, bytes, text });
    const outputChars = checkSameObjects(contenders, `object ${OBJECT_WORKLOAD} ${size.label}`);
    log(`object node ${OBJECT_WORKLOAD} ${size.label}: timing ${Object.keys(contenders).join(', ')}`);
    const times = timeInterleaved(contenders, { ...timing, gc: globalThis.gc });
    log(`object node ${OBJECT_WORKLOAD} ${size.label}: timing the parts of a call`);
    const parts = makeObjectBreakdown(workload, { ld, bytes, parseOutput, pieceBytes: PIECE_BYTES });
    const row = objectRow(size.label, bytes.length, outputChars, times, timeInterleaved(parts, { ...timing, gc: globalThis.gc }));
    log(`  from bytes ${row.ratios.bytes_vs_json_mask.toFixed(2)}×, from a string ${row.ratios.string_vs_json_mask.toFixed(2)}× json-mask`);
    rows.push(row);
  }
  ld.dispose();
  return { rows };
}
