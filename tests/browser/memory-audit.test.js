// The memory audit of tests/js/memory-audit.test.js, in Chromium: after filter calls —
// successful and failing, from strings and from bytes, small and ~1 MB — no marker placed
// in kept or dropped fields may remain anywhere in the module's linear memory (heap,
// freed blocks, shadow stack), scanned as new Uint8Array(ld.wasmMemory.buffer) in the
// page. A control proves the scan finds a marker that is deliberately left there.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { auditPayload as payload, auditPolicy as policy, DROPPED, KEPT, PREDICATE } from '../fixtures/samples.js';
import { unexpected, usePackagePage } from './support.js';

const MARKERS = [KEPT, DROPPED, PREDICATE];
const LARGE = 2400; // copies: ~1.07 MB of JSON

const { session, inPage } = usePackagePage();

test('control: the scan finds a marker deliberately left in linear memory', async () => {
  const r = await inPage(async (t, marker) => {
    const ld = await t.load();
    const module = ld.engine.module;
    const ptr = module._ld_alloc(64);
    module.HEAPU8.set(new TextEncoder().encode(marker), ptr);
    const whileThere = t.findMarkers(ld.wasmMemory, [marker]);
    module._ld_free(ptr, 64);
    const afterFree = t.findMarkers(ld.wasmMemory, [marker]);
    // And one that a caller leaves behind at the very end of memory, outside any block.
    const bytes = new Uint8Array(ld.wasmMemory.buffer);
    bytes.set(new TextEncoder().encode(marker), bytes.length - marker.length);
    const atEnd = t.findMarkers(ld.wasmMemory, [marker]);
    const end = bytes.length - marker.length;
    ld.dispose();
    return { ptr, whileThere, afterFree, atEnd, end };
  }, DROPPED);
  assert.deepEqual(r.whileThere, [`${DROPPED} at ${r.ptr}`]);
  assert.deepEqual(r.afterFree, [], 'free() zeroes the block');
  assert.deepEqual(r.atEnd, [`${DROPPED} at ${r.end}`]);
});

test('no input or output bytes remain after calls on strings and bytes, small and ~1 MB', async () => {
  const sizes = [1, 10, LARGE];
  const r = await inPage(async (t, { policy, texts, markers, kept, dropped }) => {
    const ld = await t.load();
    const compiled = ld.compile(policy);
    const steps = [];
    for (const text of texts) {
      const output = compiled.filter(text);
      steps.push({
        what: `filter(string of ${text.length})`,
        keepsAndDrops: output.includes(kept) && !output.includes(dropped),
        found: t.findMarkers(ld.wasmMemory, markers),
      });
      const bytes = new TextEncoder().encode(text);
      const { output: again, ledger } = compiled.filterWithLedger(bytes, { wipeInput: true });
      steps.push({
        what: `filterWithLedger(Uint8Array of ${bytes.length}, wipeInput)`,
        same: again === output,
        ledgerOk: ledger.bytes_in === bytes.length && ledger.fields_kept > 0,
        wiped: bytes.every((b) => b === 0),
        found: t.findMarkers(ld.wasmMemory, markers),
      });
      const buffer = new TextEncoder().encode(text).buffer;
      steps.push({
        what: `filter(ArrayBuffer of ${buffer.byteLength})`,
        same: compiled.filter(buffer) === output,
        found: t.findMarkers(ld.wasmMemory, markers),
      });
    }
    const memoryBytes = ld.wasmMemory.buffer.byteLength;
    compiled.dispose();
    ld.dispose();
    return { steps, memoryBytes };
  }, { policy, texts: sizes.map(payload), markers: MARKERS, kept: KEPT, dropped: DROPPED });

  assert.ok(r.memoryBytes > 2 * payload(LARGE).length, 'the large payload made the memory grow (grown buffer scanned)');
  for (const step of r.steps) {
    assert.deepEqual(step.found, [], `markers remain after ${step.what}`);
    if ('keepsAndDrops' in step) assert.ok(step.keepsAndDrops, `${step.what}: the policy keeps and drops markers`);
    if ('same' in step) assert.ok(step.same, `${step.what}: same output`);
    if ('ledgerOk' in step) assert.ok(step.ledgerOk, `${step.what}: ledger`);
    if ('wiped' in step) assert.ok(step.wiped, `${step.what}: wipeInput zeroed the caller’s bytes`);
  }
});

