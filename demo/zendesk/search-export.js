// Zendesk's "Export Search Results" endpoint, GET /api/v2/search/export, as its API reference
// describes it (developer.zendesk.com/api-reference/ticketing/ticket-management/search/,
// "Export Search Results"; docs/zaf.md lists what was read where):
// - one object type per export, named by `filter[type]` (ticket, organization, user, group);
//   a query that names a type itself is an error;
// - results ordered only by created_at (newest first, ties by id, as the example cursor
//   `{"field":"created_at","desc":true,"tieBreakField":"id",...}` says), no duplicates;
// - cursor pagination: `page[size]` up to 1000, `page[after]`; the response has `results`
//   (each with its `result_type`), `facets`, `meta` {has_more, after_cursor, before_cursor}
//   and `links` {prev: always null, next}; no `count`;
// - the cursor expires after one hour; it is the base64 of a JSON object bound to its request;
// - at most 100 requests a minute per account, counting towards the global limit as well.
// Error bodies (and their status, 400) are the demo's: the reference does not show them.

import { createRateLimiter } from './rate-limit.js';
import { badRequest, json } from './responses.js';
import { matchesSearch, parseSearchQuery } from './search-query.js';

export const EXPORT_TYPES = ['ticket', 'organization', 'user', 'group'];
const MAX_PAGE_SIZE = 1000;
// The reference does not say; its recommendation of 100 results a page stands in.
const DEFAULT_PAGE_SIZE = 100;
const CURSOR_LIFETIME_MS = 3600_000;

function invalidPage(description) {
  return badRequest('InvalidPaginationParameter', description);
}

// A stable hash of the request a cursor belongs to (its query and type).
function requestHash(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/**
 * @param {{ account: ReturnType<import('./data.js').generateAccount>,
 *           requesters: ReturnType<import('./forget-me.js').createForgetMeRequester>[],
 *           rateLimit?: { limit?: number, windowMs?: number }, now?: () => number }} options
 */
export function createSearchExport({ account, requesters, rateLimit, now = Date.now }) {
  const limiter = createRateLimiter({ limit: 100, ...rateLimit });
  const emailOf = new Map(account.users.map((user) => [user.id, user.email]));

  // The records of one type as sources, newest first: each has `length` and `at(k)`.
  // The generated account's records come last (they are older than the requesters' tickets).
  const byType = new Map();
  const sources = (type) => {
    if (!byType.has(type)) byType.set(type, sourcesOf(type));
    return byType.get(type);
  };
  function sourcesOf(type) {
    const newestFirst = (records) => {
      const sorted = [...records].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || a.id - b.id);
      return { length: sorted.length, at: (k) => sorted[k] };
    };
    if (type === 'ticket') {
      const lazy = requesters.map((r) => ({ length: r.count, at: (k) => r.ticketAt(r.count - 1 - k) }));
      return [...lazy.reverse(), newestFirst(account.tickets)];
    }
    const records = { user: account.users, organization: account.organizations, group: account.groups }[type];
    return [newestFirst(records)];
  }

  // The position after `from` ({ s, k }) of the first record that matches, or undefined.
  function nextMatch(list, from, query, type) {
    for (let s = from.s; s < list.length; s++) {
      for (let k = s === from.s ? from.k : 0; k < list[s].length; k++) {
        const record = list[s].at(k);
        if (matchesSearch({ ...record, result_type: type }, query, (id) => emailOf.get(id))) return { s, k, record };
      }
    }
    return undefined;
  }

  const encodeCursor = (position, hash, sessionStart) => Buffer.from(JSON.stringify({
    field: 'created_at', desc: true, tieBreakField: 'id', tieBreakDesc: false,
    source: position.s, position: position.k, sessionStart, createdAt: now(), requestHash: hash,
  })).toString('base64');

  function decodeCursor(text, hash) {
    let cursor;
    try {
      cursor = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      return { error: invalidPage('page[after] is not a cursor of this export') };
    }
    if (cursor === null || typeof cursor !== 'object' || !Number.isInteger(cursor.source) || !Number.isInteger(cursor.position)) {
      return { error: invalidPage('page[after] is not a cursor of this export') };
    }
    if (cursor.requestHash !== hash) return { error: invalidPage('page[after] belongs to another query') };
    if (now() - cursor.createdAt > CURSOR_LIFETIME_MS) {
      return { error: invalidPage('the cursor expired: a search export cursor is valid for one hour; start the export again') };
    }
    return { position: { s: cursor.source, k: cursor.position }, sessionStart: cursor.sessionStart };
  }

  return {
    /** Answers GET /api/v2/search/export(.json) at `url`. */
    handle(url) {
      const rate = limiter.take();
      if (rate.status) return rate;
      const q = url.searchParams;
      const queryText = q.get('query') ?? '';
      if (queryText.trim() === '') return badRequest('InvalidSearchParameter', 'query is required');
      const type = q.get('filter[type]');
      if (!EXPORT_TYPES.includes(type)) {
        return badRequest('InvalidSearchParameter', `filter[type] is required: one of ${EXPORT_TYPES.join(', ')}`);
      }
      const query = parseSearchQuery(queryText);
      if (query.filters.type !== undefined) {
        return badRequest('InvalidSearchParameter', 'an export names its type in filter[type], not in the query');
      }
      const size = Number(q.get('page[size]') ?? DEFAULT_PAGE_SIZE);
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return invalidPage(`page[size] must be 1 to ${MAX_PAGE_SIZE}`);
      const hash = requestHash(`${type}\n${queryText}`);
      let start = { s: 0, k: 0 };
      let sessionStart = now();
      if (q.has('page[after]')) {
        const cursor = decodeCursor(q.get('page[after]'), hash);
        if (cursor.error) return cursor.error;
        start = cursor.position;
        sessionStart = cursor.sessionStart;
      }
      const list = sources(type);
      const results = [];
      let at = start;
      let match;
      while (results.length < size && (match = nextMatch(list, at, query, type))) {
        results.push({ ...match.record, result_type: type });
        at = { s: match.s, k: match.k + 1 };
      }
      const following = results.length === size ? nextMatch(list, at, query, type) : undefined;
      const afterCursor = following ? encodeCursor({ s: following.s, k: following.k }, hash, sessionStart) : null;
      let next = null;
      if (afterCursor) {
        const link = new URL(url);
        link.searchParams.set('page[after]', afterCursor);
        next = link.href;
      }
      // The account-wide rate headers are added by the API (api.js); this limit has none of its own.
      return json(200, {
        results,
        facets: null,
        meta: { has_more: afterCursor !== null, after_cursor: afterCursor, before_cursor: null },
        links: { prev: null, next },
      });
    },
  };
}
