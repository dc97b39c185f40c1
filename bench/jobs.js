// The multi-stage job benchmark: the GDPR-cleanup app (apps/gdpr-cleanup/) runs a job of N
// tickets in Chromium against the demo — its simulated Zendesk in this process with no added
// latency and no rate limits (the app's requests still go the whole way: the iframe, the real
// ZAF SDK, the workspace page, the demo's proxy), and the real endpoint on SQLite with its
// per-tenant rate limit off. Measured: tickets per second (collect, process, both), the peak
// of the app's memory — its JS heap (V8's used size in the app iframe's process, garbage not
// yet collected included) plus its wasm linear memory — sampled every 100 ms, and the app's
// live JS heap (after a full GC) before and after the job, which shows whether it grows.
//
// The bound it is held to, and why (docs/jobs.md, "Memory"): the job keeps at most one
// segment of 10,000 IDs, one batch and what its 4 concurrent steps hold; the largest transient
// is one collect page (1,000 whole tickets, about 1.6 MB of JSON, held a few times over as it
// passes from the SDK to the adapter to wasm). The app page itself (the SDK, the package, the
// wasm module's code) is a fixed ~10 MiB. 64 MiB leaves room for all of that several times
// over, and the same peak at 10,000 and at 100,000 tickets shows it does not grow with the job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launchDemo } from '../demo/launch.js';
import { launchBenchChromium } from './chromium.js';

export const MEMORY_BOUND_BYTES = 64 * 1024 * 1024;
const SAMPLE_MS = 100;
const NO_LIMIT = { limit: 1_000_000_000 };

// Counts the wasm linear memory of every module the app's frame instantiates (added to every
// frame before its scripts run; it sees WebAssembly.instantiate and instantiateStreaming).
function countWasmMemory() {
  const memories = [];
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function instrumented(...args) {
      return original.apply(this, args).then(keep);
    };
  }
  globalThis.benchWasmBytes = () => memories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0);
}

async function signedInApp(context, page, url) {
  await page.goto(`${url}?as=admin&view=gdpr-cleanup`);
  const frame = await (await page.waitForSelector('iframe#gdpr-app')).contentFrame();
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const [popup] = await Promise.all([context.waitForEvent('page'), frame.click('#sign-in')]);
  await popup.waitForSelector('#allow');
  await popup.click('#allow');
  await frame.waitForSelector('body[data-role="admin"]', { timeout: 60_000 });
  return frame;
}

/** One job of `tickets` tickets: { tickets, collect_s, process_s, tickets_per_s, peaks… }. */
async function oneJob({ browser, tickets, log }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'leastdata-bench-jobs-'));
  const demo = await launchDemo({
    port: 0, dataDir, endpointArgs: ['--rate-limit', '0'],
    zendesk: { forgetMe: [tickets], rateLimit: NO_LIMIT, exportRateLimit: NO_LIMIT },
  });
  const context = await browser.newContext();
  try {
    await context.addInitScript(countWasmMemory);
    const page = await context.newPage();
    const frame = await signedInApp(context, page, demo.url);
    // The app's iframe runs in a process of its own (another site); its V8 heap is the app's.
    const cdp = await context.newCDPSession(frame);
    const liveHeap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const liveBefore = await liveHeap();
    const person = demo.requesters[0].user;
    await frame.fill('#requester-query', person.email);
    await frame.click('#find');
    const started = performance.now();
    await frame.click(`button[data-user-id="${person.id}"]`);
    let collected;
    let peak = { js: 0, wasm: 0, total: 0 };
    let samples = 0;
    let lastLog = started;
    for (;;) {
      const [{ usedSize }, wasm, status, done] = await Promise.all([
        cdp.send('Runtime.getHeapUsage'),
        frame.evaluate(() => globalThis.benchWasmBytes()),
        frame.getAttribute('body', 'data-job-status'),
        frame.getAttribute('#job-progress', 'aria-valuenow').then(Number),
      ]);
      samples++;
      peak = { js: Math.max(peak.js, usedSize), wasm: Math.max(peak.wasm, wasm), total: Math.max(peak.total, usedSize + wasm) };
      if (collected === undefined && status === 'running') collected = performance.now();
      if (status === 'completed') break;
      // null: the app has not shown the job yet (it is being created at the endpoint).
      if (status !== null && !['collecting', 'running'].includes(status)) {
        throw new Error(`the job ended ${status}: ${await frame.textContent('#job-report')}`);
      }
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`jobs ${tickets.toLocaleString('en')} tickets: ${done.toLocaleString('en')} done`);
        // The demo's workspace keeps a log of every ZAF message for its tests; emptied here so
        // that the parent page (Zendesk's side, not the app) does not grow with the job.
        await page.evaluate(() => {
          window.gdprZafParent.received.length = 0;
          window.gdprZafParent.sent.length = 0;
        });
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
    const ended = performance.now();
    const liveAfter = await liveHeap();
    const collectS = ((collected ?? ended) - started) / 1000;
    const processS = (ended - (collected ?? started)) / 1000;
    return {
      tickets,
      redacted_comments: demo.requesters[0].redactedCount,
      collect_s: collectS,
      process_s: processS,
      total_s: collectS + processS,
      tickets_per_s: tickets / processS,
      tickets_per_s_overall: tickets / (collectS + processS),
      peak_js_heap_bytes: peak.js,
      peak_wasm_bytes: peak.wasm,
      peak_total_bytes: peak.total,
      live_js_heap_before_bytes: liveBefore,
      live_js_heap_after_bytes: liveAfter,
      samples,
    };
  } finally {
    await context.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * @param {{ sizes: number[], log: (line: string) => void }} options the job sizes (tickets)
 */
export async function jobsBench({ sizes, log }) {
  const browser = await launchBenchChromium();
  try {
    const rows = [];
    for (const tickets of sizes) {
      log(`jobs ${tickets.toLocaleString('en')} tickets`);
      rows.push(await oneJob({ browser, tickets, log }));
    }
    return { bound_bytes: MEMORY_BOUND_BYTES, sample_ms: SAMPLE_MS, chromium: browser.version(), rows };
  } finally {
    await browser.close();
  }
}
