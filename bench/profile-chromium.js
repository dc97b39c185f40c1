// Where object out's time goes in Chromium, by function: a CPU profile (DevTools protocol
// `Profiler`, 100 µs sampling) of policy.filterParsed(bytes) on the `tickets` workload,
// with a build of the module that keeps its function names (`--profiling-funcs`), printed
// as self time per function. Not part of `npm run bench`: a tool for deciding what to work
// on (docs/performance.md quotes one of its runs).
//   node bench/profile-chromium.js [--size 1MB] [--seconds 4] [--top 30]
// The named build is made on first use under build/wasm-profile (CMake, like the wasm preset
// plus --profiling-funcs) and assembled with dist/'s JavaScript in build/profile-dist/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { launchBenchChromium, startBenchServer } from './chromium.js';
import { OBJECT_WORKLOAD, SIZES, WORKLOADS } from './workloads.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: { size: { type: 'string', default: '1MB' }, seconds: { type: 'string', default: '4' }, top: { type: 'string', default: '30' } },
});
if (!(args.size in SIZES)) throw new Error(`--size: unknown size ${args.size} (known: ${Object.keys(SIZES).join(', ')})`);
if (!existsSync(`${ROOT}/dist/browser.js`)) throw new Error('dist/ is missing: run `bash scripts/build package` first');

// The named module: the same sources and flags as the wasm preset, plus function names.
const buildDir = `${ROOT}/build/wasm-profile`;
// CMake runs with the build's environment (scripts/env.sh: Emscripten's optimizer needs acorn).
const cmake = (...argv) => execFileSync('bash', ['-c', 'source scripts/env.sh && cmake "$@"', 'cmake', ...argv],
  { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
console.log('building the module with function names (build/wasm-profile)…');
if (!existsSync(`${buildDir}/CMakeCache.txt`)) {
  cmake('-S', '.', '-B', buildDir, '-DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake',
    '-DCMAKE_BUILD_TYPE=Release', '-DCMAKE_CROSSCOMPILING_EMULATOR=', '-DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs');
}
cmake('--build', buildDir, '--target', 'leastdata_wasm', '-j2');
const profileDist = `${ROOT}/build/profile-dist`;
rmSync(profileDist, { recursive: true, force: true });
mkdirSync(profileDist, { recursive: true });
cpSync(`${ROOT}/dist`, profileDist, { recursive: true });
for (const file of ['leastdata.mjs', 'leastdata.wasm']) cpSync(`${buildDir}/${file}`, `${profileDist}/${file}`);

const server = await startBenchServer([{ label: args.size, bytes: SIZES[args.size] }]);
const browser = await launchBenchChromium();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.origin}/bench/browser/page.html`);
  await page.evaluate(async ([size, workload, policyDocument]) => {
    const { load } = await import('/build/profile-dist/browser.js');
    const ld = await load();
    const policy = ld.compile(policyDocument);
    const bytes = new Uint8Array(await (await fetch(`/payload/${workload}/${size}`)).arrayBuffer());
    window.profiled = () => policy.filterParsed(bytes);
    for (let i = 0; i < 20; i++) window.profiled(); // compiled and tiered up before sampling
  }, [args.size, OBJECT_WORKLOAD, WORKLOADS[OBJECT_WORKLOAD].policy]);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const calls = await page.evaluate((ms) => {
    let n = 0;
    for (const start = performance.now(); performance.now() - start < ms; n++) window.profiled();
    return n;
  }, Number(args.seconds) * 1000);
  const { profile } = await cdp.send('Profiler.stop');

  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (const id of profile.samples) {
    const frame = nodes.get(id).callFrame;
    const name = frame.functionName || `(anonymous, ${frame.url.split('/').pop() || 'native'})`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  console.log(`policy.filterParsed(bytes), tickets ${args.size}: ${calls} calls, ${profile.samples.length} samples; self time:`);
  for (const [name, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) {
    console.log(`${((100 * count) / profile.samples.length).toFixed(1).padStart(5)} %  ${name.length > 110 ? `${name.slice(0, 110)}…` : name}`);
  }
} finally {
  await browser.close();
  await server.close();
}
