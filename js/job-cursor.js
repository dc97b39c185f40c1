// How a multi-stage job's state is written into the endpoint's opaque job cursor (DESIGN §7,
// §10): `[A-Za-z0-9_\-=.:]{0,256}`, so it holds only counts, endpoint job IDs and a random
// owner token — never a query, a name or any text from Zendesk. See docs/jobs.md.
//
// A job is one endpoint job (the root: kind K, the subject IDs, this state) and a chain of
// segment jobs (kind `K.ids`), each holding up to `segmentSize` item IDs and the ID of the
// next segment, because the endpoint keeps at most 10,000 IDs per job.
//
//   root     ld1.s=c.i=<item type>.n=<collected>.h=<first segment>.w=<owner>            collecting
//            ld1.s=p.i=<item type>.t=<total>.d=<done>.h=<head segment>.o=<offset>.w=<owner>  processing
//   segment  ld1.r=<root>[.n=<next segment>]
import { LeastDataError } from './errors.js';

const VERSION = 'ld1';
const ENDPOINT_JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const OWNER = /^[a-z0-9]{1,32}$/;
const COUNT = /^(0|[1-9][0-9]{0,15})$/;
/** What a job's items are: the categories of IDs the endpoint keeps. */
export const ITEM_TYPES = ['ticket', 'user', 'organization'];

function corrupt(text) {
  return new LeastDataError('invalid_job', `the job's cursor ${JSON.stringify(String(text).slice(0, 64))} is not one leastdata wrote; it cannot be resumed`);
}

function fields(text) {
  if (typeof text !== 'string') throw corrupt(text);
  const [version, ...pairs] = text.split('.');
  if (version !== VERSION) throw corrupt(text);
  const out = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1 || Object.hasOwn(out, pair.slice(0, at))) throw corrupt(text);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

const count = (value, text) => {
  if (!COUNT.test(value ?? '')) throw corrupt(text);
  return Number(value);
};

const jobId = (value, text) => {
  if (!ENDPOINT_JOB_ID.test(value ?? '')) throw corrupt(text);
  return value;
};

/**
 * @typedef {{ stage: 'collect', items: string, collected: number, head: string | null, owner: string }
 *         | { stage: 'process', items: string, total: number, done: number, head: string | null, offset: number, owner: string }} RootState
 */

/** @param {RootState} state */
export function encodeRoot(state) {
  const head = state.head ? `.h=${state.head}` : '';
  return state.stage === 'collect'
    ? `${VERSION}.s=c.i=${state.items}.n=${state.collected}${head}.w=${state.owner}`
    : `${VERSION}.s=p.i=${state.items}.t=${state.total}.d=${state.done}${head}.o=${state.offset}.w=${state.owner}`;
}

/** @returns {RootState} */
export function decodeRoot(text) {
  const f = fields(text);
  const head = f.h === undefined ? null : jobId(f.h, text);
  if (!OWNER.test(f.w ?? '') || !ITEM_TYPES.includes(f.i)) throw corrupt(text);
  if (f.s === 'c') return { stage: 'collect', items: f.i, collected: count(f.n, text), head, owner: f.w };
  if (f.s !== 'p') throw corrupt(text);
  const state = { stage: 'process', items: f.i, total: count(f.t, text), done: count(f.d, text), head, offset: count(f.o, text), owner: f.w };
  if (state.done > state.total || (state.head === null && state.done < state.total)) throw corrupt(text);
  return state;
}

/** @param {{ root: string, next?: string | null }} link */
export function encodeSegment({ root, next }) {
  return `${VERSION}.r=${root}${next ? `.n=${next}` : ''}`;
}

/** @returns {{ root: string, next: string | null }} */
export function decodeSegment(text) {
  const f = fields(text);
  return { root: jobId(f.r, text), next: f.n === undefined ? null : jobId(f.n, text) };
}
