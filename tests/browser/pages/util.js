// Page-side helpers for the browser tests (imported inside Chromium pages). Everything
// returns plain data, so the Node side can assert on it with node:assert.

let errorClass = null;
/** Makes describeError check `instanceof` this class (the package's LeastDataError). */
export function useErrorClass(cls) {
  errorClass = cls;
}

/** A thrown value as plain data (LeastDataError fields kept). */
export function describeError(error) {
  return {
    name: error?.name,
    code: error?.code,
    message: String(error?.message ?? error),
    offset: error?.offset,
    hasOffset: error !== null && typeof error === 'object' && 'offset' in error,
    isLeastDataError: errorClass ? error instanceof errorClass : error?.name === 'LeastDataError',
  };
}

/** Runs `fn` (sync or async): `{ value }` or `{ error }`. */
export async function capture(fn) {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** Runs a synchronous `fn`: `{ value }` or `{ error }`. */
export function captureSync(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** Every offset at which `needle` (bytes) occurs in `haystack`. */
export function indexesOf(haystack, needle) {
  const found = [];
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) found.push(i);
  }
  return found;
}

/**
 * Scans a WebAssembly.Memory (a fresh view of its current buffer) for the UTF-8 bytes of
 * each marker; returns "marker at offset" for every hit.
 */
export function findMarkers(memory, markers) {
  const bytes = new Uint8Array(memory.buffer);
  const encoder = new TextEncoder();
  const found = [];
  for (const marker of markers) {
    for (const at of indexesOf(bytes, encoder.encode(marker))) found.push(`${marker} at ${at}`);
  }
  return found;
}

/** The browser storage a page can see, for the persistence checks. */
export async function storageSnapshot() {
  const list = (storage) => {
    const entries = {};
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      entries[key] = storage.getItem(key);
    }
    return entries;
  };
  return {
    localStorage: list(localStorage),
    sessionStorage: list(sessionStorage),
    indexedDB: (await indexedDB.databases()).map((db) => db.name),
    cacheStorage: await caches.keys(),
    cookie: document.cookie,
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
  };
}
