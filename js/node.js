// Entry point for Node: reads the .wasm that ships beside this file (Node's global
// fetch cannot load file: URLs, which is the Emscripten 3.1.6 trap DESIGN §1 names).
import { readFile } from 'node:fs/promises';

import createLeastDataModule from './leastdata.mjs';
import { LeastData } from './api.js';
import { LeastDataError } from './errors.js';

export { LeastDataError };

/**
 * @param {{ wasm?: URL | string | ArrayBuffer | Uint8Array | Response }} [options]
 */
export async function load(options = {}) {
  let wasmBinary;
  try {
    wasmBinary = await wasmBytes(options.wasm ?? new URL('./leastdata.wasm', import.meta.url));
  } catch (error) {
    if (error instanceof LeastDataError) throw error;
    throw new LeastDataError('load_failed', `could not read leastdata.wasm: ${error.message}`);
  }
  const module = await createLeastDataModule({ wasmBinary });
  return new LeastData(module, decodeUtf8);
}

// Node's TextDecoder goes through ICU for non-ASCII text; Buffer's decoder is several
// times faster, and the view is decoded without a copy.
function decodeUtf8(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

async function wasmBytes(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  // Locations are told apart before `Response` is touched: reading that global makes Node
  // load its fetch implementation (undici), which cost a cold start more than compiling
  // and instantiating the module (about 50 ms of 76, measured by bench/cold-start.js).
  const isLocation = source instanceof URL || typeof source === 'string';
  if (!isLocation && typeof Response !== 'undefined' && source instanceof Response) return source.arrayBuffer();
  const url = source instanceof URL ? source : new URL(String(source), `file://${process.cwd()}/`);
  if (url.protocol === 'file:') return readFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new LeastDataError('load_failed', `fetching ${url} gave HTTP ${response.status}`);
  return response.arrayBuffer();
}
