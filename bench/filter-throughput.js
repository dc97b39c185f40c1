// Filter throughput on one generated ticket list: the wasm module from bytes and from a
// string (Node), and the native build of the same core. Median of repeated runs, MB/s.
//   node bench/filter-throughput.js [SIZE_BYTES]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { load } from '../dist/node.js';
import { sidebarPolicy, ticketList } from './payloads.js';

const size = Number(process.argv[2] ?? 1_000_000);
const text = ticketList(size);
const bytes = new TextEncoder().encode(text);
const mb = bytes.length / 1e6;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(run, minSeconds = 1) {
  for (let i = 0; i < 5; i++) run(); // warm up
  const times = [];
  const until = performance.now() + minSeconds * 1000;
  while (performance.now() < until || times.length < 10) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return mb / (median(times) / 1000);
}

const ld = await load();
const policy = ld.compile(sidebarPolicy);
const results = {
  bytes: bytes.length,
  wasm_from_bytes_mb_s: measure(() => policy.filter(bytes)),
  wasm_from_string_mb_s: measure(() => policy.filter(text)),
};

const dir = mkdtempSync(join(tmpdir(), 'leastdata-bench-'));
writeFileSync(join(dir, 'policy.json'), JSON.stringify(sidebarPolicy));
writeFileSync(join(dir, 'input.json'), bytes);
const nativeCli = new URL('../build/native/leastdata_native', import.meta.url).pathname;
const repeat = Math.max(10, Math.round(2000 / mb));
const native = spawnSync(
  nativeCli,
  ['filter', '--policy', join(dir, 'policy.json'), '--repeat', String(repeat), join(dir, 'input.json')],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
if (native.status !== 0) throw new Error(`${nativeCli} failed: ${native.stderr}`);
results.native_mb_s = Number(native.stderr.toString().split(' ')[0]); // "123.4 MB/s (...)"
results.wasm_vs_native = results.wasm_from_bytes_mb_s / results.native_mb_s;

for (const [key, value] of Object.entries(results)) {
  console.log(`${key.padEnd(24)} ${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : value}`);
}
