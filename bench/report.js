// Regenerates RESULTS.md and charts/*.svg from whatever result files are in the results
// folder, so a partial run (`--only`) updates its sections and keeps the others.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { barChart } from './charts.js';
import { BREAKDOWN_LABELS, LABELS, OBJECT_LABELS, RESPONSE_LABELS } from './contenders.js';
import { jobsSection } from './jobs-report.js';
import { KIB, MIB, evaluateTargets, faultsCell } from './targets.js';
import { WORKLOADS } from './workloads.js';

const FILTER_ORDER = ['leastdata_bytes', 'leastdata_string', 'leastdata_core', 'json_mask', 'pick', 'native', 'native_no_ledger', 'native_clang'];
const SHORT = {
  leastdata_bytes: 'leastdata (bytes)',
  leastdata_string: 'leastdata (string)',
  leastdata_core: 'wasm core',
  json_mask: 'json-mask pipeline',
  pick: 'pick pipeline',
  native: 'native',
  native_no_ledger: 'native, no ledger',
  native_clang: 'native by clang',
};

const f1 = (v) => (v === undefined || v === null ? '–' : v.toFixed(1));
const f2 = (v) => (v === undefined || v === null ? '–' : v.toFixed(2));
const x = (v) => (v === undefined || v === null ? '–' : `${v.toFixed(2)}×`);
const kib = (v) => `${(v / KIB).toFixed(1)} KiB`;
const mib = (v) => (v === null || v === undefined ? '–' : `${(v / MIB).toFixed(2)} MiB`);
const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** Reads every results/*.json into { name: file }. */
export function readResults(resultsDir) {
  if (!existsSync(resultsDir)) return {};
  return Object.fromEntries(readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(resultsDir, f), 'utf8'))]));
}

function machineSection(results) {
  const files = Object.values(results).filter((r) => r.machine);
  if (files.length === 0) return '';
  const newest = files.reduce((a, b) => (a.machine.date > b.machine.date ? a : b));
  const m = newest.machine;
  const lines = [
    '## Machine',
    '',
    table(['', ''], [
      ['CPU', `${m.cpu}, ${m.cores} cores`],
      ['RAM', `${m.ram_gb} GiB`],
      ['first touch of a fresh 4 KiB page', m.page_fault_us === undefined ? '–' : `${m.page_fault_us} µs (on bare-metal Linux, typically under 1 µs)`],
      ['OS', m.os],
      ['Node', m.node],
      ['Chromium', m.chromium ?? '–'],
      ['Emscripten', m.emscripten ?? '–'],
      ['native compilers', m.compilers ? `${m.compilers['g++'] ?? '–'} (*native*); ${m.compilers.clang ?? '–'} (*native by clang*)` : '–'],
      ['git commit', m.git_commit ?? '–'],
      ['builds (sha256, 16 hex)', Object.entries(m.builds).map(([k, v]) => `\`${k}\` ${v ?? 'missing'}`).join('<br>')],
    ]),
    '',
    'Each result file records its own machine details; the runs behind this page:',
    '',
    table(['file', 'date', 'load average at start → end (1, 5, 15 min)', 'took', 'commit'],
      Object.entries(results).map(([name, r]) => [
        `[\`results/${name}.json\`](results/${name}.json)`,
        r.machine.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
        `${r.machine.load_average_at_start.join(', ')} → ${r.load_average_at_end.join(', ')}`,
        `${r.duration_s.toFixed(0)} s`,
        r.machine.git_commit ?? '–',
      ])),
  ];
  return lines.join('\n');
}

function targetsSection(results) {
  const rows = evaluateTargets(results).map((t) => [
    t.target, t.where, t.shown, t.threshold, t.met === null ? 'not measured' : t.met === 'reported' ? 'reported' : t.met ? '**met**' : '**not met**', t.note ?? '',
  ]);
  return ['## Targets', '', table(['target', 'where', 'measured', 'threshold', 'status', 'note'], rows)].join('\n');
}

