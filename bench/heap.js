// JS heap growth per call on the largest size, in Node (a fresh `node --expose-gc` process,
// bench/heap-child.js); the Chromium counterpart is heapChromium() in bench/chromium.js.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./heap-child.js', import.meta.url));

export function heapNode({ workload, size, samples, log }) {
  log(`heap node ${workload} ${size.label}: ${samples} samples per contender`);
  const out = execFileSync(process.execPath, ['--expose-gc', CHILD, workload, String(size.bytes), String(samples)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out);
}
