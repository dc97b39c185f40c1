// Filter throughput in Node: leastdata from bytes and from a string, JSON.parse + json-mask
// + JSON.stringify, JSON.parse + a hand-written pick + JSON.stringify, and the native build
// of the same core, on every workload and size. All outputs are checked equal first; the
// JavaScript contenders are timed in interleaved rounds (bench/timing.js), and every ratio
// is between figures of this one run.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { load } from '../dist/node.js';
import { checkSameOutput, makeContenders } from './contenders.js';
import { NATIVE_CLIS, nativeOutput, nativeRate, nativeThroughput, requireNative, writePolicy } from './native.js';
import { median, timeInterleaved, withThroughput } from './timing.js';
import { WORKLOADS } from './workloads.js';

const jsonMask = createRequire(import.meta.url)('json-mask');

/**
 * Same-run ratios of one (workload, size) row; absent contenders give no ratio. `paired`:
 * the wasm core against the native builds per round of alternating runs (pairedCoreRatios),
 * which replace the ratios of their medians.
 */
export function ratios(mbS, paired = {}) {
  const ratio = (a, b) => (mbS[a] && mbS[b] ? mbS[a] / mbS[b] : undefined);
  return {
    bytes_vs_json_mask: ratio('leastdata_bytes', 'json_mask'),
    string_vs_json_mask: ratio('leastdata_string', 'json_mask'),
    bytes_vs_pick: ratio('leastdata_bytes', 'pick'),
    string_vs_pick: ratio('leastdata_string', 'pick'),
    wasm_vs_native: ratio('leastdata_bytes', 'native'),
    wasm_core_vs_native: paired.wasm_core_vs_native ?? ratio('leastdata_core', 'native'),
    wasm_core_vs_native_clang: paired.wasm_core_vs_native_clang ?? ratio('leastdata_core', 'native_clang'),
    native_clang_vs_native: ratio('native_clang', 'native'),
    ledger_cost_native: ratio('native_no_ledger', 'native'),
  };
}

/**
 * The wasm core against the two native builds, in alternation: each round runs one process
 * of each native CLI and times the same number of calls of the core in this process, and a
 * ratio is taken per round. The native figures of the table come from other minutes than the
 * core's, and this machine's speed moves between minutes by more than the ratio measures.
 */
function pairedCoreRatios(core, { policyPath, inputPath, bytes, ledgerPath, repeat, rounds }) {
  const vsNative = [];
  const vsClang = [];
  for (let round = 0; round < rounds; round++) {
    const native = nativeRate(policyPath, inputPath, bytes, { ledger: true, ledgerPath, repeat });
    const start = performance.now();
    for (let i = 0; i < repeat; i++) core();
    const coreRate = (bytes * repeat) / 1e3 / (performance.now() - start);
    const clang = nativeRate(policyPath, inputPath, bytes, { ledger: true, ledgerPath, repeat, cli: NATIVE_CLIS.native_clang });
    vsNative.push(coreRate / native);
    vsClang.push(coreRate / clang);
  }
  return { wasm_core_vs_native: median(vsNative), wasm_core_vs_native_clang: median(vsClang), rounds, calls_per_round: repeat };
}

/**
 * @param {{ sizes: { label: string, bytes: number }[], workloads: string[], timing: object,
 *           native: object, dir: string, log: (line: string) => void }} options
 */
export async function filterNode({ sizes, workloads, timing, native, dir, log }) {
  requireNative();
  const ld = await load();
  const rows = [];
  for (const name of workloads) {
    const workload = WORKLOADS[name];
    const policyPath = writePolicy(dir, name, workload.policy);
    for (const size of sizes) {
      const inputPath = join(dir, `${name}-${size.label}.json`);
      writeFileSync(inputPath, workload.generate(size.bytes));
      const bytes = readFileSync(inputPath); // a Uint8Array, as read from disk
      const text = bytes.toString('utf8');
      const contenders = makeContenders(workload, { ld, jsonMask, bytes, text });

      const outputs = Object.fromEntries(Object.entries(contenders).map(([id, run]) => [id, run(true)]));
      outputs.native = nativeOutput(policyPath, inputPath);
      const outputLength = checkSameOutput(outputs, `${name} ${size.label}`);

      log(`filter node ${name} ${size.label}: timing ${Object.keys(contenders).join(', ')}, native`);
      const times = await timeInterleaved(contenders, { ...timing, gc: globalThis.gc });
      const result = withThroughput(times, bytes.length);
      const ledgerPath = join(dir, 'native-ledger.json');
      result.native = nativeThroughput(policyPath, inputPath, bytes.length, { ...native, ledger: true, ledgerPath });
      result.native_no_ledger = nativeThroughput(policyPath, inputPath, bytes.length, { ...native, ledger: false });
      result.native_clang = nativeThroughput(policyPath, inputPath, bytes.length, { ...native, ledger: true, ledgerPath, cli: NATIVE_CLIS.native_clang });
      const paired = pairedCoreRatios(contenders.leastdata_core,
        { policyPath, inputPath, bytes: bytes.length, ledgerPath, repeat: result.native.calls_per_process, rounds: native.pairedRounds });
      const mbS = Object.fromEntries(Object.entries(result).map(([id, r]) => [id, r.mb_s]));
      rows.push({ workload: name, size: size.label, bytes: bytes.length, output_chars: outputLength, contenders: result, ratios: ratios(mbS, paired), paired });
      log(`  ${Object.entries(mbS).map(([id, v]) => `${id} ${v.toFixed(1)}`).join(' | ')} MB/s`);
    }
  }
  ld.dispose();
  return { rows };
}
