// What a page downloads: the .wasm and its Emscripten glue, raw, gzip (level 9) and
// brotli (quality 11), and the whole module graph of the browser entry, beside the
// published size of libsodium-wrappers (the comparison the issue asks for).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

// "The complete library weights 188 Kb (minified, gzipped, includes pure js + webassembly
// versions)" — README of libsodium.js, https://github.com/jedisct1/libsodium.js#readme
export const LIBSODIUM_WRAPPERS = {
  gzip_bytes: 188 * 1024,
  source: 'libsodium.js README (https://github.com/jedisct1/libsodium.js): "The complete library weights 188 Kb (minified, gzipped, includes pure js + webassembly versions)"',
};

function sizes(file) {
  const bytes = readFileSync(DIST + file);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

// dist/browser.js and the relative modules it imports, transitively.
function browserGraph(entry = 'browser.js', seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(DIST + entry, 'utf8');
  for (const m of source.matchAll(/\bfrom\s+['"]\.\/([^'"]+)['"]/g)) browserGraph(m[1], seen);
  return seen;
}

const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

export function packageSize({ log }) {
  log('package size: dist/leastdata.wasm, dist/leastdata.mjs, the browser module graph');
  const wasm = sizes('leastdata.wasm');
  const glue = sizes('leastdata.mjs');
  const graph = [...browserGraph()].sort();
  const files = Object.fromEntries(graph.map((f) => [f, sizes(f)]));
  files['leastdata.wasm'] = wasm;
  return {
    wasm,
    glue,
    wasm_plus_glue: add(wasm, glue),
    browser_total: Object.values(files).reduce(add),
    browser_files: files,
    libsodium_wrappers: LIBSODIUM_WRAPPERS,
  };
}
