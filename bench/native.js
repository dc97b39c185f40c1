// The native build of the same core (build/native/leastdata_native, g++), the ceiling the
// wasm build is measured against: its output for the equality check, and its throughput as
// the median over several processes of `filter --repeat N`, which times N calls in-process.
// The same CLI built by clang (build/native-clang), the compiler Emscripten uses, separates
// what the compiler costs from what running as wasm costs.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { median } from './timing.js';

const cliPath = (buildDir) => fileURLToPath(new URL(`../build/${buildDir}/leastdata_native`, import.meta.url));
/** The native CLIs by contender id (bench/contenders.js LABELS). */
export const NATIVE_CLIS = { native: cliPath('native'), native_clang: cliPath('native-clang') };

export function requireNative() {
  for (const cli of Object.values(NATIVE_CLIS)) {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run bash scripts/build all`);
  }
}

function run(args, cli = NATIVE_CLIS.native) {
  const result = spawnSync(cli, ['filter', ...args], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cli} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result;
}

/** Writes the policy where the native CLI reads it; returns its path. */
export function writePolicy(dir, name, policy) {
  const path = join(dir, `${name}.policy.json`);
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

/** The native output for `inputPath` (without the CLI's trailing newline). */
export function nativeOutput(policyPath, inputPath) {
  return run(['--policy', policyPath, inputPath]).stdout.replace(/\n$/, '');
}

/**
 * Median MB/s over `processes` runs of about `targetMs` each. With `ledger`, each call
 * also builds the access ledger, as the package's filter() does. `cli`: one of NATIVE_CLIS.
 */
export function nativeThroughput(policyPath, inputPath, bytes, { ledger, processes = 3, targetMs = 300, ledgerPath, cli = NATIVE_CLIS.native }) {
  const extra = ledger ? ['--ledger', ledgerPath] : [];
  // Short probes size the repeat count; the CLI prints whole milliseconds, so a probe must
  // last 20 ms or more to be read.
  let probe = { repeat: 2 };
  for (;;) {
    probe = { repeat: probe.repeat, ...parseRun(run(['--policy', policyPath, ...extra, '--repeat', String(probe.repeat), inputPath], cli).stderr) };
    if (probe.msPerCall * probe.repeat >= 20) break;
    probe.repeat *= 10;
  }
  const repeat = Math.max(2, Math.round(targetMs / probe.msPerCall));
  const rates = [];
  for (let i = 0; i < processes; i++) rates.push(nativeRate(policyPath, inputPath, bytes, { ledger, ledgerPath, cli, repeat }));
  return { mb_s: median(rates), processes, calls_per_process: repeat };
}

/** MB/s of one process of `filter --repeat repeat` (options as nativeThroughput's). */
export function nativeRate(policyPath, inputPath, bytes, { ledger, ledgerPath, cli = NATIVE_CLIS.native, repeat }) {
  const extra = ledger ? ['--ledger', ledgerPath] : [];
  const { msPerCall } = parseRun(run(['--policy', policyPath, ...extra, '--repeat', String(repeat), inputPath], cli).stderr);
  return bytes / 1e3 / msPerCall;
}

// "123.4 MB/s (N runs of B bytes in T s)"
function parseRun(stderr) {
  const m = /\((\d+) runs of (\d+) bytes in ([\d.]+) s\)/.exec(stderr);
  if (!m) throw new Error(`unexpected output of the native CLI: ${stderr}`);
  return { msPerCall: (Number(m[3]) * 1000) / Number(m[1]) };
}