function filterSection(file, platform, charts) {
  if (!file) return '';
  const rows = file.results.rows;
  const out = [`## Filter throughput, ${platform} (MB/s, median; 1 MB = 10⁶ bytes)`, ''];
  if (platform === 'Chromium') {
    out.push(`Timed in the page (\`bench/browser/page.js\`), cross-origin isolated: ${file.results.cross_origin_isolated}. ` +
      'The native build does not run in a browser; the Node run of the same invocation has it.', '');
  } else {
    out.push('*native*: the same C++ built by g++ (`build/native`); *native by clang*: built by clang (`build/native-clang`), the compiler ' +
      'Emscripten uses, so *native by clang ÷ native* is what the compiler alone costs and *wasm core ÷ native by clang* what running as wasm costs. ' +
      'The two *wasm core ÷* columns are medians of ratios taken per round, each round running the native CLIs and timing the core in alternation ' +
      '(the native columns are timed in other minutes than the core\'s, and this machine\'s speed moves between minutes).', '');
  }
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    const wrows = rows.filter((r) => r.workload === workload);
    const ids = FILTER_ORDER.filter((id) => wrows.some((r) => r.contenders[id]));
    const ratioHeader = ['bytes ÷ json-mask', 'string ÷ json-mask', 'bytes ÷ pick'];
    if (ids.includes('native')) ratioHeader.push('bytes ÷ native', 'wasm core ÷ native', 'wasm core ÷ native by clang');
    out.push(`### \`${workload}\`: ${WORKLOADS[workload]?.title ?? workload}`, '');
    out.push(table(['size', 'input bytes', 'output chars', ...ids.map((id) => SHORT[id]), ...ratioHeader], wrows.map((r) => {
      const mb = (id) => r.contenders[id]?.mb_s;
      const ratio = (a, b) => (mb(a) && mb(b) ? mb(a) / mb(b) : undefined);
      const cells = [x(ratio('leastdata_bytes', 'json_mask')), x(ratio('leastdata_string', 'json_mask')), x(ratio('leastdata_bytes', 'pick'))];
      if (ids.includes('native')) cells.push(x(ratio('leastdata_bytes', 'native')), x(r.ratios.wasm_core_vs_native), x(r.ratios.wasm_core_vs_native_clang));
      return [r.size, r.bytes.toLocaleString('en'), r.output_chars.toLocaleString('en'), ...ids.map((id) => f1(mb(id))), ...cells];
    })));
    const chart = `filter-${platform.toLowerCase()}-${workload}.svg`;
    charts[chart] = barChart({
      title: `Filter throughput, ${platform}: ${workload}`,
      subtitle: `${WORKLOADS[workload]?.title ?? workload} — median MB/s, higher is better`,
      unit: 'MB/s',
      groups: wrows.map((r) => r.size),
      series: ids.map((id) => ({ name: LABELS[id], values: wrows.map((r) => r.contenders[id]?.mb_s ?? null) })),
    });
    out.push('', `![${platform} ${workload}](charts/${chart})`, '');
  }
  return out.join('\n');
}

const OBJECT_SHORT = {
  leastdata_bytes: 'leastdata, bytes → object',
  leastdata_string: 'leastdata, string → object',
  leastdata_text_bytes: 'leastdata, bytes → text → JSON.parse',
  json_mask: 'JSON.parse + json-mask',
  json_mask_bytes: 'TextDecoder + JSON.parse + json-mask',
  json_parse: 'JSON.parse alone',
  encode_floor: 'encodeInto floor',
};

