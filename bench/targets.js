// The targets (issue 7's, raised and extended to object out by issue 17), judged on the
// result files of bench/results/: each gives the measured value, the threshold, and met /
// not met (or not measured when its file or row is missing, e.g. after `--only` or
// `--no-chromium`).
import { COLD_START_WORKLOAD } from './cold-start.js';
import { TARGET_WORKLOAD } from './workloads.js';

// Page faults of a cold start, with the time they take at the machine's measured cost per
// fault (machine.js, page_fault_us); Chromium's count covers all its processes.
export function faultsCell(faults, faultUs) {
  if (typeof faults !== 'number') return '–';
  return faultUs === undefined ? faults.toLocaleString('en') : `${faults.toLocaleString('en')} (≈ ${((faults * faultUs) / 1000).toFixed(1)} ms)`;
}

export const KIB = 1024;
export const MIB = 1024 * 1024;

const row = (filter, size) => filter?.results.rows.find((r) => r.workload === TARGET_WORKLOAD && r.size === size);

/**
 * A native build's throughput (with ledger) from the Node run, for the wasm/native ratios of
 * both platforms; `id`: 'native' (g++) or 'native_clang'.
 */
function nativeMbS(results, size, id = 'native') {
  return row(results['filter-node'], size)?.contenders[id]?.mb_s;
}

/**
 * @param {Record<string, any>} results result files by name (filter-node, filter-chromium, ...)
 * @returns {{ target: string, where: string, value: number | undefined, shown: string, threshold: string, met: boolean | 'reported' | null, note?: string }[]}
 */
