// The Chromium side of the benchmarks: a loopback server for the bench pages, dist/ and the
// generated payloads, and Debian's Chromium (the test harness's flags, a fresh profile)
// running filter throughput, object out, heap growth per call and cold start in pages.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { build } from 'esbuild';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, startServer } from '../tests/browser/harness.js';
import { HeapSamples } from './heap-samples.js';
import { objectRow } from './object-out.js';
import { mediansOf, withThroughput } from './timing.js';
import { OBJECT_WORKLOAD, WORKLOADS } from './workloads.js';

const require = createRequire(import.meta.url);

// Cross-origin isolation gives the page its fine-grained performance.now() (5 µs instead
// of 100 µs); everything is same-origin, so it costs nothing else.
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/**
 * Minor page faults so far of every Chromium process on the machine (browser, renderers,
 * GPU and network services; field 10 of /proc/PID/stat), or null where there is no /proc.
 * A cold start maps and touches fresh memory, and each first touch is a fault whose price
 * the machine table records (page_fault_us).
 */
function chromiumMinorFaults() {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let faults = 0;
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('chromium')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
      faults += Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
    } catch {
      // the process ended meanwhile
    }
  }
  return faults;
}

/** json-mask (CommonJS on npm) bundled as one ES module for the page. */
async function jsonMaskModule() {
  const result = await build({ entryPoints: [require.resolve('json-mask')], bundle: true, format: 'esm', write: false, logLevel: 'silent' });
  return result.outputFiles[0].contents;
}

/**
 * Serves the repository plus /bench-assets/json-mask.js and /payload/<workload>/<size>
 * (generated once per run, the same text Node measures).
 * @param {{ label: string, bytes: number }[]} sizes every size a page may ask for (each
 *   payload is generated on its first request)
 */
export async function startBenchServer(sizes) {
  const maskModule = await jsonMaskModule();
  const payloads = new Map();
  const send = (res, type, body) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...ISOLATION }).end(body);
  const routes = {
    '/bench-assets/json-mask.js': (req, res) => send(res, 'text/javascript; charset=utf-8', maskModule),
    // The cold-start page asks right before and right after its sample.
    '/bench-faults': (req, res) => send(res, 'application/json', JSON.stringify({ minor_faults: chromiumMinorFaults() })),
  };
  for (const name of Object.keys(WORKLOADS)) {
    for (const size of sizes) {
      routes[`/payload/${name}/${size.label}`] = (req, res) => {
        const key = `${name}/${size.label}`;
        if (!payloads.has(key)) payloads.set(key, Buffer.from(WORKLOADS[name].generate(size.bytes)));
        send(res, 'application/json', payloads.get(key));
      };
    }
  }
  // The package and the cold-start floor may be cached (for the cold start from the HTTP
  // cache); a rebuilt one is picked up by the next run, which starts a new browser with a
  // fresh profile.
  const cached = (path) => path.startsWith('/dist/') || path.startsWith('/build/wasm/cold-start-floor.');
  const headers = (path) => (cached(path) ? { ...ISOLATION, 'cache-control': 'max-age=3600' } : ISOLATION);
  return startServer({ headers, routes });
}

/** Chromium with the test harness's flags, plus gc() in pages and precise memory figures. */
export function launchBenchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
    timeout: 60_000,
  });
}

async function benchPage(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/bench/browser/page.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 }).catch((error) => {
    throw new Error(`the bench page did not start: ${errors.join('; ') || error.message}`);
  });
  return { context, page };
}

/** Filter throughput in a page; rows shaped like filterNode()'s, without native. */
export async function filterChromium({ browser, origin, sizes, workloads, timing, log }) {
  const { context, page } = await benchPage(browser, origin);
  const crossOriginIsolated = await page.evaluate(() => window.bench.crossOriginIsolated);
  const rows = [];
  for (const workload of workloads) {
    for (const size of sizes) {
      log(`filter chromium ${workload} ${size.label}`);
      const r = await page.evaluate(([w, s, t]) => window.bench.filter(w, s, t), [workload, size.label, timing]);
      const contenders = withThroughput(r.times, r.bytes);
      rows.push({ workload, size: size.label, bytes: r.bytes, output_chars: r.output_chars, contenders });
      log(`  ${Object.entries(contenders).map(([id, c]) => `${id} ${c.mb_s.toFixed(1)}`).join(' | ')} MB/s`);
    }
  }
  await context.close();
  return { cross_origin_isolated: crossOriginIsolated, rows };
}