function objectSection(node, chromium, charts) {
  if (!node && !chromium) return '';
  const out = [
    '## Object out: from what an app receives to the object it uses (median ms per call)',
    '',
    '`policy.filterParsed(bytes)` and `policy.filterParsed(string)` against `jsonMask.filter(JSON.parse(string), mask)`, ' +
      'on the `tickets` workload; the ratios are json-mask\'s time ÷ leastdata\'s (above 1×, leastdata is faster). ' +
      '`JSON.parse(policy.filter(bytes))`, the output decoded to one string and parsed whole, shows what parsing in place saves. ' +
      'An app that fetched the bytes and used json-mask would decode them first (`response.json()` does): ' +
      '*bytes: ÷ decode + json-mask* compares both pipelines from the same bytes. ' +
      'Below each table, the parts of one call, timed alone: the wasm filter with and without the ledger, the JavaScript around it, ' +
      'and decoding the input, which only a pipeline that starts from a string pays. ' +
      '`JSON.parse` of the whole text and `TextEncoder.encodeInto` of it are references: the first is what the filter must save, ' +
      'the second the copy into wasm memory that every call from a string pays before any filtering (*above the floor*: the rest).',
  ];
  for (const [platform, file] of [['Node', node], ['Chromium', chromium]]) {
    if (!file) continue;
    const rows = file.results.rows;
    const ids = Object.keys(OBJECT_SHORT).filter((id) => rows.some((r) => r.contenders[id]));
    const ms = (c) => (c ? c.median_ms.toPrecision(3) : '–');
    out.push('', `### ${platform}`, '', table(
      ['size', 'input bytes', 'output chars', ...ids.map((id) => OBJECT_SHORT[id]), 'bytes: ÷ json-mask', 'bytes: ÷ decode + json-mask', 'string: ÷ json-mask', 'string above the floor'],
      rows.map((r) => [r.size, r.bytes.toLocaleString('en'), r.output_chars.toLocaleString('en'), ...ids.map((id) => ms(r.contenders[id])),
        x(r.ratios.bytes_vs_json_mask), r.ratios.bytes_vs_json_mask_from_bytes === undefined ? '–' : x(r.ratios.bytes_vs_json_mask_from_bytes),
        x(r.ratios.string_vs_json_mask), `${r.string_above_floor_ms.toPrecision(3)} ms`]),
    ));
    const chart = `object-${platform.toLowerCase()}.svg`;
    charts[chart] = barChart({
      title: `Object out, ${platform}: response → the object the app uses`,
      subtitle: 'tickets workload — MB of input per second, median, higher is better',
      unit: 'MB/s',
      groups: rows.map((r) => r.size),
      series: ids.map((id) => ({ name: OBJECT_LABELS[id], values: rows.map((r) => r.contenders[id]?.mb_s ?? null) })),
    });
    out.push('', `![object out, ${platform}](charts/${chart})`);
    out.push(...breakdownTable(platform, rows, charts));
    out.push(...responseTable(platform, rows, charts));
  }
  return out.join('\n');
}

// Object out from a fetched response: each call fetches the payload and reads the body
// itself (bench/contenders.js, makeResponseContenders).
function responseTable(platform, rows, charts) {
  if (!rows.some((r) => r.response)) return [];
  const ids = Object.keys(RESPONSE_LABELS);
  const ms = (v) => (v === undefined ? '–' : v.toPrecision(3));
  const chart = `object-response-${platform.toLowerCase()}.svg`;
  charts[chart] = barChart({
    title: `Object out, ${platform}: from a fetched response`,
    subtitle: 'tickets workload, each call fetches over loopback — MB of input per second, median, higher is better',
    unit: 'MB/s',
    groups: rows.map((r) => r.size),
    series: ids.map((id) => ({ name: RESPONSE_LABELS[id], values: rows.map((r) => r.response?.[id]?.mb_s ?? null) })),
  });
  return ['', `#### ${platform}: from a fetched response (median ms per call, fetch included)`, '',
    'What an app that fetches Zendesk\'s API itself holds is a `Response` ([docs/performance.md](../docs/performance.md#which-path-an-app-gets)). ' +
      '*stream ÷ json-mask* is `response.json()` + json-mask\'s time ÷ `filterParsedStream`\'s; *stream ÷ arrayBuffer* compares reading the body ' +
      'chunk by chunk into wasm memory with reading it whole first.', '',
    table(['size', ...ids.map((id) => RESPONSE_LABELS[id]), 'stream ÷ json-mask', 'stream ÷ arrayBuffer'],
      rows.filter((r) => r.response).map((r) => [r.size, ...ids.map((id) => ms(r.response[id]?.median_ms)),
        x(r.ratios.response_stream_vs_json_mask), x(r.ratios.response_stream_vs_array_buffer)])),
    '', `![object out from a fetched response, ${platform}](charts/${chart})`];
}

