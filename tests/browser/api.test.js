// The JavaScript API of DESIGN §4 in Chromium, through the browser entry point
// (dist/browser.js, the ES6 web glue and dist/leastdata.wasm located with
// new URL(..., import.meta.url)). Mirrors tests/js/api.test.js, plus the browser-only ways
// to hand over the module (URL, Response, ArrayBuffer) and a failing load.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { ticketExpected as expected, ticketLedger, ticketPayload as payload, ticketPolicy } from '../fixtures/samples.js';
import { ROOT, startServer } from './harness.js';
import { unexpected, usePackagePage } from './support.js';

// 20,000 tickets with a marker in a dropped field (about 1.7 MB).
const streamed = JSON.stringify({ tickets: Array.from({ length: 20000 }, (_, i) => ({ id: i, subject: `ticket ${i} 打印机`, secret: `StreamDropped${i}` })) });
let closedOrigin; // an origin nothing listens on
before(async () => {
  const closed = await startServer();
  closedOrigin = closed.origin;
  await closed.close();
});
// One page for the whole file, like one app session.
const { session, inPage } = usePackagePage({
  routes: {
    // Serves the module without the application/wasm type (no streaming compile).
    '/untyped.wasm': async (req, res) => {
      const bytes = await readFile(join(ROOT, 'dist/leastdata.wasm'));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
    },
    '/garbage.wasm': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/wasm' }).end('this is not wasm');
    },
    // A large payload in many small writes, and one that breaks off half-way.
    '/stream-payload': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(streamed);
      for (let at = 0; at < bytes.length; at += 4093) res.write(bytes.subarray(at, at + 4093));
      res.end();
    },
    '/stream-broken': (req, res) => {
      const bytes = Buffer.from(streamed);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
    },
  },
});

function assertError(result, code, offset) {
  assert.ok(result.error, `expected a ${code} error, got ${JSON.stringify(result)}`);
  assert.equal(result.error.isLeastDataError, true, `a LeastDataError: ${JSON.stringify(result.error)}`);
  assert.equal(result.error.code, code, result.error.message);
  if (offset !== undefined) assert.equal(result.error.offset, offset, `offset of ${code}`);
  assert.equal(typeof result.error.message, 'string');
}

