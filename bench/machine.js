// What every result file records about the run: the machine (CPU, cores, RAM, load), the
// tool versions, the date, the git commit and which build of the module was measured.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd: ROOT, timeout: 20_000 })
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? null;
  } catch {
    return null;
  }
}

function sha256(path) {
  const file = new URL(path, new URL('..', import.meta.url));
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16) : null;
}

/**
 * Microseconds to fault in one fresh 4 KiB page: the first write to a new 16 MiB buffer,
 * less a second write to the same pages. Every string V8 puts in its large-object space
 * (over 128 KiB) is such fresh memory, so this price weighs on any call that returns a
 * long string; in a virtual machine it can be tens of times a bare-metal one's.
 */
function pageFaultMicroseconds() {
  const bytes = 16 * 2 ** 20;
  const fresh = new Uint8Array(bytes); // zeroed by mapping: no page is touched yet
  let start = performance.now();
  fresh.fill(1);
  const first = performance.now() - start;
  start = performance.now();
  fresh.fill(2);
  const again = performance.now() - start;
  return Math.max(0, Math.round(((first - again) * 1000 * 100) / (bytes / 4096)) / 100);
}

/** Machine and build details, taken once at the start of a run. */
export function machineDetails() {
  const commit = firstLine('git', ['rev-parse', '--short=12', 'HEAD']);
  const dirty = firstLine('git', ['status', '--porcelain', '--untracked-files=no']) !== null;
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ram_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    load_average_at_start: loadavg().map((x) => Math.round(x * 100) / 100),
    page_fault_us: pageFaultMicroseconds(),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: firstLine(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']),
    emscripten: firstLine('emcc', ['--version'])?.replace(/^emcc \(.*?\) /, '').replace(/ \(\)$/, '') ?? null,
    // The native builds' compilers (build/native: g++; build/native-clang: clang, as Emscripten's).
    compilers: { 'g++': firstLine('g++', ['--version']), clang: firstLine('clang++', ['--version']) },
    git_commit: commit === null ? null : `${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
    // Which build was measured: the lead rebuilds dist/ and build/native between runs.
    builds: {
      'dist/leastdata.wasm': sha256('dist/leastdata.wasm'),
      'build/native/leastdata_native': sha256('build/native/leastdata_native'),
      'build/native-clang/leastdata_native': sha256('build/native-clang/leastdata_native'),
      'build/native/server/leastdata-endpoint': sha256('build/native/server/leastdata-endpoint'),
    },
  };
}

/** The load average now, to set beside the one at the start (a busy machine skews figures). */
export function loadNow() {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}
