// The benchmark harness runs (`npm run bench` is not a test, but its machinery is): the
// orchestrator on the smallest size in --quick mode, every benchmark, Chromium included and
// the endpoint on SQLite only, writing to a temporary folder; then the shape of the result
// files, the report and the charts. Also: a contender that selects other fields fails the
// run loudly, and the open-loop generator keeps its rate when the server is slow.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { checkSameObjects, checkSameOutput } from '../../bench/contenders.js';
import { fixedRate } from '../../bench/fixed-rate.js';
import { evaluateTargets } from '../../bench/targets.js';

const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
const FILES = ['filter-node', 'filter-chromium', 'object-node', 'object-chromium', 'heap', 'package-size', 'cold-start', 'redact', 'endpoint', 'jobs'];

describe('npm run bench, --quick on 10 KB', () => {
  let out;
  let output;
  const results = {};

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'leastdata-bench-test-'));
    const { stdout } = await promisify(execFile)(process.execPath, [RUN, '--quick', '--sizes', '10KB', '--backends', 'sqlite', '--out', out], {
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    output = stdout;
    for (const name of FILES) {
      const path = join(out, 'results', `${name}.json`);
      if (existsSync(path)) results[name] = JSON.parse(readFileSync(path, 'utf8'));
    }
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  test('prints progress and writes one result file per benchmark, each with the machine details', () => {
    assert.match(output, /filter node tickets 10KB/);
    assert.deepEqual(Object.keys(results).sort(), [...FILES].sort());
    for (const [name, file] of Object.entries(results)) {
      assert.equal(file.benchmark, name);
      for (const key of ['date', 'cpu', 'cores', 'ram_gb', 'load_average_at_start', 'node', 'chromium', 'emscripten', 'compilers', 'git_commit', 'builds']) {
        assert.ok(key in file.machine, `${name}: machine.${key}`);
      }
      assert.equal(file.machine.load_average_at_start.length, 3);
      assert.equal(file.load_average_at_end.length, 3);
      assert.ok(file.duration_s > 0);
    }
  });

  test('filter: every contender on every workload, with same-run ratios', () => {
    const node = results['filter-node'].results.rows;
    assert.deepEqual(node.map((r) => r.workload), ['tickets', 'search', 'tickets-policy']);
    for (const row of node) {
      assert.equal(row.size, '10KB');
      assert.ok(row.bytes > 9000 && row.output_chars > 100, JSON.stringify(row));
      const expected = ['leastdata_bytes', 'leastdata_string', 'leastdata_core', 'pick', 'native', 'native_no_ledger', 'native_clang'];
      if (row.workload !== 'tickets-policy') expected.push('json_mask');
      assert.deepEqual(Object.keys(row.contenders).sort(), expected.sort());
      for (const c of Object.values(row.contenders)) assert.ok(c.mb_s > 0 && Number.isFinite(c.mb_s));
      assert.ok(row.ratios.wasm_vs_native > 0);
      assert.ok(row.ratios.wasm_core_vs_native > 0 && row.ratios.wasm_core_vs_native_clang > 0 && row.ratios.native_clang_vs_native > 0);
      // The wasm core's ratios are the alternating rounds' (filter-throughput.js, pairedCoreRatios).
      assert.equal(row.paired.rounds, 1);
      assert.equal(row.ratios.wasm_core_vs_native, row.paired.wasm_core_vs_native);
      assert.equal(row.ratios.wasm_core_vs_native_clang, row.paired.wasm_core_vs_native_clang);
    }
    const chromium = results['filter-chromium'].results;
    assert.equal(chromium.cross_origin_isolated, true);
    assert.ok(chromium.rows.every((r) => r.contenders.leastdata_bytes.mb_s > 0 && r.contenders.pick.mb_s > 0));
  });

  test('object out: leastdata from bytes, from a string (parsed in place, and via text) and from a fetched response, json-mask and the references, with ratios', () => {
    for (const platform of ['node', 'chromium']) {
      const rows = results[`object-${platform}`].results.rows;
      assert.deepEqual(rows.map((r) => r.size), ['10KB']);
      for (const row of rows) {
        assert.equal(row.workload, 'tickets');
        assert.ok(row.bytes > 9000 && row.output_chars > 100, JSON.stringify(row));
        assert.deepEqual(Object.keys(row.contenders).sort(), ['encode_floor', 'json_mask', 'json_mask_bytes', 'json_parse', 'leastdata_bytes', 'leastdata_string', 'leastdata_text_bytes']);
        for (const c of Object.values(row.contenders)) assert.ok(c.median_ms > 0 && Number.isFinite(c.mb_s), `${platform} ${JSON.stringify(c)}`);
        assert.ok(row.ratios.bytes_vs_json_mask > 0 && row.ratios.bytes_vs_json_mask_from_bytes > 0 && row.ratios.string_vs_json_mask > 0);
        assert.ok(Number.isFinite(row.string_above_floor_ms));
        assert.deepEqual(Object.keys(row.breakdown).sort(), ['copy_in', 'core_ledger', 'core_no_ledger', 'core_parsed', 'decode_input', 'decode_output_whole', 'ledger_js', 'parse_output', 'whole_call']);
        for (const part of Object.values(row.breakdown)) assert.ok(part > 0, `${platform} ${JSON.stringify(row.breakdown)}`);
        assert.deepEqual(Object.keys(row.response).sort(), ['fetch_only', 'json_mask_json', 'leastdata_array_buffer', 'leastdata_stream']);
        for (const c of Object.values(row.response)) assert.ok(c.median_ms > 0 && Number.isFinite(c.mb_s), `${platform} ${JSON.stringify(c)}`);
        assert.ok(row.ratios.response_stream_vs_json_mask > 0 && row.ratios.response_stream_vs_array_buffer > 0);
      }
    }
  });

  test('heap, package size, cold start, redaction and endpoint figures are there', () => {
    const heap = results.heap.results;
    for (const platform of ['node', 'chromium']) {
      for (const [id, c] of Object.entries(heap[platform].contenders)) {
        for (const key of ['growth_bytes', 'retained_with_output_bytes', 'left_after_drop_bytes', 'v8_heap_growth_bytes', 'off_heap_growth_bytes']) {
          assert.ok(Number.isFinite(c[key]), `${platform} ${id} ${key}`);
        }
      }
    }
    assert.ok(heap.node.contenders.json_mask.growth_bytes > 0);
    const sizes = results['package-size'].results;
    assert.ok(sizes.wasm.gzip > 0 && sizes.wasm.brotli < sizes.wasm.raw && sizes.wasm_plus_glue.gzip > sizes.wasm.gzip);
    assert.equal(sizes.libsodium_wrappers.gzip_bytes, 188 * 1024);
    const cold = results['cold-start'].results;
    for (const sample of [cold.node, cold.chromium.no_cache, cold.chromium.http_cache, cold.chromium.floor.no_cache, cold.chromium.floor.http_cache]) {
      assert.equal(sample.samples, 2);
      assert.ok(sample.total_ms > 0 && sample.instantiate_ms > 0 && sample.total_ms >= sample.load_ms);
      assert.ok(sample.minor_faults > 0, 'a cold start touches fresh memory: its page faults are counted');
    }
    const machine = results['cold-start'].machine;
    assert.ok(Number.isFinite(machine.page_fault_us) && machine.page_fault_us >= 0, 'the machine table measures the cost of a page fault');
    const redact = results.redact.results;
    for (const id of ['leastdata', 'redact_pii']) {
      assert.ok(redact[id].mb_s > 0 && redact[id].recall >= 0 && redact[id].precision <= 1);
    }
    const endpoint = results.endpoint.results.rows;
    assert.deepEqual(endpoint.map((r) => `${r.backend} ${r.route}`), ['sqlite GET settings', 'sqlite POST stats']);
    for (const r of endpoint) {
      assert.ok(r.fixed_concurrency.requests_per_s > 0 && r.fixed_concurrency.p99_ms > 0);
      assert.ok(r.fixed_rate.requests > 0 && r.fixed_rate.p99_ms > 0 && r.fixed_rate.non_2xx === 0);
    }
    const jobs = results.jobs.results;
    assert.deepEqual(jobs.rows.map((r) => r.tickets), [500]);
    for (const r of jobs.rows) {
      assert.ok(r.tickets_per_s > 0 && r.process_s > 0 && r.redacted_comments > 500, JSON.stringify(r));
      assert.ok(r.peak_js_heap_bytes > 0 && r.peak_wasm_bytes > 0 && r.peak_total_bytes >= r.peak_js_heap_bytes);
    }
    assert.equal(jobs.bound_bytes, 64 * 1024 * 1024);
  });

  test('RESULTS.md has the targets and every section, and links charts that are SVG', () => {
    const report = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    for (const heading of ['## Targets', '## Filter throughput, Node', '## Filter throughput, Chromium', '## Object out', '### Chromium', '## JS heap growth per call',
      '## Package size', '## Cold start', '## Redaction', '## Endpoint', '## Multi-stage job', '## Machine']) {
      assert.ok(report.includes(heading), heading);
    }
    assert.match(report, /\*\*(met|not met)\*\*/);
    const charts = readdirSync(join(out, 'charts'));
    assert.ok(charts.length >= 8, charts.join(', '));
    for (const chart of charts) {
      assert.ok(report.includes(`charts/${chart}`), `${chart} is linked`);
      const svg = readFileSync(join(out, 'charts', chart), 'utf8');
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>/);
      assert.match(svg, /<\/svg>\n$/);
      assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
      assert.equal((svg.match(/<rect\b/g) ?? []).length, (svg.match(/<rect\b[^>]*\/>|<\/rect>/g) ?? []).length, `${chart}: every rect closed`);
    }
  });
});

