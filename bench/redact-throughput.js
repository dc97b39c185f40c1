// Redaction: leastdata (wasm) against the npm package redact-pii on the same generated
// texts, in the same run: throughput (median MB/s) and how much each finds and spares.
//   node bench/redact-throughput.js [SIZE_BYTES]
// Both are judged on their output text, the only thing redact-pii returns: recall is the
// share of planted values no longer present, and precision-like "spared" is the share of
// hard negatives (dates, versions, order numbers, prices, times) still present.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { load } from '../dist/node.js';
import { redactionCorpus } from './redact-corpus.js';

const require = createRequire(import.meta.url);
const { SyncRedactor } = require('redact-pii');

const size = Number(process.argv[2] ?? 1_000_000);
const { text, entities, negatives } = redactionCorpus(size);
const mb = Buffer.byteLength(text) / 1e6;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function throughput(run) {
  run();
  const times = [];
  const until = performance.now() + 2000;
  while (performance.now() < until || times.length < 5) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return mb / (median(times) / 1000);
}

function judge(output) {
  const removed = entities.filter(({ value }) => !output.includes(value)).length;
  const spared = negatives.filter((negative) => output.includes(negative)).length;
  return { recall: removed / entities.length, spared: spared / negatives.length };
}

const ld = await load();
const redactor = new SyncRedactor();
const leastdata = { mb_s: throughput(() => ld.redact(text, { action: 'label' })), ...judge(ld.redact(text, { action: 'label' }).text) };
const redactPii = { mb_s: throughput(() => redactor.redact(text)), ...judge(redactor.redact(text)) };

const result = {
  bytes: Buffer.byteLength(text),
  entities: entities.length,
  leastdata,
  redact_pii: redactPii,
  speedup: leastdata.mb_s / redactPii.mb_s,
};
writeFileSync(new URL('./results/redact.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
