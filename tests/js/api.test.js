// The JavaScript API of DESIGN §4 under Node, against the real wasm build in dist/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { load, LeastDataError } from '../../dist/node.js';
import { ticketExpected as expected, ticketLedger, ticketPayload as payload, ticketPolicy } from '../fixtures/samples.js';

const ld = await load();

function expectError(fn, code, offset) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof LeastDataError, `expected LeastDataError, got ${error}`);
    assert.equal(error.code, code);
    if (offset !== undefined) assert.equal(error.offset, offset);
    assert.equal(typeof error.message, 'string');
    return true;
  });
}

test('filters a string, a Uint8Array, an ArrayBuffer and a DataView alike', () => {
  const policy = ld.compile(ticketPolicy);
  const bytes = new TextEncoder().encode(payload);
  assert.equal(policy.filter(payload), expected);
  assert.equal(policy.filter(bytes), expected);
  assert.equal(policy.filter(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), expected);
  assert.equal(policy.filter(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)), expected);
  policy.dispose();
});

test('compiles a policy object or its JSON text, and exposes name, selection and zaf checks', () => {
  const fromObject = ld.compile(ticketPolicy);
  const fromText = ld.compile(JSON.stringify(ticketPolicy));
  assert.equal(fromObject.name, 'ticket-sidebar');
  assert.equal(fromObject.selection, fromText.selection);
  assert.match(fromObject.selection, /^ticket\(id,subject,custom_fields\[id=360001234\]\(id,value\)\),tickets\(/);
  assert.equal(fromObject.allowsZafPath('ticket.id'), true);
  assert.equal(fromObject.allowsZafPath('ticket.requester.email'), true);
  assert.equal(fromObject.allowsZafPath('ticket.requester.organization.name'), false);
  assert.equal(fromObject.allowsZafPath('ticket.description'), false);
  fromObject.dispose();
  fromText.dispose();
});

test('filterWithLedger returns the exact ledger', () => {
  const policy = ld.compile(ticketPolicy);
  const { output, ledger } = policy.filterWithLedger(payload);
  assert.equal(output, expected);
  assert.deepEqual(ledger, ticketLedger);
  policy.dispose();
});

test('wipeInput zeroes the caller’s bytes after they are copied in', () => {
  const policy = ld.compile(ticketPolicy);
  const bytes = new TextEncoder().encode(payload);
  const { output } = policy.filterWithLedger(bytes, { wipeInput: true });
  assert.equal(output, expected);
  assert.ok(bytes.every((b) => b === 0), 'input bytes must all be zero');
  const kept = new TextEncoder().encode(payload);
  policy.filterWithLedger(kept);
  assert.equal(new TextDecoder().decode(kept), payload, 'without wipeInput the input is untouched');
  policy.dispose();
});

test('numbers and strings keep their exact input text', () => {
  const policy = ld.compile({ version: 1, select: 'a,b,c,d' });
  const input = '{"a":12345678901234567890123,"b":1.0E+2,"c":"\\u00e9\\n","d":-0.0,"e":1}';
  assert.equal(policy.filter(input), '{"a":12345678901234567890123,"b":1.0E+2,"c":"\\u00e9\\n","d":-0.0}');
  policy.dispose();
});

test('errors carry stable codes and byte offsets, never partial output', () => {
  const policy = ld.compile({ version: 1, select: 'a', limits: { max_depth: 3, max_input_bytes: 64 } });
  expectError(() => policy.filter('{"a":1,'), 'invalid_json', 7);
  expectError(() => policy.filter('{"a":1} x'), 'invalid_json', 8);
  expectError(() => policy.filter(new Uint8Array([0x7b, 0x22, 0x62, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 'invalid_utf8', 6);
  expectError(() => policy.filter('{"b":[[[1]]]}'), 'depth_limit', 7);
  expectError(() => policy.filter('{"a":1,"a":2}'), 'duplicate_key', 7);
  expectError(() => policy.filter(`{"a":"${'x'.repeat(100)}"}`), 'size_limit', 64);
  expectError(() => policy.filter(new Uint8Array(65)), 'size_limit', 64);
  expectError(() => policy.filter(42), 'invalid_argument');
  policy.dispose();
});

test('invalid policies are rejected with invalid_policy and an offset into the selection', () => {
  expectError(() => ld.compile({ version: 1, select: 'a,(b' }), 'invalid_policy', 2);
  expectError(() => ld.compile({ version: 2, select: 'a' }), 'invalid_policy');
  expectError(() => ld.compile({ version: 1 }), 'invalid_policy');
  expectError(() => ld.compile({ version: 1, select: 'a', extra: true }), 'invalid_policy');
  expectError(() => ld.compile({ version: 1, resources: { ticket: 'id', widget: 'id' } }), 'invalid_policy');
  expectError(() => ld.compile('{"version":1,'), 'invalid_policy');
  expectError(() => ld.compile(17), 'invalid_policy');
});

test('the access report aggregates ledgers by path and resource, without values', async () => {
  const session = await load();
  const policy = session.compile(ticketPolicy);
  policy.filter(payload);
  policy.filterWithLedger(payload);
  assert.throws(() => policy.filter('{'));
  const report = session.accessReport();
  assert.equal(report.calls, 2);
  assert.equal(report.fields_kept, 14);
  assert.equal(report.fields_dropped, 6);
  assert.equal(report.bytes_in, 2 * Buffer.byteLength(payload));
  assert.equal(report.kept_paths['tickets[].subject'], 2);
  assert.equal(report.by_resource.ticket.fields_kept, 8);
  assert.equal(report.by_resource.user.fields_kept, 4);
  assert.equal(report.by_resource.other.fields_kept, 2); // next_page
  assert.deepEqual(report.dropped_paths, { 'tickets[].description': 2, 'tickets[].custom_fields[]': 2, 'users[].email': 2 });
  const text = JSON.stringify(report);
  for (const value of ['Printer', 'gold', 'Ana', 'ana@example.com', 'internal']) {
    assert.ok(!text.includes(value), `report must not contain the value ${value}`);
  }
  session.dispose();
});

test('dispose makes policies and the instance unusable and zeroes linear memory', async () => {
  const session = await load();
  const policy = session.compile(ticketPolicy);
  policy.filter(payload);
  const memory = session.wasmMemory;
  assert.ok(memory instanceof WebAssembly.Memory);
  session.dispose();
  expectError(() => policy.filter(payload), 'disposed');
  expectError(() => session.compile(ticketPolicy), 'disposed');
  assert.ok(new Uint8Array(memory.buffer).every((b) => b === 0));
});

test('thousands of mixed good and bad calls do not grow wasm memory', () => {
  const policy = ld.compile(ticketPolicy);
  const inputs = [payload, '{"tickets":[', '{"a":1,"a":2}', new TextEncoder().encode(payload), '[]', 'null'];
  const run = () => {
    for (const input of inputs) {
      try {
        policy.filter(input);
      } catch (error) {
        assert.ok(error instanceof LeastDataError);
      }
    }
  };
  for (let i = 0; i < 200; i++) run(); // warm up: the allocator reaches its steady state
  const before = ld.wasmMemory.buffer.byteLength;
  for (let i = 0; i < 2000; i++) run();
  assert.equal(ld.wasmMemory.buffer.byteLength, before);
  policy.dispose();
});

test('a 10,000-deep input is a depth_limit error, and the module keeps working', () => {
  const policy = ld.compile({ version: 1, select: 'a' });
  expectError(() => policy.filter('['.repeat(10000)), 'depth_limit', 64);
  assert.equal(policy.filter('{"a":[1]}'), '{"a":[1]}');
  policy.dispose();
});

test('a response cut short inside nested arrays is invalid_json at its end, at every depth', () => {
  // Closing brackets used to be written while the error unwound: from 34 levels on the
  // writes left the output buffer and the wasm instance trapped (issue: filter output bound).
  for (const selection of ['a', '*', 'a(q)']) {
    const policy = ld.compile({ version: 1, select: selection });
    for (let levels = 1; levels <= 62; levels++) {
      const cut = '['.repeat(levels) + '{"a":"x","b":"y"}';
      expectError(() => policy.filter(cut), 'invalid_json', cut.length);
      expectError(() => policy.filter(new TextEncoder().encode(cut)), 'invalid_json', cut.length);
    }
    assert.equal(policy.filter('[[{"a":1}]]'), selection === 'a(q)' ? '[[{}]]' : '[[{"a":1}]]', 'the instance keeps working');
    policy.dispose();
  }
  const finding = ld.compile({ version: 1, select: 'a' });
  expectError(() => finding.filter('['.repeat(34) + '{"a41,"b\x02:2},{"b":3}]'), 'invalid_json', 41);
  finding.dispose();
});

test('a trap in the core becomes internal_error, wipes linear memory and retires the instance', async () => {
  const session = await load();
  const policy = session.compile(ticketPolicy);
  const marker = 'TRAP-MARKER-3f9a';
  const memory = session.wasmMemory;
  // A real wasm trap (`unreachable`), raised while the input copy is in linear memory.
  const trapping = new WebAssembly.Instance(
    new WebAssembly.Module(
      Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 8, 1, 4, 116, 114, 97, 112, 0, 0, 10, 5, 1, 3, 0, 0, 11),
    ),
  ).exports.trap;
  session.engine.module._ld_policy_filter = () => trapping();
  assert.throws(() => trapping(), WebAssembly.RuntimeError);
  expectError(() => policy.filter(`{"ticket":{"subject":"${marker}"}}`), 'internal_error');
  assert.ok(new Uint8Array(memory.buffer).every((b) => b === 0), 'all of linear memory is zero after a trap');
  expectError(() => policy.filter(payload), 'disposed');
  expectError(() => session.compile(ticketPolicy), 'disposed');
  policy.dispose();
  session.dispose();
});

test('a C++ exception escaping the core is handled as a trap: internal_error, memory wiped, instance retired', async () => {
  const session = await load();
  const policy = session.compile(ticketPolicy);
  const marker = 'THROW-MARKER-8c1e';
  const memory = session.wasmMemory;
  // What the glue's ___cxa_throw does when nothing in wasm catches: it throws the
  // exception's address, after the input copy is already in linear memory.
  session.engine.module._ld_policy_filter = () => {
    throw 1_234_560;
  };
  assert.throws(() => policy.filter(`{"ticket":{"subject":"${marker}"}}`), (error) => {
    assert.ok(error instanceof LeastDataError, `a LeastDataError, got ${error}`);
    assert.equal(error.code, 'internal_error');
    assert.match(error.message, /uncaught C\+\+ exception.*memory was wiped/);
    return true;
  });
  assert.ok(new Uint8Array(memory.buffer).every((b) => b === 0), 'all of linear memory is zero');
  expectError(() => session.compile(ticketPolicy), 'disposed');
  session.dispose();
});

test('the core exposes its limits', () => {
  assert.deepEqual(ld.limits, { maxDepthCeiling: 1024, maxInputBytesCeiling: 512 * 1024 * 1024 });
});

test('wipeInput zeroes the caller’s bytes even when the call fails before reading them', () => {
  const policy = ld.compile({ version: 1, select: 'a', limits: { max_input_bytes: 64 } });
  const bytes = new Uint8Array(65).fill(0x41);
  expectError(() => policy.filterWithLedger(bytes, { wipeInput: true }), 'size_limit', 64);
  assert.ok(bytes.every((b) => b === 0));
  policy.dispose();
});

test('load() takes the module as a file URL, a path, bytes or a Response', async () => {
  const url = new URL('../../dist/leastdata.wasm', import.meta.url);
  const bytes = await readFile(url);
  const sources = [url, fileURLToPath(url), bytes, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    new Response(bytes, { headers: { 'content-type': 'application/wasm' } })];
  for (const wasm of sources) {
    const session = await load({ wasm });
    assert.equal(session.compile(ticketPolicy).filter(payload), expected);
    session.dispose();
  }
  await assert.rejects(load({ wasm: new URL('./missing.wasm', url) }), (error) => error.code === 'load_failed' && /ENOENT/.test(error.message));
});
