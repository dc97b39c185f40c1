// Cold start in Node: each sample is a fresh `node` process (bench/cold-start-child.js),
// so nothing — compiled wasm, module cache, JIT state — carries over between samples.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { mediansOf } from './timing.js';
import { WORKLOADS } from './workloads.js';

const CHILD = fileURLToPath(new URL('./cold-start-child.js', import.meta.url));
export const COLD_START_WORKLOAD = 'tickets-policy';

/** Median timings over `samples` fresh processes, with the samples. */
export function coldStartNode({ samples, dir, log }) {
  log(`cold start node: ${samples} fresh processes`);
  const input = join(dir, 'cold-start-10KB.json');
  writeFileSync(input, WORKLOADS[COLD_START_WORKLOAD].generate(10_000));
  const runs = [];
  for (let i = 0; i < samples; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [CHILD, input, COLD_START_WORKLOAD], { encoding: 'utf8' })));
  }
  return mediansOf(runs);
}
