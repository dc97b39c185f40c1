// "Processed transiently" from the browser's side: after a session of calls the page's
// origin has nothing stored — no localStorage, sessionStorage, IndexedDB, Cache Storage,
// cookies or service worker. A control writes to each store and checks the same
// snapshot sees it, so the check itself can fail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchChromium, startServer } from './harness.js';
import { openPage, PACKAGE_HINT, requireBuilt, unexpected } from './support.js';

const EMPTY = { localStorage: {}, sessionStorage: {}, indexedDB: [], cacheStorage: [], cookie: '', serviceWorkers: [] };

let server;
let browser;
before(async () => {
  requireBuilt(['dist/browser.js', 'dist/leastdata.mjs', 'dist/leastdata.wasm'], PACKAGE_HINT);
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function snapshot(session) {
  return {
    page: await session.page.evaluate(async () => (await import('/tests/browser/pages/util.js')).storageSnapshot()),
    cookies: await session.context.cookies(),
  };
}

test('a session of calls leaves no storage, cookies or caches behind', async () => {
  const session = await openPage(browser);
  await session.page.goto(`${server.origin}/tests/browser/pages/blank.html`);
  const calls = await session.page.evaluate(async () => {
    const { load } = await import('/dist/browser.js');
    const { captureSync } = await import('/tests/browser/pages/util.js');
    const payload = JSON.stringify({
      tickets: [{ id: 1, subject: 'Printer on fire', description: 'call +49 30 1234567', requester_id: 7 }],
      users: [{ id: 7, name: 'Ana', email: 'ana@example.com' }],
    });
    const results = [];
    for (let round = 0; round < 2; round++) {
      // a second load in the same page: nothing cached between instances either
      const ld = await load();
      const policy = ld.compile({ version: 1, name: 'sidebar', resources: { ticket: 'id,subject', user: 'id,name' } });
      results.push(policy.filter(payload));
      results.push(policy.filterWithLedger(new TextEncoder().encode(payload), { wipeInput: true }).ledger.fields_kept);
      results.push(captureSync(() => policy.filter('{"tickets":[')).error?.code);
      results.push(captureSync(() => ld.compile({ version: 1, select: 'a,(' })).error?.code);
      results.push(ld.accessReport().calls);
      policy.dispose();
      ld.dispose();
    }
    return results;
  });
  const filtered = '{"tickets":[{"id":1,"subject":"Printer on fire"}],"users":[{"id":7,"name":"Ana"}]}';
  assert.deepEqual(calls, [filtered, 4, 'invalid_json', 'invalid_policy', 2, filtered, 4, 'invalid_json', 'invalid_policy', 2]);

  // Also after a reload: nothing was written that the next page of the origin could read.
  const inPage = await snapshot(session);
  await session.page.reload();
  const afterReload = await snapshot(session);
  const errors = unexpected(session.errors);
  await session.close();

  assert.deepEqual(inPage.page, EMPTY);
  assert.deepEqual(inPage.cookies, []);
  assert.deepEqual(afterReload.page, EMPTY);
  assert.deepEqual(afterReload.cookies, []);
  assert.deepEqual(errors, []);
});

test('control: the snapshot sees data written to each store', async () => {
  const session = await openPage(browser);
  await session.page.goto(`${server.origin}/tests/browser/pages/blank.html`);
  await session.page.evaluate(async () => {
    localStorage.setItem('l', '1');
    sessionStorage.setItem('s', '2');
    await new Promise((resolve, reject) => {
      const request = indexedDB.open('control-db');
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    await caches.open('control-cache');
    document.cookie = 'control=3; path=/';
  });
  const seen = await snapshot(session);
  await session.close();
  assert.deepEqual(seen.page, {
    localStorage: { l: '1' },
    sessionStorage: { s: '2' },
    indexedDB: ['control-db'],
    cacheStorage: ['control-cache'],
    cookie: 'control=3',
    serviceWorkers: [],
  });
  assert.deepEqual(seen.cookies.map((c) => `${c.name}=${c.value}`), ['control=3']);
});