test('filters a string, a Uint8Array, an ArrayBuffer and a DataView alike', async () => {
  const outputs = await inPage((t, { policy, payload }) => {
    const compiled = t.ld.compile(policy);
    const bytes = new TextEncoder().encode(payload);
    const result = [
      compiled.filter(payload),
      compiled.filter(bytes),
      compiled.filter(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
      compiled.filter(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
      // a view into the middle of a larger buffer
      compiled.filter(new Uint8Array([32, 32, ...bytes, 32]).subarray(2)),
    ];
    compiled.dispose();
    return result;
  }, { policy: ticketPolicy, payload });
  assert.deepEqual(outputs, Array(5).fill(expected));
});

test('compiles a policy object or its JSON text; name, selection and zaf checks', async () => {
  const r = await inPage((t, policy) => {
    const fromObject = t.ld.compile(policy);
    const fromText = t.ld.compile(JSON.stringify(policy));
    const result = {
      name: fromObject.name,
      same: fromObject.selection === fromText.selection,
      selection: fromObject.selection,
      zaf: ['ticket.id', 'ticket.requester.email', 'ticket.requester.organization.name', 'ticket.description']
        .map((path) => fromObject.allowsZafPath(path)),
    };
    fromObject.dispose();
    fromText.dispose();
    return result;
  }, ticketPolicy);
  assert.equal(r.name, 'ticket-sidebar');
  assert.equal(r.same, true);
  assert.match(r.selection, /^ticket\(id,subject,custom_fields\[id=360001234\]\(id,value\)\),tickets\(/);
  assert.deepEqual(r.zaf, [true, true, false, false]);
});

test('filterWithLedger returns the output and the exact ledger', async () => {
  const r = await inPage((t, { policy, payload }) => {
    const compiled = t.ld.compile(policy);
    const result = compiled.filterWithLedger(payload);
    compiled.dispose();
    return result;
  }, { policy: ticketPolicy, payload });
  assert.equal(r.output, expected);
  assert.deepEqual(r.ledger, ticketLedger);
});

test('filterParsed gives what JSON.parse(filter()) gives, for outputs of one piece and of many', async () => {
  // 3,000 rows make an output of about 90 KB: parsed in pieces (js/parse-output.js), with
  // TextDecoder as the browser's decoder; one row holds an integer beyond 2^53.
  const rows = Array.from({ length: 3000 }, (_, i) => ({ id: i, subject: `ticket ${i} 打印机 🔥`, secret: 'x' }));
  const large = JSON.stringify({ tickets: rows, count: 3000 }).replace('"id":2999,', '"id":12345678901234567890,');
  const r = await inPage((t, { policy, inputs }) => {
    const compiled = t.ld.compile(policy);
    const result = inputs.map((input) => ({ text: compiled.filter(input), value: compiled.filterParsed(input) }));
    compiled.dispose();
    return result;
  }, { policy: { version: 1, resources: { ticket: 'id,subject' } }, inputs: [payload, large] });
  assert.deepEqual(r[0].value, JSON.parse(r[0].text));
  assert.ok(Buffer.byteLength(r[1].text) > 64 * 1024, 'the large output spans several pieces');
  const expectedLarge = JSON.parse(r[1].text.replace('12345678901234567890', '"12345678901234567890"'));
  assert.deepEqual(r[1].value, expectedLarge);
  assert.equal(JSON.stringify(r[1].value), JSON.stringify(expectedLarge), 'member order');
});

test('filterStream and filterParsedStream read a fetched body into wasm memory: same result, nothing left, no partial result', async () => {
  const r = await inPage(async (t, { policy }) => {
    const compiled = t.ld.compile(policy);
    const bytes = new Uint8Array(await (await fetch('/stream-payload')).arrayBuffer());
    const text = await compiled.filterStream(await fetch('/stream-payload'));
    const value = await compiled.filterParsedStream(await fetch('/stream-payload'));
    const broken = await compiled.filterStream(await fetch('/stream-broken')).then(() => null, (error) => ({ code: error.code, message: error.message }));
    const memory = new TextDecoder('latin1').decode(new Uint8Array(t.ld.wasmMemory.buffer));
    const result = { text, value, expected: compiled.filter(bytes), markerLeft: memory.includes('StreamDropped'), broken };
    compiled.dispose();
    return result;
  }, { policy: { version: 1, resources: { ticket: 'id,subject' } } });
  assert.equal(r.text, r.expected);
  assert.deepEqual(r.value, JSON.parse(r.expected));
  assert.equal(r.markerLeft, false, 'a dropped field of the payload was left in wasm memory');
  assert.equal(r.broken?.code, 'invalid_response', JSON.stringify(r.broken));
});

test('wipeInput zeroes the caller’s bytes; without it they are untouched', async () => {
  const r = await inPage((t, { policy, payload }) => {
    const compiled = t.ld.compile(policy);
    const wiped = new TextEncoder().encode(payload);
    const { output } = compiled.filterWithLedger(wiped, { wipeInput: true });
    const kept = new TextEncoder().encode(payload);
    compiled.filterWithLedger(kept);
    compiled.dispose();
    return { output, allZero: wiped.every((b) => b === 0), length: wiped.length, kept: new TextDecoder().decode(kept) };
  }, { policy: ticketPolicy, payload });
  assert.equal(r.output, expected);
  assert.ok(r.length > 0 && r.allZero, 'the caller’s Uint8Array is all zeros');
  assert.equal(r.kept, payload);
});

test('numbers and strings keep their exact input text', async () => {
  const output = await inPage((t) => {
    const compiled = t.ld.compile({ version: 1, select: 'a,b,c,d' });
    const out = compiled.filter('{"a":12345678901234567890123,"b":1.0E+2,"c":"\\u00e9\\n","d":-0.0,"e":1}');
    compiled.dispose();
    return out;
  });
  assert.equal(output, '{"a":12345678901234567890123,"b":1.0E+2,"c":"\\u00e9\\n","d":-0.0}');
});

test('filter errors carry stable codes and byte offsets, never partial output', async () => {
  const r = await inPage((t) => {
    const compiled = t.ld.compile({ version: 1, select: 'a', limits: { max_depth: 3, max_input_bytes: 64 } });
    const cases = {
      truncated: () => compiled.filter('{"a":1,'),
      trailing: () => compiled.filter('{"a":1} x'),
      utf8: () => compiled.filter(new Uint8Array([0x7b, 0x22, 0x62, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])),
      depth: () => compiled.filter('{"b":[[[1]]]}'),
      duplicate: () => compiled.filter('{"a":1,"a":2}'),
      sizeString: () => compiled.filter(`{"a":"${'x'.repeat(100)}"}`),
      sizeBytes: () => compiled.filter(new Uint8Array(65)),
      argument: () => compiled.filter(42),
      ledgerCall: () => compiled.filterWithLedger('[1,'),
    };
    const result = Object.fromEntries(Object.entries(cases).map(([name, fn]) => [name, t.captureSync(fn)]));
    result.afterwards = t.captureSync(() => compiled.filter('{"a":[1],"b":2}'));
    compiled.dispose();
    return result;
  });
  assertError(r.truncated, 'invalid_json', 7);
  assertError(r.trailing, 'invalid_json', 8);
  assertError(r.utf8, 'invalid_utf8', 6);
  assertError(r.depth, 'depth_limit', 7);
  assertError(r.duplicate, 'duplicate_key', 7);
  assertError(r.sizeString, 'size_limit', 64);
  assertError(r.sizeBytes, 'size_limit', 64);
  assertError(r.argument, 'invalid_argument');
  assertError(r.ledgerCall, 'invalid_json', 3);
  assert.deepEqual(r.afterwards, { value: '{"a":[1]}' }, 'the policy keeps working after errors');
});

test('invalid policies are rejected with invalid_policy (offset into the selection)', async () => {
  const r = await inPage((t) => {
    const cases = [
      { version: 1, select: 'a,(b' },
      { version: 2, select: 'a' },
      { version: 1 },
      { version: 1, select: 'a', extra: true },
      { version: 1, resources: { ticket: 'id', widget: 'id' } },
      '{"version":1,',
      17,
    ];
    return cases.map((policy) => t.captureSync(() => t.ld.compile(policy)));
  });
  assertError(r[0], 'invalid_policy', 2);
  for (const result of r.slice(1)) assertError(result, 'invalid_policy');
});

test('the access report aggregates ledgers by path and resource, without values', async () => {
  const report = await inPage(async (t, { policy, payload }) => {
    const ld = await t.load();
    const compiled = ld.compile(policy);
    compiled.filter(payload);
    compiled.filterWithLedger(new TextEncoder().encode(payload));
    t.captureSync(() => compiled.filter('{'));
    const result = ld.accessReport();
    ld.dispose();
    return result;
  }, { policy: ticketPolicy, payload });
  assert.equal(report.calls, 2, 'a failing call is not counted');
  assert.equal(report.fields_kept, 14);
  assert.equal(report.fields_dropped, 6);
  assert.equal(report.bytes_in, 2 * Buffer.byteLength(payload));
  assert.equal(report.bytes_out, 2 * Buffer.byteLength(expected));
  assert.equal(report.kept_paths['tickets[].subject'], 2);
  assert.equal(report.by_resource.ticket.fields_kept, 8);
  assert.equal(report.by_resource.user.fields_kept, 4);
  assert.equal(report.by_resource.other.fields_kept, 2);
  const text = JSON.stringify(report);
  for (const value of ['Printer', 'gold', 'Ana', 'ana@example.com', 'internal', '1234567']) {
    assert.ok(!text.includes(value), `report must not contain the value ${value}`);
  }
});

test('dispose makes policies and the instance unusable and zeroes linear memory', async () => {
  const r = await inPage(async (t, { policy, payload }) => {
    const ld = await t.load();
    const compiled = ld.compile(policy);
    const before = compiled.filter(payload);
    const memory = ld.wasmMemory;
    const isMemory = memory instanceof WebAssembly.Memory;
    compiled.dispose();
    compiled.dispose(); // idempotent
    const afterPolicyDispose = t.captureSync(() => compiled.filter(payload));
    const other = ld.compile(policy);
    ld.dispose();
    ld.dispose(); // idempotent
    return {
      before,
      isMemory,
      afterPolicyDispose,
      afterDispose: t.captureSync(() => other.filter(payload)),
      compileAfterDispose: t.captureSync(() => ld.compile(policy)),
      zeroed: new Uint8Array(memory.buffer).every((b) => b === 0),
    };
  }, { policy: ticketPolicy, payload });
  assert.equal(r.before, expected);
  assert.equal(r.isMemory, true, 'ld.wasmMemory is a WebAssembly.Memory');
  assertError(r.afterPolicyDispose, 'disposed');
  assertError(r.afterDispose, 'disposed');
  assertError(r.compileAfterDispose, 'disposed');
  assert.equal(r.zeroed, true, 'all of linear memory is zero after ld.dispose()');
});

test('mixed good and bad calls do not grow wasm memory; deep input is depth_limit', async () => {
  const r = await inPage((t, { policy, payload }) => {
    const compiled = t.ld.compile(policy);
    const inputs = [payload, '{"tickets":[', '{"a":1,"a":2}', new TextEncoder().encode(payload), '[]', 'null'];
    const run = () => {
      for (const input of inputs) {
        try {
          compiled.filter(input);
        } catch (error) {
          if (error.name !== 'LeastDataError') throw error;
        }
      }
    };
    for (let i = 0; i < 100; i++) run();
    const before = t.ld.wasmMemory.buffer.byteLength;
    for (let i = 0; i < 1000; i++) run();
    const after = t.ld.wasmMemory.buffer.byteLength;
    compiled.dispose();
    const shallow = t.ld.compile({ version: 1, select: 'a' });
    const deep = t.captureSync(() => shallow.filter('['.repeat(10000)));
    const still = shallow.filter('{"a":[1]}');
    shallow.dispose();
    return { before, after, deep, still };
  }, { policy: ticketPolicy, payload });
  assert.equal(r.after, r.before, 'linear memory size is stable');
  assertError(r.deep, 'depth_limit', 64);
  assert.equal(r.still, '{"a":[1]}');
});

test('load() accepts the module as URL, string, ArrayBuffer, Uint8Array and Response', async () => {
  const r = await inPage(async (t, { policy, payload }) => {
    const url = new URL('/dist/leastdata.wasm', location.href);
    const bytes = await (await fetch(url)).arrayBuffer();
    const sources = {
      default: undefined,
      url,
      string: url.href,
      arrayBuffer: bytes,
      uint8Array: new Uint8Array(bytes),
      response: await fetch(url),
      untypedResponse: new Response(bytes), // no application/wasm type: not streamed
      untypedUrl: new URL('/untyped.wasm', location.href),
    };
    const results = {};
    for (const [name, wasm] of Object.entries(sources)) {
      results[name] = await t.capture(async () => {
        const ld = await t.load(wasm === undefined ? undefined : { wasm });
        const out = ld.compile(policy).filter(payload);
        ld.dispose();
        return out;
      });
    }
    return results;
  }, { policy: ticketPolicy, payload });
  for (const [name, result] of Object.entries(r)) {
    assert.deepEqual(result, { value: expected }, `load({ wasm: ${name} })`);
  }
});

test('a failing load rejects with load_failed instead of hanging', async () => {
  const before = session().errors.length;
  const r = await inPage(async (t, closedOrigin) => {
    const settle = (promise) =>
      Promise.race([
        t.capture(() => promise),
        new Promise((resolve) => setTimeout(() => resolve({ hung: true }), 10_000)),
      ]);
    return {
      notFound: await settle(t.load({ wasm: new URL('/no/such/leastdata.wasm', location.href) })),
      notFoundResponse: await settle(t.load({ wasm: await fetch('/no/such/leastdata.wasm') })),
      notWasmUrl: await settle(t.load({ wasm: new URL('/garbage.wasm', location.href) })),
      notWasmBytes: await settle(t.load({ wasm: new TextEncoder().encode('not wasm').buffer })),
      unreachable: await settle(t.load({ wasm: `${closedOrigin}/leastdata.wasm` })),
    };
  }, closedOrigin);
  for (const [name, result] of Object.entries(r)) {
    assert.ok(!result.hung, `${name}: load() settled`);
    assertError(result, 'load_failed');
  }
  assert.match(r.notFound.error.message, /404/);
  // The browser logs the failed requests themselves; nothing else may be logged.
  assert.deepEqual(
    unexpected(session().errors.slice(before), [/Failed to load resource/, /ERR_CONNECTION_REFUSED/]),
    [],
  );
});

test('no page errors or console errors during the session', () => {
  assert.deepEqual(
    unexpected(session().errors, [/Failed to load resource/, /ERR_CONNECTION_REFUSED/]),
    [],
  );
});