// The parts charted, with names short enough for the chart's legend.
const PART_CHART_NAMES = {
  core_no_ledger: 'wasm filter, no ledger',
  core_ledger: 'wasm filter with the ledger',
  core_parsed: '… and output spans (filterParsed)',
  ledger_js: 'ledger into the access report (JS)',
  parse_output: 'output parsed (JS)',
};

// Where one filterParsed(bytes) call's time goes: each part timed alone in the same run
// (bench/contenders.js, makeObjectBreakdown), beside the whole call.
function breakdownTable(platform, rows, charts) {
  if (!rows.some((r) => r.breakdown)) return [];
  const ids = Object.keys(BREAKDOWN_LABELS).filter((id) => rows.some((r) => r.breakdown?.[id] !== undefined));
  const ms = (v) => (v === undefined ? '–' : v.toPrecision(3));
  // The parts a call is made of, as shares of the whole call (the core rows overlap: each
  // adds to the one above it; decoding the input is json-mask's, for scale).
  const chart = `object-parts-${platform.toLowerCase()}.svg`;
  // Results written before the whole call was timed with its parts fall back to the object table's.
  const whole = (r) => r.breakdown?.whole_call ?? r.contenders.leastdata_bytes?.median_ms;
  const share = (r, id) => (r.breakdown?.[id] === undefined ? null : (100 * r.breakdown[id]) / whole(r));
  charts[chart] = barChart({
    title: `Object out, ${platform}: the parts of one filterParsed(bytes) call`,
    subtitle: 'each part timed alone, as % of the whole call (median); the wasm rows include each other',
    unit: '%',
    groups: rows.map((r) => r.size),
    series: Object.entries(PART_CHART_NAMES).map(([id, name]) => ({ name, values: rows.map((r) => share(r, id)) })),
    line: { value: 100, label: 'the whole call' },
  });
  return ['', `#### ${platform}: the parts of one \`filterParsed(bytes)\` call (median ms, each timed alone)`, '', `![the parts of a call, ${platform}](charts/${chart})`, '', table(
    ['part', ...rows.map((r) => r.size)],
    [
      ['**the whole call**', ...rows.map((r) => ms(whole(r)))],
      ...ids.map((id) => [BREAKDOWN_LABELS[id], ...rows.map((r) => ms(r.breakdown?.[id]))]),
      ['*for scale:* JSON.parse + json-mask of the text', ...rows.map((r) => ms(r.contenders.json_mask?.median_ms))],
    ],
  )];
}

function heapSection(heap, charts) {
  if (!heap) return '';
  const r = heap.results;
  const ids = FILTER_ORDER.filter((id) => r.node?.contenders[id] || r.chromium?.contenders[id]);
  const cells = (c) => (c ? [mib(c.growth_bytes), mib(c.v8_heap_growth_bytes), mib(c.off_heap_growth_bytes), mib(c.retained_with_output_bytes), mib(c.left_after_drop_bytes)] : ['–', '–', '–', '–', '–']);
  const rows = ids.map((id) => [SHORT[id], ...cells(r.node?.contenders[id]), ...cells(r.chromium?.contenders[id])]);
  const growth = (platform) => ids.map((id) => (r[platform]?.contenders[id] ? r[platform].contenders[id].growth_bytes / MIB : null));
  charts['heap.svg'] = barChart({
    title: `JS heap growth per call, ${r.workload} ${r.size}`,
    subtitle: 'median MiB (V8 heap + off-heap memory), the returned string included; lower is better',
    unit: 'MiB',
    groups: ids.map((id) => SHORT[id]),
    series: [
      { name: 'Node (heapUsed + external)', values: growth('node') },
      { name: 'Chromium (usedSize + backingStorageSize)', values: growth('chromium') },
    ],
    line: { value: 2, label: 'target for leastdata (bytes): 2 MiB' },
  });
  const platforms = ['Node', 'Chromium'];
  return [
    `## JS heap growth per call (\`${r.workload}\`, ${r.size}: ${r.bytes?.toLocaleString('en')} bytes; median of ${r.samples} calls)`,
    '',
    '*growth*: memory after the call minus memory after a full GC before it — garbage not yet collected plus the returned string — ' +
      'split into the V8 heap and off-heap memory (Node: `external`, which holds ArrayBuffers such as wasm linear memory; ' +
      'Chromium: `backingStorageSize`, which also holds strings Blink made, such as a large `TextDecoder` result). ' +
      '*retained*: after a GC with the output still referenced (≈ the returned string); *left*: after dropping the output and a GC. ' +
      'Growth is a lower bound on what a call allocates: young-generation collections during the call free part of it ' +
      '(the JavaScript pipelines build a tree several times the input and show less).',
    '',
    table(['contender', ...platforms.flatMap((p) => [`${p} growth`, 'V8 heap', 'off-heap', 'retained', 'left'])], rows),
    '',
    r.node ? `wasm linear memory after the Node calls: ${mib(r.node.wasm_memory_bytes)}.` : '',
    '',
    '![heap](charts/heap.svg)',
  ].join('\n');
}

