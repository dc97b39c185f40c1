// The "Multi-stage job" section of RESULTS.md and its charts, from results/jobs.json
// (bench/jobs.js).
import { barChart } from './charts.js';

const MIB = 1024 * 1024;
const table = (header, rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const mib = (v) => `${(v / MIB).toFixed(1)} MiB`;
const count = (n) => n.toLocaleString('en');

export function jobsSection(file, charts) {
  if (!file) return '';
  const { rows, bound_bytes: bound } = file.results;
  const groups = rows.map((r) => `${count(r.tickets)} tickets`);
  charts['jobs-memory.svg'] = barChart({
    title: 'GDPR-cleanup job: peak memory of the app in Chromium',
    subtitle: 'JS heap (V8 used size in the app iframe) and wasm linear memory, sampled every 100 ms',
    unit: 'MiB',
    groups,
    series: [
      { name: 'JS heap', values: rows.map((r) => r.peak_js_heap_bytes / MIB) },
      { name: 'wasm linear memory', values: rows.map((r) => r.peak_wasm_bytes / MIB) },
      { name: 'both (peak of the sum)', values: rows.map((r) => r.peak_total_bytes / MIB) },
    ],
    line: { value: bound / MIB, label: `bound: ${mib(bound)}` },
  });
  charts['jobs-throughput.svg'] = barChart({
    title: 'GDPR-cleanup job: tickets per second',
    subtitle: 'simulated Zendesk without added latency or rate limits; endpoint on SQLite',
    unit: 'tickets/s',
    groups,
    series: [
      { name: 'processing (read comments, detect, redact)', values: rows.map((r) => r.tickets_per_s) },
      { name: 'overall (collect + process)', values: rows.map((r) => r.tickets_per_s_overall) },
    ],
  });
  const worst = Math.max(...rows.map((r) => r.peak_total_bytes));
  return [
    '## Multi-stage job',
    '',
    'The GDPR-cleanup app finds a requester\'s tickets (search export, IDs only), stores the IDs at the endpoint and redacts ' +
      'the personal data in every comment, in Chromium with the real ZAF SDK, against the demo\'s simulated Zendesk with no ' +
      'added latency and no rate limits (`bench/jobs.js`; docs/jobs.md). Memory bound: ' +
      `**${mib(bound)}**, ${worst <= bound ? '**met**' : '**not met**'} (worst peak ${mib(worst)}).`,
    '',
    table(['job', 'comments redacted', 'collect', 'process', 'tickets/s (process)', 'tickets/s (overall)', 'peak JS heap', 'peak wasm', 'peak both', 'live JS heap before → after'],
      rows.map((r) => [count(r.tickets), count(r.redacted_comments), `${r.collect_s.toFixed(1)} s`, `${r.process_s.toFixed(1)} s`,
        r.tickets_per_s.toFixed(1), r.tickets_per_s_overall.toFixed(1), mib(r.peak_js_heap_bytes), mib(r.peak_wasm_bytes), mib(r.peak_total_bytes),
        `${mib(r.live_js_heap_before_bytes)} → ${mib(r.live_js_heap_after_bytes)}`])),
    '',
    'The peaks are what V8 had allocated at a sample, garbage not yet collected included; the live heap is measured after a ' +
      'full collection before the job starts and after it completes: equal figures mean nothing of the job stays behind.',
    '',
    '![job memory](charts/jobs-memory.svg)',
    '',
    '![job throughput](charts/jobs-throughput.svg)',
  ].join('\n');
}
