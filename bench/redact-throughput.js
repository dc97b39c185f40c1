// Redaction: leastdata (wasm, every detector, action `label`) against the npm package
// redact-pii (its default SyncRedactor) on the same generated support-ticket text, in the
// same run: throughput (interleaved rounds, median MB/s) and how well each finds the planted
// personal data (recall) without destroying what is not personal data (precision).
//
// Both are judged on output text, the only thing redact-pii returns, one sentence at a time
// (bench/redact-corpus.js plants one value, one hard negative — a date, version, order
// number, price or time — and three ordinary words per sentence):
// - found: the planted value no longer appears verbatim; strictly found: besides, no run of
//   4+ letters/digits of it is left (a phone reduced to "+49 30 DIGITS" is found, a card
//   reduced to "4111 CREDIT_CARD_NUMBER" is not strictly found);
// - false positive: a hard negative or an ordinary word that no longer appears.
// recall = found / planted; precision = found / (found + false positives).
import { createRequire } from 'node:module';

import { load } from '../dist/node.js';
import { redactionCorpus } from './redact-corpus.js';
import { timeInterleaved } from './timing.js';

const { SyncRedactor } = createRequire(import.meta.url)('redact-pii');

function judge(sentences, redact) {
  let found = 0;
  let strict = 0;
  let falsePositives = 0;
  let negativesSpared = 0;
  const byType = {};
  for (const s of sentences) {
    const out = redact(s.text);
    const start = out.indexOf('please contact ');
    const end = out.lastIndexOf(' about the ');
    const segment = start >= 0 && end > start ? out.slice(start + 15, end) : out;
    const isFound = !out.includes(s.value);
    const leftovers = s.value.match(/[\p{L}\p{N}]{4,}/gu) ?? [];
    const isStrict = isFound && !leftovers.some((run) => segment.includes(run));
    const spared = out.includes(s.negative);
    const lostWords = s.words.filter((w) => !out.includes(w)).length;
    found += isFound;
    strict += isStrict;
    negativesSpared += spared;
    falsePositives += (spared ? 0 : 1) + lostWords;
    byType[s.type] ??= { planted: 0, found: 0 };
    byType[s.type].planted++;
    byType[s.type].found += isFound;
  }
  const n = sentences.length;
  return {
    recall: found / n,
    recall_strict: strict / n,
    precision: found / (found + falsePositives),
    negatives_spared: negativesSpared / n,
    recall_by_type: Object.fromEntries(Object.entries(byType).map(([t, v]) => [t, v.found / v.planted])),
  };
}

/**
 * @param {{ bytes: number, judgeSentences: number, timing: object, log: (line: string) => void }} options
 */
export async function redactBench({ bytes, judgeSentences, timing, log }) {
  const { text, sentences } = redactionCorpus(bytes);
  const size = Buffer.byteLength(text);
  const ld = await load();
  const redactor = new SyncRedactor();
  const contenders = {
    leastdata: (t) => ld.redact(t, { action: 'label' }).text,
    redact_pii: (t) => redactor.redact(t),
  };
  log(`redact: throughput on ${(size / 1e6).toFixed(2)} MB, judging ${Math.min(judgeSentences, sentences.length)} sentences`);
  const times = await timeInterleaved(
    Object.fromEntries(Object.entries(contenders).map(([id, run]) => [id, () => run(text)])),
    { ...timing, gc: globalThis.gc },
  );
  const judged = sentences.slice(0, judgeSentences);
  const result = { bytes: size, sentences: sentences.length, judged_sentences: judged.length };
  for (const [id, run] of Object.entries(contenders)) {
    result[id] = { mb_s: size / 1e3 / times[id].median_ms, ...times[id], ...judge(judged, run) };
  }
  result.speedup = result.leastdata.mb_s / result.redact_pii.mb_s;
  ld.dispose();
  log(`  leastdata ${result.leastdata.mb_s.toFixed(1)} MB/s, redact-pii ${result.redact_pii.mb_s.toFixed(1)} MB/s`);
  return result;
}
