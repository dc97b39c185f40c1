// Parses the filter's output straight from wasm memory into the value an app uses, in
// pieces where it is large (DESIGN §3: the output is decoded once, then wiped with the
// call's buffers).
//
// Why pieces: V8 puts a string of more than 128 KiB (a two-byte one of 64 K characters)
// in its large-object space, a fresh mapping per string whose pages are faulted in on
// first touch; an output decoded and parsed whole paid that on every call. The core marks
// where each value one and two levels down starts and ends (wasm/include/leastdata/
// output_spans.hpp), and values are decoded and parsed in runs of at most PIECE_BYTES, so
// every string stays small. The result is the value JSON.parse gives for the whole text,
// with integers JSON.parse would round returned as strings of their exact digits, as the
// ZAF adapter does (parseKeepingIds).
import { parseKeepingIds } from './parse-keeping-ids.js';

/** UTF-8 bytes per decoded piece: at most 64 KiB as a two-byte string. */
export const PIECE_BYTES = 32 * 1024;

const OPEN_OBJECT = 0x7b; // '{'
const SPAN_WORDS = 4; // depth, member start, value start, value end (OutputSpan)

/**
 * @param {Uint8Array} bytes the output, in wasm memory
 * @param {Uint32Array} spans the core's OutputSpan records, flat (for an output of more than
 *   PIECE_BYTES)
 * @param {boolean} longNumbers whether sixteen digits in a row occur (only then may
 *   JSON.parse round a number)
 * @param {(bytes: Uint8Array) => string} decode
 */
export function parseOutput(bytes, spans, longNumbers, decode) {
  const text = (start, end) => decode(bytes.subarray(start, end));
  const parse = longNumbers ? parseKeepingIds : JSON.parse;
  // The core finds spans only for an output longer than a piece.
  if (bytes.length <= PIECE_BYTES || spans.length === 0) return parse(text(0, bytes.length));

  // Values at depth 1, each followed by its children at depth 2.
  const records = spans.length / SPAN_WORDS;
  const at = (record, field) => spans[record * SPAN_WORDS + field];
  const valueOf = (record, childrenEnd) => {
    const start = at(record, 2);
    const end = at(record, 3);
    if (end - start <= PIECE_BYTES || childrenEnd === record + 1) return parse(text(start, end));
    return parseChildren(bytes[start] === OPEN_OBJECT, record + 1, childrenEnd);
  };
  // Runs of consecutive children of one container, each run parsed as one container.
  const parseChildren = (isObject, first, end) => {
    const container = isObject ? {} : [];
    let runStart = first;
    while (runStart < end) {
      let runEnd = runStart + 1;
      while (runEnd < end && at(runEnd, 3) - at(runStart, 1) <= PIECE_BYTES) runEnd++;
      const body = text(at(runStart, 1), at(runEnd - 1, 3));
      const piece = parse(isObject ? `{${body}}` : `[${body}]`);
      if (isObject) assignMembers(container, piece);
      else for (const element of piece) container.push(element);
      runStart = runEnd;
    }
    return container;
  };

  const root = bytes[0] === OPEN_OBJECT ? {} : [];
  for (let record = 0; record < records; ) {
    let childrenEnd = record + 1;
    while (childrenEnd < records && at(childrenEnd, 0) === 2) childrenEnd++;
    const value = valueOf(record, childrenEnd);
    if (Array.isArray(root)) root.push(value);
    else defineMember(root, JSON.parse(text(at(record, 1), at(record, 2) - 1)), value);
    record = childrenEnd;
  }
  return root;
}

// As JSON.parse builds objects: own data properties, so a member named "__proto__" is a
// member, not the prototype.
function defineMember(object, name, value) {
  if (name === '__proto__') {
    Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[name] = value;
  }
}

function assignMembers(target, source) {
  for (const name of Object.keys(source)) defineMember(target, name, source[name]);
}
