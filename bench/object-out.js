// Object out, in Node: what an app that wants an object pays, from the bytes or the string
// of a response to the object it uses — leastdata filters then parses its output, json-mask
// parses the whole payload then picks (issue 17). Also timed, as references: JSON.parse of
// the whole text, and encodeInto of the text, the floor under every call from a string.
// Then the same from a fetched response (a loopback server here, the bench server in the
// page), where each call reads the body itself.
// The page runs the same (bench/browser/page.js); every ratio is between figures of one run.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

import { load } from '../dist/node.js';
import { PIECE_BYTES, parseOutput } from '../dist/parse-output.js';
import { checkSameObjects, checkSameResponseObjects, makeObjectBreakdown, makeObjectContenders, makeResponseContenders } from './contenders.js';
import { timeInterleaved, timeInterleavedAsync, withThroughput } from './timing.js';
import { OBJECT_WORKLOAD, WORKLOADS } from './workloads.js';

const jsonMask = createRequire(import.meta.url)('json-mask');

/**
 * One row: per-id timings with MB/s of input, the same-run ratios, the call's parts, and the
 * timings from a fetched response.
 */
export function objectRow(size, bytes, outputChars, times, breakdownTimes, responseTimes) {
  const contenders = withThroughput(times, bytes);
  const ms = (id) => contenders[id]?.median_ms;
  const response = withThroughput(responseTimes, bytes);
  const responseMs = (id) => response[id].median_ms;
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
      response_stream_vs_json_mask: responseMs('json_mask_json') / responseMs('leastdata_stream'),
      response_stream_vs_array_buffer: responseMs('leastdata_array_buffer') / responseMs('leastdata_stream'),
    },
    // What a call from a string costs beyond copying the string into wasm memory.
    string_above_floor_ms: ms('leastdata_string') - ms('encode_floor'),
    // Each part of a filterParsed(bytes) call timed alone (contenders.js, BREAKDOWN_LABELS).
    breakdown: Object.fromEntries(Object.entries(breakdownTimes).map(([id, t]) => [id, t.median_ms])),
    // From a fetched response (contenders.js, RESPONSE_LABELS).
    response,
  };
}

// Serves each size's payload at /<size label>, as the bench server does for the page.
async function payloadServer(payloads) {
  const server = createServer((req, res) => {
    const body = payloads.get(req.url.slice(1));
    if (body === undefined) return res.writeHead(404).end();
    return res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
  });
  // Idle keep-alive connections stay open: the synchronous timing between two fetches can
  // outlast any timeout, and a connection closed meanwhile is reset when fetch reuses it.
  server.keepAliveTimeout = 0;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** @param {{ sizes: { label: string, bytes: number }[], timing: object, log: (line: string) => void }} options */
export async function objectNode({ sizes, timing, log }) {
  const ld = await load();
  const workload = WORKLOADS[OBJECT_WORKLOAD];
  const rows = [];
  const payloads = new Map();
  const server = await payloadServer(payloads);
  for (const size of sizes) {
    const bytes = new TextEncoder().encode(workload.generate(size.bytes));
    payloads.set(size.label, bytes);
    const text = new TextDecoder().decode(bytes);
    const contenders = makeObjectContenders(workload, { ld, jsonMask, bytes, text });
    const outputChars = checkSameObjects(contenders, `object ${OBJECT_WORKLOAD} ${size.label}`);
    log(`object node ${OBJECT_WORKLOAD} ${size.label}: timing ${Object.keys(contenders).join(', ')}`);
    const times = await timeInterleaved(contenders, { ...timing, gc: globalThis.gc });
    log(`object node ${OBJECT_WORKLOAD} ${size.label}: timing the parts of a call`);
    const parts = makeObjectBreakdown(workload, { ld, bytes, parseOutput, pieceBytes: PIECE_BYTES });
    const breakdownTimes = await timeInterleaved(parts, { ...timing, gc: globalThis.gc });
    log(`object node ${OBJECT_WORKLOAD} ${size.label}: timing from a fetched response`);
    const fetched = makeResponseContenders(workload, { ld, jsonMask, url: `${server.origin}/${size.label}` });
    await checkSameResponseObjects(fetched, `object from a response ${OBJECT_WORKLOAD} ${size.label}`);
    const row = objectRow(size.label, bytes.length, outputChars, times, breakdownTimes, await timeInterleavedAsync(fetched, { ...timing, gc: globalThis.gc }));
    log(`  from bytes ${row.ratios.bytes_vs_json_mask.toFixed(2)}×, from a string ${row.ratios.string_vs_json_mask.toFixed(2)}×, ` +
      `from a response ${row.ratios.response_stream_vs_json_mask.toFixed(2)}× json-mask`);
    rows.push(row);
  }
  await server.close();
  ld.dispose();
  return { rows };
}
