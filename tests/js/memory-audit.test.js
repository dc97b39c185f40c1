// The "processed transiently" promise, checked on the bytes: after filter calls —
// successful, failing, from strings and from bytes, small and large — no marker that
// was placed in kept or dropped fields of the input may remain anywhere in the module's
// linear memory (heap, freed blocks, shadow stack).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { load, LeastDataError } from '../../dist/node.js';
import { auditPayload as payload, auditPolicy as policy, DROPPED, KEPT, PREDICATE } from '../fixtures/samples.js';

function findings(memory, markers) {
  const bytes = new Uint8Array(memory.buffer);
  const found = [];
  for (const marker of markers) {
    const needle = Buffer.from(marker, 'utf8');
    const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle);
    if (at >= 0) found.push(`${marker} at ${at}`);
  }
  return found;
}

test('the scan finds a marker left in linear memory (the audit can fail)', async () => {
  const ld = await load();
  const module = ld.engine.module;
  const ptr = module._ld_alloc(64);
  module.HEAPU8.set(Buffer.from(DROPPED), ptr);
  assert.deepEqual(findings(ld.wasmMemory, [DROPPED]), [`${DROPPED} at ${ptr}`]);
  module._ld_free(ptr, 64);
  assert.deepEqual(findings(ld.wasmMemory, [DROPPED]), []);
  ld.dispose();
});

test('no input or output bytes remain in wasm memory after calls', async () => {
  const ld = await load();
  const compiled = ld.compile(policy);
  const markers = [KEPT, DROPPED, PREDICATE];
  for (const copies of [1, 10, 5000]) {
    const text = payload(copies);
    const output = compiled.filter(text);
    assert.ok(output.includes(KEPT) && !output.includes(DROPPED), 'the policy keeps and drops the markers');
    assert.deepEqual(findings(ld.wasmMemory, markers), [], `after filter(string) of ${text.length} bytes`);

    const bytes = new TextEncoder().encode(text);
    const { output: again } = compiled.filterWithLedger(bytes, { wipeInput: true });
    assert.equal(again, output);
    assert.ok(bytes.every((b) => b === 0), 'wipeInput zeroed the caller’s bytes');
    assert.deepEqual(findings(ld.wasmMemory, markers), [], `after filterWithLedger(bytes) of ${text.length} bytes`);
  }
  compiled.dispose();
  ld.dispose();
});

test('no marker remains after failing calls, whose partial work is discarded', async () => {
  const ld = await load();
  const compiled = ld.compile(policy);
  const text = payload(50);
  const failures = [
    text.slice(0, text.length - 3), // truncated: fails at the end, after most output was written
    text.replace(`"id":1049`, `"id":1049,"id":1049`), // duplicate kept member near the end
    `${text} trailing`,
    text.replace(`${DROPPED} description 49`, `${DROPPED} description 49 \u0001`),
  ];
  for (const input of failures) {
    assert.throws(() => compiled.filter(input), LeastDataError);
    assert.deepEqual(findings(ld.wasmMemory, [KEPT, DROPPED, PREDICATE]), []);
  }
  compiled.dispose();
  ld.dispose();
});

test('decoded names and predicate values (escaped input) are wiped too', async () => {
  const ld = await load();
  const compiled = ld.compile({ version: 1, select: 'results[result_type=ticket](id),name' });
  // Escaped member names and predicate values are decoded into scratch memory to be
  // matched; these match nothing, so they exist only as the payload's bytes and their
  // decoded copies.
  // Short ones (Qm4tch9z, Sh0rt8qx) fit in a string's inline buffer, which lives on the
  // wasm shadow stack: they check the stack wipe.
  const input =
    '{"results":[{"result_type":"\\u0055nmatchedValueQx7","id":1},{"result_type":"\\u0051m4tch9z","id":3},' +
    '{"\\u0053h0rt8qx":0,"result_type":"ticket","id":2}],"\\u004eotInPolicyNameZ3":"x","name":"y"}';
  assert.equal(compiled.filter(input), '{"results":[{"id":2}],"name":"y"}');
  const markers = [
    'UnmatchedValueQx7', 'u0055nmatchedValueQx7', 'NotInPolicyNameZ3', 'u004eotInPolicyNameZ3',
    'Qm4tch9z', 'u0051m4tch9z', 'Sh0rt8qx', 'u0053h0rt8qx',
  ];
  assert.deepEqual(findings(ld.wasmMemory, markers), []);
  compiled.dispose();
  ld.dispose();
});

test('the texts of the other calls are wiped too: policies, ZAF paths, job IDs, certificates', async () => {
  const ld = await load();
  const markers = ['PolicyNameMk41', 'SelectMemberMk77', 'ZafPathMk93', 'JobIdMk25', 'CertSubdomainMk68', 'KeyIdMk12'];
  const compiled = ld.compile({ version: 1, name: 'PolicyNameMk41', select: 'id,SelectMemberMk77', zaf: ['ticket.id'] });
  assert.equal(compiled.name, 'PolicyNameMk41');
  assert.match(compiled.selection, /SelectMemberMk77/);
  assert.match(compiled.declaration, /PolicyNameMk41/);
  assert.equal(compiled.allowsZafPath('ticket.ZafPathMk93'), false);
  assert.deepEqual(compiled.allowedZafPaths(['ticket.id', 'ticket.ZafPathMk93']), [true, false]);
  compiled.dispose();
  assert.throws(() => ld.engine.checkJobIds(['JobIdMk25']), (error) => error instanceof LeastDataError);
  const certificate = { type: 'leastdata.deletion-certificate/v1', subdomain: 'CertSubdomainMk68', key_id: 'KeyIdMk12', signature: 'AAAA' };
  const keys = { keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'KeyIdMk12', x: 'AAAA' }] };
  assert.throws(() => ld.verifyCertificate(certificate, keys), (error) => error instanceof LeastDataError);
  assert.deepEqual(findings(ld.wasmMemory, markers), []);
  ld.dispose();
});
