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
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: firstLine(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']),
    emscripten: firstLine('emcc', ['--version'])?.replace(/^emcc \(.*?\) /, '').replace(/ \(\)$/, '') ?? null,
    git_commit: commit === null ? null : `${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
    // Which build was measured: the lead rebuilds dist/ and build/native between runs.
    builds: {
      'dist/leastdata.wasm': sha256('dist/leastdata.wasm'),
      'build/native/leastdata_native': sha256('build/native/leastdata_native'),
      'build/native/server/leastdata-endpoint': sha256('build/native/server/leastdata-endpoint'),
    },
  };
}

/** The load average now, to set beside the one at the start (a busy machine skews figures). */
export function loadNow() {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}