function sizeSection(file, charts) {
  if (!file) return '';
  const s = file.results;
  const rows = [
    ['`leastdata.wasm`', s.wasm],
    ['`leastdata.mjs` (Emscripten glue)', s.glue],
    ['**.wasm + glue**', s.wasm_plus_glue],
    ['everything `dist/browser.js` loads', s.browser_total],
  ].map(([name, v]) => [name, kib(v.raw), kib(v.gzip), kib(v.brotli)]);
  rows.push(['libsodium-wrappers (published)', '–', kib(s.libsodium_wrappers.gzip_bytes), '–']);
  charts['package-size.svg'] = barChart({
    title: 'What a page downloads',
    subtitle: 'KiB, lower is better',
    unit: 'KiB',
    groups: ['raw', 'gzip -9', 'brotli -q 11'],
    series: [
      { name: '.wasm', values: [s.wasm.raw / KIB, s.wasm.gzip / KIB, s.wasm.brotli / KIB] },
      { name: 'glue (.mjs)', values: [s.glue.raw / KIB, s.glue.gzip / KIB, s.glue.brotli / KIB] },
      { name: '.wasm + glue', values: [s.wasm_plus_glue.raw / KIB, s.wasm_plus_glue.gzip / KIB, s.wasm_plus_glue.brotli / KIB] },
      { name: 'libsodium-wrappers (published gzip)', values: [null, s.libsodium_wrappers.gzip_bytes / KIB, null] },
    ],
    line: { value: 200, label: '.wasm + glue target: 200 KiB gzip' },
  });
  return [
    '## Package size (1 KiB = 1,024 bytes)',
    '',
    table(['file', 'raw', 'gzip -9', 'brotli -q 11'], rows),
    '',
    `libsodium-wrappers figure: ${s.libsodium_wrappers.source}.`,
    '',
    '![package size](charts/package-size.svg)',
  ].join('\n');
}

