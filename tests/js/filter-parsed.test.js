// filterParsed: the filter's output parsed where it lies in wasm memory, in pieces when it
// is large (js/parse-output.js). Whatever the shape and size, the value must be the one
// JSON.parse gives for filter()'s text (member order included), with integers JSON.parse
// would round kept as exact digit strings, and the call must count in the access report
// exactly as filter() does.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { load, LeastDataError } from '../../dist/node.js';
import { parseKeepingIds } from '../../dist/parse-keeping-ids.js';
import { PIECE_BYTES } from '../../dist/parse-output.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { ticketPayload, ticketPolicy } from '../fixtures/samples.js';

const ld = await load();

// Same value and same member order as parsing the text whole.
function assertSameAsText(policy, input, context) {
  const text = policy.filter(input);
  const value = policy.filterParsed(input);
  assert.deepStrictEqual(value, parseKeepingIds(text), context);
  assert.equal(JSON.stringify(value), JSON.stringify(parseKeepingIds(text)), `${context}: member order`);
  return text;
}

test('every benchmark workload, below and far above a piece, from bytes and from a string', () => {
  for (const [name, workload] of Object.entries(WORKLOADS)) {
    const policy = ld.compile(workload.policy);
    for (const size of [10_000, 300_000, 2_000_000]) {
      const text = workload.generate(size);
      const output = assertSameAsText(policy, new TextEncoder().encode(text), `${name} ${size} bytes`);
      assertSameAsText(policy, text, `${name} ${size} string`);
      if (size === 2_000_000) assert.ok(Buffer.byteLength(output) > 4 * PIECE_BYTES, `${name}: the output spans several pieces`);
    }
    policy.dispose();
  }
});

test('large outputs of every shape: root arrays, objects keyed by ID, one element larger than a piece', () => {
  const policy = ld.compile({ version: 1, select: '*' });
  const long = 'é😀"\\\n'.repeat(PIECE_BYTES / 4);
  const shapes = {
    'root array': Array.from({ length: 3000 }, (_, i) => ({ id: i, s: `t${i}` })),
    'root array of scalars and empty containers': Array.from({ length: 20000 }, (_, i) => [i, 'x', {}, [], null, true][i % 6]),
    'object keyed by ID': { fields: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [String(9000 - i), { v: i }])), n: 1 },
    'object with __proto__ members': { __proto__: null, a: Object.fromEntries([['__proto__', 1], ...Array.from({ length: 4000 }, (_, i) => [`k${i}`, i])]) },
    'one element larger than a piece': { list: [1, { text: long }, 2], tail: [long, long] },
    'scalars at depth one around a large array': { first: 'a', list: Array.from({ length: 10000 }, (_, i) => i * 1.5), last: false },
  };
  for (const [name, value] of Object.entries(shapes)) {
    const text = assertSameAsText(policy, JSON.stringify(value), name);
    assert.ok(Buffer.byteLength(text) > PIECE_BYTES, `${name}: larger than a piece`);
  }
  const parsed = policy.filterParsed('{"a":{"__proto__":{"x":1},' + Array.from({ length: 4000 }, (_, i) => `"k${i}":${i}`).join(',') + '}}');
  assert.ok(Object.hasOwn(parsed.a, '__proto__'), 'a member named __proto__ is a member');
  assert.equal(Object.getPrototypeOf(parsed.a), Object.prototype);
  policy.dispose();
});

test('integers beyond 2^53 stay exact as digit strings, in small and in large outputs', () => {
  const policy = ld.compile({ version: 1, resources: { ticket: 'id,external_id,subject' } });
  const big = '12345678901234567890';
  const small = `{"tickets":[{"id":${big},"external_id":9007199254740991,"subject":"call 1234567890123456789"}]}`;
  assert.deepStrictEqual(policy.filterParsed(small), {
    tickets: [{ id: big, external_id: 9007199254740991, subject: 'call 1234567890123456789' }],
  });
  const rows = Array.from({ length: 3000 }, (_, i) => `{"id":${i === 2500 ? big : i},"subject":"s${i}"}`);
  const value = policy.filterParsed(`{"tickets":[${rows.join(',')}]}`);
  assert.equal(value.tickets[2500].id, big);
  assert.equal(value.tickets[2499].id, 2499);
  policy.dispose();
});

test('counts in the access report as filter() does, and fails as filter() does', async () => {
  const session = await load();
  const policy = session.compile(ticketPolicy);
  policy.filter(ticketPayload);
  const afterFilter = structuredClone(session.accessReport());
  policy.filterParsed(ticketPayload);
  const afterBoth = session.accessReport();
  assert.equal(afterBoth.calls, 2 * afterFilter.calls);
  assert.equal(afterBoth.fields_kept, 2 * afterFilter.fields_kept);
  assert.equal(afterBoth.fields_dropped, 2 * afterFilter.fields_dropped);
  assert.equal(afterBoth.bytes_out, 2 * afterFilter.bytes_out);
  for (const input of ['{', '{"tickets":[1,]}', '[1] x']) {
    const expected = captureError(() => policy.filter(input));
    const actual = captureError(() => policy.filterParsed(input));
    assert.ok(actual instanceof LeastDataError, input);
    assert.equal(actual.code, expected.code, input);
    assert.equal(actual.offset, expected.offset, input);
  }
  session.dispose();
});

function captureError(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
