// Timing shared by Node and the Chromium page: interleaved rounds, so every contender of
// a comparison sees the same machine state and the ratios come from the same run.

/** The median of numbers (the mean of the two middle values for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0..100), nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Times contenders (id → function) in rounds. Each contender is first warmed up (at least
 * `warmupCalls` calls and `warmupMs`) and its batch sized (about `batchMs` of calls, at
 * least one), then every round runs each contender's batch in a rotating order, after a
 * full GC when `gc` is given, so no contender pays for the garbage of another. Stops after
 * `minRounds` rounds once `minTimeMs` per contender has been spent.
 * @returns {Promise<Record<string, { median_ms: number, p25_ms: number, p75_ms: number, samples: number }>>}
 *   per contender: the median (and quartiles) over rounds of the time per call
 */
export function timeInterleaved(contenders, options = {}) {
  // Synchronous calls: a batch runs without yielding, so no await sits between two calls.
  return timeBatches(Object.keys(contenders), (id, calls) => {
    const run = contenders[id];
    for (let i = 0; i < calls; i++) run();
  }, options);
}

/**
 * As timeInterleaved, for contenders whose calls return promises (each fetches its input):
 * a batch awaits its calls one after another.
 */
export function timeInterleavedAsync(contenders, options = {}) {
  return timeBatches(Object.keys(contenders), async (id, calls) => {
    const run = contenders[id];
    for (let i = 0; i < calls; i++) await run();
  }, options);
}

// The rounds of timeInterleaved: `runBatch(id, calls)` runs `calls` calls of one contender.
async function timeBatches(ids, runBatch, options) {
  const { minTimeMs = 1000, minRounds = 5, batchMs = 50, warmupCalls = 3, warmupMs = 100, gc } = options;
  const callsPerBatch = {};
  for (const id of ids) {
    let calls = 0;
    const start = performance.now();
    while (calls < warmupCalls || performance.now() - start < warmupMs) {
      await runBatch(id, 1);
      calls++;
    }
    // Sized after the warm-up (the first calls, compiling and tiering up, would undersize
    // it), and resized after every batch.
    calls = 0;
    const batchStart = performance.now();
    while (performance.now() - batchStart < batchMs) {
      await runBatch(id, 1);
      calls++;
    }
    callsPerBatch[id] = calls;
  }
  const samples = Object.fromEntries(ids.map((id) => [id, []]));
  const spent = Object.fromEntries(ids.map((id) => [id, 0]));
  for (let round = 0; round < minRounds || ids.some((id) => spent[id] < minTimeMs); round++) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(round + k) % ids.length];
      const calls = callsPerBatch[id];
      gc?.();
      const start = performance.now();
      await runBatch(id, calls);
      const elapsed = performance.now() - start;
      spent[id] += elapsed;
      samples[id].push(elapsed / calls);
      // Keep batches near batchMs as the code warms up further (tier-up can come late).
      callsPerBatch[id] = Math.max(1, Math.min(calls * 4, Math.round((calls * batchMs) / Math.max(elapsed, 1e-3))));
    }
  }
  return Object.fromEntries(ids.map((id) => [id, {
    median_ms: median(samples[id]),
    p25_ms: percentile(samples[id], 25),
    p75_ms: percentile(samples[id], 75),
    samples: samples[id].length,
  }]));
}

/** Per contender: its timings with the throughput of `bytes` of input per call (MB/s, 1 MB = 10⁶ bytes). */
export function withThroughput(times, bytes) {
  return Object.fromEntries(Object.entries(times).map(([id, t]) => [id, { mb_s: bytes / 1e3 / t.median_ms, ...t }]));
}

/** For samples of timings ({ x_ms, ... }): the median of each `_ms` field (and of `minor_faults`), and the samples. */
export function mediansOf(runs) {
  const keys = Object.keys(runs[0]).filter((k) => k.endsWith('_ms') || (k === 'minor_faults' && typeof runs[0][k] === 'number'));
  return { samples: runs.length, ...Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])), runs };
}