test('no marker remains after failing calls, whose partial work is discarded', async () => {
  const small = payload(50);
  const large = payload(LARGE);
  const failures = [
    small.slice(0, small.length - 3), // truncated: fails at the end, after most output was written
    small.replace('"id":1049', '"id":1049,"id":1049'), // duplicate kept member near the end
    `${small} trailing`,
    small.replace(`${DROPPED} description 49`, `${DROPPED} description 49 \u0001`), // control character
    large.slice(0, large.length - 3), // ~1 MB of output written, then the failure
    large.replace(`"id":${1000 + LARGE - 1}`, `"id":${1000 + LARGE - 1},"id":1`),
  ];
  const r = await inPage(async (t, { policy, failures, markers }) => {
    const ld = await t.load();
    const compiled = ld.compile(policy);
    const results = [];
    for (const [i, input] of failures.entries()) {
      const asString = t.captureSync(() => compiled.filter(input));
      const afterString = t.findMarkers(ld.wasmMemory, markers);
      const bytes = new TextEncoder().encode(input);
      const asBytes = t.captureSync(() => compiled.filterWithLedger(bytes, { wipeInput: true }));
      results.push({
        i,
        codes: [asString.error?.code, asBytes.error?.code],
        errors: Boolean(asString.error?.isLeastDataError && asBytes.error?.isLeastDataError),
        wiped: bytes.every((b) => b === 0),
        afterString,
        afterBytes: t.findMarkers(ld.wasmMemory, markers),
      });
    }
    compiled.dispose();
    ld.dispose();
    return results;
  }, { policy, failures, markers: MARKERS });
  const expectedCodes = ['invalid_json', 'duplicate_key', 'invalid_json', 'invalid_json', 'invalid_json', 'duplicate_key'];
  for (const result of r) {
    assert.ok(result.errors, `failure ${result.i} throws LeastDataError: ${result.codes}`);
    assert.deepEqual(result.codes, [expectedCodes[result.i], expectedCodes[result.i]], `failure ${result.i}`);
    assert.ok(result.wiped, `failure ${result.i}: wipeInput zeroed the caller’s bytes even on error`);
    assert.deepEqual(result.afterString, [], `failure ${result.i} (string)`);
    assert.deepEqual(result.afterBytes, [], `failure ${result.i} (bytes)`);
  }
});

test('decoded names and predicate values (escaped input) are wiped too', async () => {
  const r = await inPage(async (t) => {
    const ld = await t.load();
    const compiled = ld.compile({ version: 1, select: 'results[result_type=ticket](id),name' });
    const input =
      '{"results":[{"result_type":"\\u0055nmatchedValueQx7","id":1},{"result_type":"\\u0051m4tch9z","id":3},' +
      '{"\\u0053h0rt8qx":0,"result_type":"ticket","id":2}],"\\u004eotInPolicyNameZ3":"x","name":"y"}';
    const output = compiled.filter(input);
    const found = t.findMarkers(ld.wasmMemory, [
      'UnmatchedValueQx7', 'u0055nmatchedValueQx7', 'NotInPolicyNameZ3', 'u004eotInPolicyNameZ3',
      'Qm4tch9z', 'u0051m4tch9z', 'Sh0rt8qx', 'u0053h0rt8qx',
    ]);
    compiled.dispose();
    ld.dispose();
    return { output, found };
  });
  assert.equal(r.output, '{"results":[{"id":2}],"name":"y"}');
  assert.deepEqual(r.found, []);
});

test('no page errors or console errors during the audit', () => {
  assert.deepEqual(unexpected(session().errors), []);
});