/** Object out in a page; rows shaped like objectNode()'s (bench/object-out.js). */
export async function objectChromium({ browser, origin, sizes, timing, log }) {
  const { context, page } = await benchPage(browser, origin);
  const rows = [];
  for (const size of sizes) {
    log(`object chromium ${OBJECT_WORKLOAD} ${size.label}`);
    const r = await page.evaluate(([s, t]) => window.bench.object(s, t), [size.label, timing]);
    const row = objectRow(size.label, r.bytes, r.output_chars, r.times, r.breakdownTimes, r.responseTimes);
    log(`  from bytes ${row.ratios.bytes_vs_json_mask.toFixed(2)}×, from a string ${row.ratios.string_vs_json_mask.toFixed(2)}×, ` +
      `from a response ${row.ratios.response_stream_vs_json_mask.toFixed(2)}× json-mask`);
    rows.push(row);
  }
  await context.close();
  return { rows };
}

/**
 * JS heap growth per call through the DevTools protocol, as in bench/heap-child.js: collect
 * garbage, read, call (keeping the output), read (growth), collect (retained: the output),
 * drop the output, collect, read (left). `usedSize` is the V8 heap; `backingStorageSize`
 * holds ArrayBuffers and what Blink keeps outside it — a large string made by TextDecoder
 * can live there — so both are recorded and the figures compared are their sum.
 */
export async function heapChromium({ browser, origin, workload, size, samples, log }) {
  const { context, page } = await benchPage(browser, origin);
  const cdp = await context.newCDPSession(page);
  const usage = async () => {
    const u = await cdp.send('Runtime.getHeapUsage');
    return { heap: u.usedSize, offHeap: u.backingStorageSize ?? 0 };
  };
  const gc = () => cdp.send('HeapProfiler.collectGarbage');
  const { bytes, ids } = await page.evaluate(([w, s]) => window.bench.prepare(w, s), [workload, size.label]);
  const result = {};
  for (const id of ids) {
    log(`heap chromium ${workload} ${size.label} ${id}`);
    for (let i = 0; i < 2; i++) await page.evaluate((c) => window.bench.call(c), id); // warm-up: memory growth, tier-up
    const d = new HeapSamples();
    let outputChars = 0;
    for (let i = 0; i < samples; i++) {
      await gc();
      const u0 = await usage();
      outputChars = await page.evaluate((c) => window.bench.call(c), id);
      const u1 = await usage();
      await gc();
      const u2 = await usage();
      await page.evaluate(() => window.bench.drop());
      await gc();
      d.add(u0, u1, u2, await usage());
    }
    result[id] = d.summary(outputChars);
  }
  await context.close();
  return { bytes, contenders: result };
}

/**
 * Cold start: each sample in a new browser context. Without the HTTP cache (disabled through
 * the DevTools protocol): the module graph and the .wasm come over the network. From the
 * HTTP cache: the context has loaded the page once before (a returning agent), so the .wasm
 * comes from the cache, with the code Chromium cached for it; the sample is a second page.
 * The floor (bench/cold-start-floor.cpp, an empty module with the same glue flags) is
 * sampled the same ways, interleaved, so that leastdata's own cost is the difference.
 * @returns {Promise<{ no_cache: object, http_cache: object, floor: { no_cache: object, http_cache: object } }>}
 *   medians of each
 */
export async function coldStartChromium({ browser, origin, samples, log }) {
  log(`cold start chromium: ${samples} fresh contexts without the HTTP cache, ${samples} with it; the same for the floor`);
  const sample = async (context, cacheDisabled, query) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/bench/browser/cold.html${query}`);
    const result = await page.waitForFunction(() => window.coldStart, null, { timeout: 60_000 }).then((h) => h.jsonValue(), (error) => {
      throw new Error(`cold start page failed: ${errors.join('; ') || error.message}`);
    });
    await page.close();
    return result;
  };
  const runs = { package: { noCache: [], httpCache: [] }, floor: { noCache: [], httpCache: [] } };
  for (let i = 0; i < samples; i++) {
    for (const [name, query] of [['package', ''], ['floor', '?module=floor']]) {
      let context = await browser.newContext();
      runs[name].noCache.push(await sample(context, true, query));
      await context.close();
      context = await browser.newContext();
      await sample(context, false, query); // the first visit fills the cache
      runs[name].httpCache.push(await sample(context, false, query));
      await context.close();
    }
  }
  const medians = ({ noCache, httpCache }) => ({ no_cache: mediansOf(noCache), http_cache: mediansOf(httpCache) });
  return { ...medians(runs.package), floor: medians(runs.floor) };
}
