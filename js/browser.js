// Entry point for browsers and bundlers: the .wasm is located next to this module with
// new URL(..., import.meta.url), which Vite and other bundlers rewrite to the emitted
// asset. Compiling needs only CSP 'wasm-unsafe-eval'; the glue has no eval.
import createLeastDataModule from './leastdata.mjs';
import { LeastData } from './api.js';
import { LeastDataError } from './errors.js';

export { LeastDataError };

/**
 * @param {{ wasm?: URL | string | ArrayBuffer | Uint8Array | Response }} [options]
 */
export async function load(options = {}) {
  const source = options.wasm ?? new URL('./leastdata.wasm', import.meta.url);
  // The glue's factory never settles when instantiation fails inside instantiateWasm,
  // so a failure is raced against it.
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  const created = createLeastDataModule({
    instantiateWasm(imports, receive) {
      instantiate(source, imports).then(
        ({ instance, module }) => receive(instance, module),
        (error) => fail(new LeastDataError('load_failed', `could not load leastdata.wasm: ${error.message}`)),
      );
      return {};
    },
  });
  return new LeastData(await Promise.race([created, failed]));
}

async function instantiate(source, imports) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.instantiate(source, imports);
  }
  const response = source instanceof Response ? source : await fetch(source, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (WebAssembly.instantiateStreaming && (response.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
