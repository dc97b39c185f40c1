// A labelled corpus for redaction benchmarks: support-ticket sentences with known
// personal data (and the hard negatives that must survive), generated from a seed.

import { seededRandom } from '../demo/zendesk/seeded-random.js';

function luhnComplete(prefix) {
  // Appends the check digit that makes `prefix` Luhn-valid.
  let sum = 0;
  for (let i = 0; i < prefix.length; i++) {
    let d = Number(prefix[prefix.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return prefix + ((10 - (sum % 10)) % 10);
}

function ibanDE(random) {
  const bban = Array.from({ length: 18 }, () => Math.floor(random() * 10)).join('');
  const rearranged = `${bban}131400`; // D=13 E=14, check digits 00
  let remainder = 0;
  for (const ch of rearranged) remainder = (remainder * 10 + Number(ch)) % 97;
  const check = String(98 - remainder).padStart(2, '0');
  return `DE${check}${bban}`.replace(/(.{4})/g, '$1 ').trim();
}

const FIRST = ['anna', 'ben', 'chloé', 'dmitri', 'eva', 'farid', 'greta', 'hiro'];
const WORDS = ['printer', 'invoice', 'refund', 'login', 'shipping', 'delay', 'screen', 'order', 'account', 'upgrade'];

const makers = {
  email: (r) => `${FIRST[Math.floor(r() * FIRST.length)].replace('é', 'e')}.${Math.floor(r() * 1000)}@example${Math.floor(r() * 9)}.com`,
  phone: (r) => `+49 30 ${Math.floor(1000000 + r() * 8999999)}`,
  credit_card: (r) => luhnComplete(`4${Array.from({ length: 14 }, () => Math.floor(r() * 10)).join('')}`).replace(/(.{4})/g, '$1 ').trim(),
  iban: ibanDE,
  ip: (r) => `${10 + Math.floor(r() * 200)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`,
};

const NEGATIVES = [
  (r) => `2024-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
  (r) => `version 10.0.${19000 + Math.floor(r() * 999)}`,
  (r) => `order #${100000 + Math.floor(r() * 899999)}`,
  (r) => `${1 + Math.floor(r() * 9)},${100 + Math.floor(r() * 899)}.00 EUR`,
  (r) => `at 1${Math.floor(r() * 9)}:3${Math.floor(r() * 9)}`,
];

/**
 * { text, entities: [{ type, value }], negatives: [string], sentences: [{ text, type, value,
 * negative, words }] } of about `bytes` bytes; each sentence holds one planted value, one
 * hard negative and three ordinary words.
 */
export function redactionCorpus(bytes, seed = 7) {
  const r = seededRandom(seed);
  const parts = [];
  const entities = [];
  const negatives = [];
  const sentences = [];
  let size = 0;
  const types = Object.keys(makers);
  while (size < bytes) {
    const type = types[Math.floor(r() * types.length)];
    const value = makers[type](r);
    const negative = NEGATIVES[Math.floor(r() * NEGATIVES.length)](r);
    const words = [0, 1, 2].map(() => WORDS[Math.floor(r() * WORDS.length)]);
    const sentence = `The ${words[0]} ${words[1]} issue (${negative}): please contact ${value} about the ${words[2]}. `;
    entities.push({ type, value });
    negatives.push(negative);
    parts.push(sentence);
    sentences.push({ text: sentence, type, value, negative, words });
    size += sentence.length;
  }
  return { text: parts.join(''), entities, negatives, sentences };
}