describe('bench building blocks', () => {
  test('contenders that do not select the same fields fail loudly', () => {
    assert.throws(() => checkSameObjects({ a: () => ({ x: 1, y: 2 }), floor: () => undefined, b: () => ({ x: 1 }) }, 'object 1MB'),
      /object 1MB: b does not produce the same JSON as a/);
    assert.equal(checkSameObjects({ a: () => ({ x: [1], z: null }), floor: () => undefined, b: () => ({ z: null, x: [1] }) }, 'same'), 18);
    assert.equal(checkSameOutput({ a: '{"x":[1,{"y":2}],"z":null}', b: '{"z":null,"x":[1,{"y":2}]}' }, 'same'), 26);
    assert.throws(() => checkSameOutput({ a: '{"x":1,"y":2}', b: '{"x":1}' }, 'tickets 1MB'), /tickets 1MB: b does not produce the same JSON as a/);
    assert.throws(() => checkSameOutput({ a: '{}', b: '{}' }, 'empty'), /empty result/);
  });

  test('targets without results are "not measured", not met or unmet', () => {
    const targets = evaluateTargets({});
    assert.ok(targets.length >= 10);
    assert.ok(targets.every((t) => t.met === null && t.shown === 'not measured'));
  });

  test('the fixed-rate generator is open loop: a server slower than the rate shows as latency from the due time', async () => {
    // One connection to a server taking 10 ms per request serves 100/s; 200/s are due.
    const server = createServer((req, res) => setTimeout(() => res.end('{}'), 10));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const r = await fixedRate({
        url: `http://127.0.0.1:${server.address().port}/x`, method: 'GET', headers: {}, rate: 200, durationMs: 500, warmupMs: 0, connections: 1,
      });
      assert.equal(r.non_2xx + r.errors, 0);
      assert.equal(r.requests, 100);
      assert.ok(r.service_p50_ms >= 10 && r.service_p50_ms < 100, `service p50 ${r.service_p50_ms}`);
      assert.ok(r.p99_ms > 200, `p99 ${r.p99_ms}: requests waiting for the connection count from their due time`);
      assert.ok(r.rate_achieved < 150, `achieved ${r.rate_achieved}/s`);
    } finally {
      server.close();
    }
  });
});
