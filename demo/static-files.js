// Serving files from disk on the loopback servers of the demo and of the browser tests:
// the content types they need, a path check that keeps requests inside a folder, and a
// no-store response (a stale cached .wasm must never mask a rebuilt one).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Resolves `relative` inside `base`, or undefined when it would escape it. */
export function inside(base, relative) {
  const path = normalize(join(base, relative));
  return path.startsWith(base.endsWith(sep) ? base : base + sep) ? path : undefined;
}

/** Sends the file at `path` with `headers`; calls `onMissing(res)` when it is not a file. */
export async function sendFile(res, path, headers, onMissing) {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    });
    createReadStream(path).pipe(res);
  } catch {
    onMissing(res);
  }
}