function coldSection(file, charts) {
  if (!file) return '';
  const r = file.results;
  const platforms = [
    ['Node', r.node],
    ['Chromium, no HTTP cache', r.chromium?.no_cache],
    ['Chromium, .wasm from the HTTP cache', r.chromium?.http_cache],
    ['Chromium, the floor (an empty module), no HTTP cache', r.chromium?.floor?.no_cache],
    ['Chromium, the floor, .wasm from the HTTP cache', r.chromium?.floor?.http_cache],
  ].filter(([, v]) => v);
  const faultUs = file.machine?.page_fault_us;
  const rows = platforms.map(([name, v]) => [name, v.samples, f1(v.total_ms), f1(v.load_ms), f1(v.before_instantiate_ms), f1(v.instantiate_ms), f1(v.runtime_init_ms),
    f1(v.first_filter_ms), faultsCell(v.minor_faults, faultUs), name === 'Node' ? `import ${f1(v.import_ms)}` : `module graph ${f1(v.module_graph_ms)} (since navigation start)`]);
  charts['cold-start.svg'] = barChart({
    title: 'Cold start: load() to the first filter result',
    subtitle: 'median ms over fresh processes / browser contexts, lower is better',
    unit: 'ms',
    groups: platforms.map(([name]) => name),
    series: [
      { name: 'load() to first result', values: platforms.map(([, v]) => v.total_ms) },
      { name: 'of which before instantiation (in a browser: the .wasm\'s response headers)', values: platforms.map(([, v]) => v.before_instantiate_ms) },
      { name: 'of which WebAssembly compile + instantiate', values: platforms.map(([, v]) => v.instantiate_ms) },
      { name: 'of which runtime init (constructors, the core tables)', values: platforms.map(([, v]) => v.runtime_init_ms) },
      { name: 'of which first compile() + filter()', values: platforms.map(([, v]) => v.first_filter_ms) },
    ],
    line: { value: 30, label: 'Chromium target: 30 ms' },
  });
  return [
    `## Cold start (median ms; \`${r.workload}\` policy, 10 KB ticket list from bytes)`,
    '',
    table(['', 'samples', 'load() → first result', 'load()', 'of which before instantiation', 'of which compile + instantiate', 'of which runtime init', 'first compile + filter', 'minor page faults (≈ ms at this machine\'s cost per fault)', 'before the clock starts'], rows),
    '',
    '*The floor*: a module with one exported function and nothing else (`bench/cold-start-floor.cpp`), linked with the package\'s glue flags and ' +
      'loaded the same way in the same run, its first call in the *first compile + filter* column: what any Emscripten module costs on this machine ' +
      `and in this harness. leastdata above it: ${aboveFloor(r.chromium)}.`,
    '',
    '*Before instantiation*: in Chromium, the wait for the `.wasm`\'s response headers (`instantiateStreaming` then compiles while the body arrives). ' +
      'Over loopback in this headless, DevTools-driven Chromium that wait is tens of milliseconds even for a 10 KB response, ' +
      'which is the harness\'s network path more than the package. *From the HTTP cache*: a second page in a context that loaded the page once.',
    '',
    '![cold start](charts/cold-start.svg)',
  ].join('\n');
}

/** leastdata's cold start above the floor's, in Chromium, without and with the HTTP cache. */
function aboveFloor(chromium) {
  if (!chromium?.floor) return 'not measured';
  const above = (cache) => `${f1(chromium[cache].total_ms - chromium.floor[cache].total_ms)} ms`;
  return `${above('no_cache')} without the HTTP cache, ${above('http_cache')} from it`;
}

function redactSection(file, charts) {
  if (!file) return '';
  const r = file.results;
  const ids = ['leastdata', 'redact_pii'];
  const names = { leastdata: 'leastdata (label)', redact_pii: 'redact-pii (SyncRedactor)' };
  const pct = (v) => `${(v * 100).toFixed(1)} %`;
  charts['redact.svg'] = barChart({
    title: 'Redaction throughput',
    subtitle: `${(r.bytes / 1e6).toFixed(2)} MB of generated ticket text — median MB/s, higher is better`,
    unit: 'MB/s',
    groups: ['throughput'],
    series: ids.map((id) => ({ name: names[id], values: [r[id].mb_s] })),
  });
  return [
    `## Redaction (${r.bytes.toLocaleString('en')} bytes, ${r.sentences.toLocaleString('en')} sentences; quality judged on ${r.judged_sentences})`,
    '',
    table(['', 'MB/s', 'recall', 'recall, strict', 'precision', 'hard negatives spared', 'recall by type'],
      ids.map((id) => [names[id], f1(r[id].mb_s), pct(r[id].recall), pct(r[id].recall_strict), pct(r[id].precision), pct(r[id].negatives_spared),
        Object.entries(r[id].recall_by_type).map(([t, v]) => `${t} ${pct(v)}`).join(', ')])),
    '',
    `leastdata is ${x(r.speedup)} as fast. The corpus plants the five formats both tools claim to detect; see [README.md](README.md#redaction) for how recall and precision are judged.`,
    '',
    '![redaction](charts/redact.svg)',
  ].join('\n');
}

