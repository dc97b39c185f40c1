// The module supports C++ exceptions only for Botan (JS-emulated: every call that may throw
// from a frame with cleanups leaves wasm for an `invoke_*` function of the glue and comes
// back). leastdata's own sources are built without exceptions (CMakeLists.txt), so compiling
// a policy, filtering, checking requests and redacting must make no such crossing. Counted on
// the real module: every import of the glue is wrapped, and the invoke_* ones counted.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import createLeastDataModule from '../../dist/leastdata.mjs';
import { LeastData } from '../../dist/api.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { ticketPayload, ticketPolicy } from '../fixtures/samples.js';

const wasm = await readFile(new URL('../../dist/leastdata.wasm', import.meta.url));
const crossings = new Map();
const module = await createLeastDataModule({
  instantiateWasm(imports, receive) {
    for (const namespace of Object.values(imports)) {
      for (const [key, value] of Object.entries(namespace)) {
        // The glue's import keys are minified; its functions keep their names.
        if (typeof value !== 'function' || !value.name.startsWith('invoke_')) continue;
        namespace[key] = function counted(...args) {
          crossings.set(value.name, (crossings.get(value.name) ?? 0) + 1);
          return value.apply(this, args);
        };
      }
    }
    WebAssembly.instantiate(wasm, imports).then(({ instance, module: compiled }) => receive(instance, compiled));
    return {};
  },
});
const ld = new LeastData(module);

function crossingsDuring(work) {
  crossings.clear();
  work();
  return Object.fromEntries(crossings);
}

test('the glue has invoke_* trampolines, and the counter sees them (Botan: pseudonyms)', () => {
  ld.setPseudonymKey(new Uint8Array(32).fill(7));
  const counted = crossingsDuring(() => ld.redact('mail jane@example.com', { detect: 'email', action: 'pseudonym' }));
  assert.ok(Object.keys(counted).length > 0, 'pseudonyms go through Botan, built with exceptions');
});

test('compile, filter, filterParsed, checkRequest and redact make no exception trampoline crossing', () => {
  const counted = crossingsDuring(() => {
    for (const workload of Object.values(WORKLOADS)) {
      const policy = ld.compile(workload.policy);
      const text = workload.generate(50_000);
      policy.filter(text);
      policy.filterParsed(new TextEncoder().encode(text));
      policy.dispose();
    }
    const policy = ld.compile({ ...ticketPolicy, requests: ['GET /api/v2/tickets/{id}.json', 'PUT /api/v2/tickets/{id}.json'], write: { resources: { ticket: 'status' } } });
    policy.filterWithLedger(ticketPayload);
    policy.checkRequestPattern('PUT', '/api/v2/tickets/1.json', '{"ticket":{"status":"solved"}}');
    policy.checkRequestPattern('GET', '/api/v2/users/1.json');
    assert.throws(() => policy.filter('{"tickets":[{"id":1,"id":2}'));
    policy.dispose();
    assert.throws(() => ld.compile('{"version":1,"select":"a("}'));
    ld.redact('Call +49 30 1234567 or mail jane@example.com, card 4111 1111 1111 1111', { action: 'label' });
  });
  assert.deepEqual(counted, {});
});
