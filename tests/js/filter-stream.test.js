// filterStream / filterParsedStream: a Response body or a byte stream read chunk by chunk
// into wasm memory. Checked the ways it can go wrong: the result must equal the call on the
// whole bytes; every chunk is zeroed and nothing of the payload stays in wasm memory; a
// stream over the limit, cut short, failing or disposed under it gives a stable error and
// no partial result, and is not read further.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import { load, LeastDataError } from '../../dist/node.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { auditPayload, auditPolicy, DROPPED, KEPT, PREDICATE } from '../fixtures/samples.js';

const ld = await load();
const tickets = WORKLOADS.tickets;
const encoder = new TextEncoder();

// A stream of `chunks` that records how many were pulled and whether it was cancelled.
function recordedStream(chunks) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream({
    pull(controller) {
      if (seen.pulled === chunks.length) return controller.close();
      controller.enqueue(chunks[seen.pulled++]);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function split(bytes, size) {
  const chunks = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
  return chunks;
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof LeastDataError, `a LeastDataError, got ${error}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

function memoryHolds(marker) {
  return Buffer.from(ld.wasmMemory.buffer).includes(Buffer.from(marker));
}

// The test server: payloads over real HTTP, in small writes, and one that breaks off.
let server;
let origin;
const served = encoder.encode(tickets.generate(2_000_000));
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/tickets') {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const chunk of split(served, 7_919)) res.write(chunk);
      return res.end();
    }
    if (req.url === '/broken') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(served.length) });
      res.write(served.subarray(0, 100_000), () => res.destroy());
      return undefined;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

test('a fetched response gives what filter and filterParsed give for its whole bytes', async () => {
  const policy = ld.compile(tickets.policy);
  const expectedText = policy.filter(served);
  const expectedValue = policy.filterParsed(served);
  assert.equal(await policy.filterStream(await fetch(`${origin}/tickets`)), expectedText);
  assert.deepEqual(await policy.filterParsedStream(await fetch(`${origin}/tickets`)), expectedValue);
  policy.dispose();
});

test('any chunking, one byte up to the whole, with and without a length hint, counts once in the report', async () => {
  const policy = ld.compile(tickets.policy);
  const bytes = encoder.encode(tickets.generate(200_000));
  const expected = policy.filter(bytes);
  for (const size of [1, 3, 4096, 65_536, 65_537, bytes.length]) {
    const before = ld.accessReport().calls;
    const { stream } = recordedStream(split(bytes, size));
    assert.equal(await policy.filterStream(stream), expected, `chunks of ${size}`);
    assert.equal(ld.accessReport().calls, before + 1, 'one call in the access report');
  }
  const withLength = new Response(bytes, { headers: { 'content-length': String(bytes.length) } });
  assert.equal(await policy.filterStream(withLength), expected);
  policy.dispose();
});

test('every chunk is zeroed after its copy, and no payload byte stays in wasm memory', async () => {
  const policy = ld.compile(auditPolicy);
  const bytes = encoder.encode(auditPayload(2000));
  const chunks = split(bytes, 10_000);
  const output = await policy.filterStream(recordedStream(chunks).stream);
  assert.ok(output.includes(KEPT) && !output.includes(DROPPED), 'the policy keeps and drops the markers');
  assert.ok(chunks.every((chunk) => chunk.every((byte) => byte === 0)), 'every chunk was zeroed');
  for (const marker of [KEPT, DROPPED, PREDICATE]) assert.equal(memoryHolds(marker), false, `${marker} left in wasm memory`);

  const kept = split(bytes, 10_000);
  await policy.filterStream(recordedStream(kept).stream, { wipeInput: false });
  assert.deepEqual(Buffer.concat(kept), Buffer.from(bytes), 'wipeInput: false leaves the chunks');
  policy.dispose();
});

test('over max_input_bytes: refused at the chunk that crosses it, the stream cancelled and wiped', async () => {
  const limit = 50_000;
  const policy = ld.compile({ ...auditPolicy, limits: { max_input_bytes: limit } });
  const bytes = encoder.encode(auditPayload(500));
  assert.ok(bytes.length > 2 * limit);
  const chunks = split(bytes, 8_000);
  const { stream, seen } = recordedStream(chunks);
  await rejectsWith(policy.filterParsedStream(stream), 'size_limit');
  const crossing = Math.ceil((limit + 1) / 8_000);
  // A ReadableStream queues one chunk ahead of its reader.
  assert.ok(seen.pulled <= crossing + 1, `nothing was read after the crossing chunk (${seen.pulled} pulled)`);
  assert.equal(seen.cancelled, true, 'the stream was cancelled');
  assert.ok(chunks.slice(0, crossing).every((chunk) => chunk.every((byte) => byte === 0)), 'the chunks read were zeroed');
  for (const marker of [KEPT, DROPPED]) assert.equal(memoryHolds(marker), false, `${marker} left in wasm memory`);

  // A Content-Length over the limit is refused before the body is read.
  const declared = recordedStream(split(bytes, 8_000));
  const response = new Response(declared.stream, { headers: { 'content-length': String(bytes.length) } });
  await rejectsWith(policy.filterStream(response), 'size_limit');
  assert.equal(declared.seen.pulled <= 1, true, 'at most the first chunk was buffered by the Response');
  policy.dispose();
});

test('a body cut short: a failed stream is invalid_response, a clean early end is invalid_json; never partial output', async () => {
  const policy = ld.compile(tickets.policy);
  const before = ld.accessReport().calls;
  await rejectsWith(policy.filterStream(await fetch(`${origin}/broken`)), 'invalid_response');

  const failing = new ReadableStream({
    start(controller) {
      controller.enqueue(served.slice(0, 5000));
      controller.error(new Error('connection reset'));
    },
  });
  await rejectsWith(policy.filterParsedStream(failing), 'invalid_response');

  const truncated = recordedStream(split(served.slice(0, served.length - 10), 100_000));
  await rejectsWith(policy.filterStream(truncated.stream), 'invalid_json');
  assert.equal(ld.accessReport().calls, before, 'failed calls record no ledger');
  policy.dispose();
});

test('misuse: a used body, a locked stream, non-byte chunks, a value that is no stream', async () => {
  const policy = ld.compile(tickets.policy);
  const used = new Response('{"tickets":[]}');
  await used.text();
  await rejectsWith(policy.filterStream(used), 'invalid_argument');
  const locked = new ReadableStream();
  locked.getReader();
  await rejectsWith(policy.filterStream(locked), 'invalid_argument');
  const strings = recordedStream(['{"tickets":', '[]}']);
  await rejectsWith(policy.filterStream(strings.stream), 'invalid_argument');
  assert.equal(strings.seen.cancelled, true);
  await rejectsWith(policy.filterStream('{"tickets":[]}'), 'invalid_argument');
  assert.equal(await policy.filterStream(new Response(null, { status: 200 })).catch((error) => error.code), 'invalid_json');
  policy.dispose();
});

test('disposed while the stream is read: rejected with disposed, and nothing is filtered', async () => {
  const own = await load();
  const policy = own.compile(tickets.policy);
  let release;
  const gate = new Promise((resolve) => {
    release = resolve;
  });
  const stream = new ReadableStream({
    async pull(controller) {
      controller.enqueue(served.slice(0, 1000));
      await gate;
      controller.enqueue(served.slice(1000));
      controller.close();
    },
  });
  const pending = policy.filterStream(stream);
  await new Promise((resolve) => setTimeout(resolve, 10));
  policy.dispose();
  release();
  await rejectsWith(pending, 'disposed');

  const policy2 = own.compile(tickets.policy);
  const pending2 = policy2.filterStream(new Response(served));
  own.dispose();
  await rejectsWith(pending2, 'disposed');
  assert.ok(new Uint8Array(own.wasmMemory.buffer).every((byte) => byte === 0), 'all of linear memory zeroed');
});