export function evaluateTargets(results) {
  const targets = [];
  const add = (target, where, value, threshold, met, shown, note) =>
    targets.push({ target, where, value, threshold, met: value === undefined ? null : met(value), shown: value === undefined ? 'not measured' : shown(value), note });
  const times = (v) => `${v.toFixed(2)}×`;
  const percent = (v) => `${(v * 100).toFixed(0)} %`;

  for (const platform of ['node', 'chromium']) {
    const where = platform === 'node' ? 'Node' : 'Chromium';
    const r = row(results[`filter-${platform}`], '1MB');
    const c = r?.contenders;
    const ratio = (a, b) => (c?.[a] && c?.[b] ? c[a].mb_s / c[b].mb_s : undefined);
    add('filter from bytes vs JSON.parse + json-mask + JSON.stringify, 1 MB', where, ratio('leastdata_bytes', 'json_mask'), '≥ 2×', (v) => v >= 2, times);
    add('filter from a string vs JSON.parse + json-mask + JSON.stringify, 1 MB', where, ratio('leastdata_string', 'json_mask'), '≥ 1×', (v) => v >= 1, times);
    const native = nativeMbS(results, '1MB');
    add('wasm (from bytes) vs the native build, 1 MB', where, c?.leastdata_bytes && native ? c.leastdata_bytes.mb_s / native : undefined, '≥ 50 %', (v) => v >= 0.5, percent,
      platform === 'chromium' ? 'native figure from the Node run of the same invocation' : undefined);
    // In Node the core and the native builds ran in alternation (filter-throughput.js,
    // pairedCoreRatios); Chromium's core can only be set against the Node run's medians.
    const nativeClang = nativeMbS(results, '1MB', 'native_clang');
    const [vsNative, vsClang] = platform === 'node'
      ? [r?.ratios.wasm_core_vs_native, r?.ratios.wasm_core_vs_native_clang]
      : [c?.leastdata_core && native ? c.leastdata_core.mb_s / native : undefined, c?.leastdata_core && nativeClang ? c.leastdata_core.mb_s / nativeClang : undefined];
    add('wasm core (no JS boundary) vs the native build, 1 MB', where, vsNative, '≥ 70 %', (v) => v >= 0.7, percent,
      'the same C++ compiled twice: input already in wasm memory, output not decoded to a JS string' +
        (platform === 'node' ? ', timed in alternation with it' : '; native figure from the Node run of the same invocation') +
        (vsClang === undefined ? '' : `; against the native build by clang, Emscripten's compiler: ${percent(vsClang)}`));
  }

  // Object out: what an app that wants an object pays, each figure against json-mask's.
  const OBJECT_SIZES = ['10KB', '100KB', '1MB', '10MB'];
  for (const platform of ['node', 'chromium']) {
    const where = platform === 'node' ? 'Node' : 'Chromium';
    const rows = results[`object-${platform}`]?.results.rows ?? [];
    for (const size of OBJECT_SIZES) {
      const r = rows.find((row) => row.size === size);
      const small = size === '10KB';
      add(`object out from bytes vs JSON.parse + json-mask, ${size}`, where, r?.ratios.bytes_vs_json_mask,
        small ? '≥ 1×' : '≥ 1.5×', (v) => v >= (small ? 1 : 1.5), times);
      if (size === '1MB') {
        // The same comparison with json-mask's pipeline also starting from the bytes.
        add(`object out from bytes vs TextDecoder + JSON.parse + json-mask (the same bytes), ${size}`, where,
          r?.ratios.bytes_vs_json_mask_from_bytes, '–', () => 'reported', times);
      }
      if (small) {
        // A figure to report, with no threshold: its status says so, never "met".
        add(`object out from a string: time above the encodeInto floor, ${size}`, where, r?.string_above_floor_ms, '–', () => 'reported',
          (v) => `${(v * 1000).toFixed(1)} µs`, r ? `floor ${(r.contenders.encode_floor.median_ms * 1000).toFixed(1)} µs; ${times(r.ratios.string_vs_json_mask)} json-mask` : undefined);
      } else {
        add(`object out from a string vs JSON.parse + json-mask, ${size}`, where, r?.ratios.string_vs_json_mask, '≥ 1×', (v) => v >= 1, times);
      }
    }
  }

  for (const platform of ['node', 'chromium']) {
    const where = platform === 'node' ? 'Node' : 'Chromium';
    const heap = results.heap?.results;
    const bytes = heap?.[platform]?.contenders.leastdata_bytes;
    const mib = (v) => `${(v / MIB).toFixed(2)} MiB`;
    add(`JS heap growth per call, ${heap?.size ?? '10MB'} from bytes (returned string included)`, where, bytes?.growth_bytes, '≤ 2 MiB', (v) => v <= 2 * MIB, mib,
      bytes ? `the returned string alone: ${mib(bytes.retained_with_output_bytes)} (${bytes.output_chars.toLocaleString('en')} characters)` : undefined);
    add(`JS heap growth per call, ${heap?.size ?? '10MB'} from bytes (the returned string excluded)`, where,
      bytes ? bytes.growth_bytes - bytes.retained_with_output_bytes : undefined, '≤ 2 MiB', (v) => v <= 2 * MIB, mib);
  }

  const sizes = results['package-size']?.results;
  add('.wasm + glue, gzip', 'package', sizes?.wasm_plus_glue.gzip, '≤ 200 KiB', (v) => v <= 200 * KIB, (v) => `${(v / KIB).toFixed(1)} KiB`,
    sizes ? `libsodium-wrappers: ${(sizes.libsodium_wrappers.gzip_bytes / KIB).toFixed(0)} KiB gzip` : undefined);

  const cold = results['cold-start']?.results;
  for (const [cache, where] of [['no_cache', 'Chromium, no HTTP cache'], ['http_cache', 'Chromium, .wasm from the HTTP cache']]) {
    const c = cold?.chromium?.[cache];
    add(`cold start, load() to first filter result (${COLD_START_WORKLOAD}, 10 KB)`, where, c?.total_ms, '≤ 30 ms', (v) => v <= 30, (v) => `${v.toFixed(1)} ms`,
      c ? `of which ${c.before_instantiate_ms.toFixed(1)} ms before instantiation (the .wasm's response headers); ` +
        `page faults in all Chromium processes: ${faultsCell(c.minor_faults, results['cold-start'].machine?.page_fault_us)}` +
        (cold.chromium.floor ? `; the floor, an empty module loaded the same way: ${cold.chromium.floor[cache].total_ms.toFixed(1)} ms` : '') : undefined);
  }

  const endpoint = results.endpoint?.results.rows ?? [];
  for (const backend of ['sqlite', 'postgresql']) {
    const get = endpoint.find((r) => r.backend === backend && r.route === 'GET settings');
    add('endpoint GET settings (JWT verified), requests/s at fixed concurrency', backend === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      get?.fixed_concurrency.requests_per_s, '≥ 5,000/s', (v) => v >= 5000, (v) => `${Math.round(v).toLocaleString('en')}/s`,
      get ? `wrk -t${get.fixed_concurrency.threads} -c${get.fixed_concurrency.connections}` : undefined);
    add(`endpoint GET settings p99 at ${get?.fixed_rate.rate_target ?? 1000} requests/s (open loop)`, backend === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      get?.fixed_rate.p99_ms, '≤ 10 ms', (v) => v <= 10, (v) => `${v.toFixed(2)} ms`);
  }
  return targets;
}
