// The collect stage of a multi-stage job (DESIGN §10): pages through a Zendesk search export,
// incremental export or list with cursor or offset pagination, through a ZAF adapter whose
// policy keeps only IDs, and stores the IDs at the endpoint in segments as they fill. Only one
// segment's IDs are held in memory, whatever the number of pages.
import { LeastDataError } from './errors.js';

/** The pages' records, wherever the envelope puts them: `results` (search), or `tickets`, `users`, `organizations`. */
function records(page, itemType) {
  const list = page?.results ?? page?.[`${itemType}s`];
  if (!Array.isArray(list)) {
    throw new LeastDataError('invalid_response', `a collect page must hold "results" or "${itemType}s" (the policy keeps IDs inside them and the pagination envelope)`);
  }
  return list;
}

// Each record must be { id } alone: the collect policy keeps IDs only (its `resources`
// select `id`), so nothing else of Zendesk's records ever reaches the app or the endpoint.
function idOf(record) {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new LeastDataError('invalid_response', 'a collected record is not an object');
  }
  const members = Object.keys(record);
  const other = members.find((name) => name !== 'id');
  if (other !== undefined) {
    throw new LeastDataError('not_ids_only', `the collect policy let "${other}" through: a job collects IDs only, so select only id (resources: { ticket: 'id' })`);
  }
  if (!members.includes('id')) throw new LeastDataError('not_ids_only', 'a collected record has no id: select id in the collect policy');
  return record.id;
}

/**
 * The next page's URL as a path of the account's Zendesk (the adapter's policy checks it),
 * or null at the end: search export's `meta.has_more`/`links.next`, the incremental exports'
 * `end_of_stream`/`after_url`, offset pagination's `next_page`.
 */
export function nextPage(page) {
  let next;
  if (page.meta !== null && typeof page.meta === 'object' && 'has_more' in page.meta) {
    next = page.meta.has_more === true ? page.links?.next : null;
  } else if ('end_of_stream' in page) {
    next = page.end_of_stream === true ? null : page.after_url;
  } else {
    next = page.next_page;
  }
  if (next === null || next === undefined) return null;
  if (typeof next !== 'string') throw new LeastDataError('invalid_response', 'the next page link is not a string');
  const url = new URL(next, 'https://zendesk.invalid');
  return url.pathname + url.search;
}

/**
 * Pages from `url` to the end, storing IDs in segments. Returns { total, head } (head: the
 * first segment's endpoint job ID, or null when nothing was found).
 * @param {{ store: import('./job-store.js').JobStore, gate: import('./request-gate.js').RequestGate,
 *           rootId: string, itemType: string, zaf: { request(options: object): Promise<any> }, url: string,
 *           segmentSize: number, signal: AbortSignal,
 *           onSegment: (progress: { collected: number, head: string }) => Promise<void>,
 *           onPage: (collected: number) => void }} options
 *   `onSegment` runs after each stored segment (the root's state is saved there).
 */
export async function collectIds(options) {
  const { store, gate, rootId, itemType, zaf, segmentSize, signal } = options;
  let url = options.url;
  let buffer = [];
  // Exports can list a record twice (an incremental export lists a ticket again when it
  // changes): repeats are dropped within a segment, which keeps memory bounded; a record
  // repeated across segments is processed twice, which an idempotent step allows.
  let seen = new Set();
  let head = null;
  let previous = null;
  let collected = 0;

  const flush = async () => {
    const id = await store.createSegment(rootId, itemType, buffer, signal);
    if (previous) await store.link(previous, rootId, id, signal);
    head ??= id;
    previous = id;
    collected += buffer.length;
    buffer = [];
    seen = new Set();
    await options.onSegment({ collected, head });
  };

  while (url) {
    const page = await gate.request(zaf, { url, type: 'GET' }, signal);
    for (const record of records(page, itemType)) {
      const id = idOf(record);
      const key = String(id);
      if (seen.has(key)) continue;
      seen.add(key);
      buffer.push(id);
      if (buffer.length === segmentSize) await flush();
    }
    options.onPage(collected + buffer.length);
    url = nextPage(page);
  }
  if (buffer.length > 0) await flush();
  return { total: collected, head };
}