function endpointSection(file, charts) {
  if (!file) return '';
  const { rows, server_options: serverOptions } = file.results;
  const c0 = rows[0]?.fixed_concurrency;
  const r0 = rows[0]?.fixed_rate;
  charts['endpoint.svg'] = barChart({
    title: 'Endpoint requests/s at fixed concurrency (wrk)',
    subtitle: `wrk -t${c0?.threads} -c${c0?.connections} -d${c0?.duration_s?.toFixed(0)}s, higher is better`,
    unit: 'requests/s',
    groups: [...new Set(rows.map((r) => r.route))],
    series: [...new Set(rows.map((r) => r.backend))].map((b) => ({
      name: b === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      values: [...new Set(rows.map((r) => r.route))].map((route) => rows.find((r) => r.backend === b && r.route === route)?.fixed_concurrency.requests_per_s ?? null),
    })),
    line: { value: 5000, label: 'GET settings target: 5,000/s' },
  });
  return [
    '## Endpoint (`leastdata-endpoint serve`, native build, on this machine together with the load generator)',
    '',
    `Server options: \`${serverOptions}\`. Fixed concurrency: wrk, closed loop. Fixed rate: \`bench/fixed-rate.js\`, open loop at ${r0?.rate_target} requests/s ` +
      `for ${r0?.duration_s} s after ${r0?.warmup_s} s of warm-up, latency from each request's due time.`,
    '',
    table(['backend', 'route', 'requests/s', 'p50 ms', 'p90 ms', 'p99 ms', `at ${r0?.rate_target}/s: achieved`, 'p50 ms', 'p99 ms', 'max ms', 'service p99 ms'],
      rows.map((r) => [r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL', r.route, Math.round(r.fixed_concurrency.requests_per_s).toLocaleString('en'),
        f2(r.fixed_concurrency.p50_ms), f2(r.fixed_concurrency.p90_ms), f2(r.fixed_concurrency.p99_ms),
        `${Math.round(r.fixed_rate.rate_achieved)}/s`, f2(r.fixed_rate.p50_ms), f2(r.fixed_rate.p99_ms), f2(r.fixed_rate.max_ms), f2(r.fixed_rate.service_p99_ms)])),
    '',
    '![endpoint](charts/endpoint.svg)',
  ].join('\n');
}

/**
 * Writes `<outDir>/RESULTS.md` and `<outDir>/charts/*.svg` from `<outDir>/results/*.json`.
 * @returns {{ report: string, charts: string[] }} the paths written
 */
export function writeReport(outDir) {
  const resultsDir = join(outDir, 'results');
  const chartsDir = join(outDir, 'charts');
  const results = readResults(resultsDir);
  const charts = {};
  const sections = [
    '# Benchmark results',
    '',
    'Generated by `npm run bench` (`node bench/run.js`) from the files in [`results/`](results/); do not edit by hand. ' +
      'How the figures are made and how to read them: [README.md](README.md).',
    '',
    targetsSection(results),
    filterSection(results['filter-node'], 'Node', charts),
    filterSection(results['filter-chromium'], 'Chromium', charts),
    objectSection(results['object-node'], results['object-chromium'], charts),
    heapSection(results.heap, charts),
    sizeSection(results['package-size'], charts),
    coldSection(results['cold-start'], charts),
    redactSection(results.redact, charts),
    endpointSection(results.endpoint, charts),
    jobsSection(results.jobs, charts),
    machineSection(results),
  ].filter((s) => s !== '');
  const report = join(outDir, 'RESULTS.md');
  writeFileSync(report, `${sections.join('\n\n')}\n`);
  rmSync(chartsDir, { recursive: true, force: true });
  mkdirSync(chartsDir, { recursive: true });
  for (const [name, svg] of Object.entries(charts)) writeFileSync(join(chartsDir, name), svg);
  return { report, charts: Object.keys(charts).map((name) => relative(outDir, join(chartsDir, name))) };
}
