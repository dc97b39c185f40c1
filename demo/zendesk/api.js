// The fake Zendesk REST API of the demo: routes over the generated account
// (demo/zendesk/data.js) and the requesters who asked to be forgotten (forget-me.js), with
// the response shapes the app framework's proxy would hand an app — envelopes (`ticket`,
// `tickets`, `results`…), sideloads (`include=users,organizations`), offset pagination
// (`page`, `per_page`, `next_page`, `count`) and cursor pagination (`page[size]`,
// `page[after]`, `page[before]`, `meta`, `links`), search, search export
// (search-export.js), the comment redaction endpoints (comment-redaction.js), and the
// account's rate limit (rate-limit.js: 429 with Retry-After when called too fast).
// `handle()` answers one request as { status, headers, body } with the body as text.

import { createCommentRedaction } from './comment-redaction.js';
import { createRateLimiter } from './rate-limit.js';
import { badRequest, json, notFound } from './responses.js';
import { createSearchExport } from './search-export.js';
import { matchesSearch, parseSearchQuery } from './search-query.js';

const MAX_PAGE = 100;

/**
 * @param {ReturnType<import('./data.js').generateAccount>} account
 * @param {{ rateLimit?: { limit?: number, windowMs?: number }, exportRateLimit?: { limit?: number, windowMs?: number },
 *           requesters?: ReturnType<import('./forget-me.js').createForgetMeRequester>[],
 *           faults?: ReturnType<import('./faults.js').createFaults>,
 *           onRequest?: (entry: { method: string, url: URL, body?: string, status: number }) => void }} [options]
 *   `rateLimit` is the account's (rate-limit.js; every handled request counts, as every API
 *   call counts in Zendesk), `exportRateLimit` search export's own; `requesters` must already
 *   be among `account.users`; `faults` are the tests' (faults.js); `onRequest` sees every
 *   request with the status it got.
 */
export function createZendeskApi(account, options = {}) {
  const limiter = createRateLimiter(options.rateLimit);
  const requesters = options.requesters ?? [];
  const searchExport = createSearchExport({ account, requesters, rateLimit: options.exportRateLimit });
  const redaction = createCommentRedaction({ account, requesters });
  const byId = (list) => new Map(list.map((item) => [item.id, item]));
  const tickets = byId(account.tickets);
  const users = byId(account.users);
  const organizations = byId(account.organizations);

  function invalid(description) {
    return badRequest('InvalidPaginationParameter', description);
  }

  // Cursors are opaque to clients; here they are the base64url of a list index.
  const cursorOf = (index) => Buffer.from(`i${index}`).toString('base64url');
  const indexOf = (cursor) => {
    const text = Buffer.from(String(cursor), 'base64url').toString();
    return /^i\d+$/.test(text) ? Number(text.slice(1)) : undefined;
  };

  function paginate(list, url, key) {
    const q = url.searchParams;
    const cursorMode = ['page[size]', 'page[after]', 'page[before]'].some((name) => q.has(name));
    const linkTo = (params) => {
      const next = new URL(url);
      for (const [name, value] of Object.entries(params)) {
        if (value === undefined) next.searchParams.delete(name);
        else next.searchParams.set(name, value);
      }
      return next.href;
    };
    if (cursorMode) {
      const size = Number(q.get('page[size]') ?? MAX_PAGE);
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) return { error: invalid('page[size] must be 1 to 100') };
      let start = 0;
      if (q.has('page[after]')) start = indexOf(q.get('page[after]'));
      else if (q.has('page[before]')) start = Math.max(0, (indexOf(q.get('page[before]')) ?? 0) - size);
      if (start === undefined) return { error: invalid('page[after] is not a cursor this API issued') };
      const page = list.slice(start, start + size);
      const end = start + page.length;
      const hasMore = end < list.length;
      return {
        items: page,
        envelope: {
          meta: { has_more: hasMore, after_cursor: page.length ? cursorOf(end) : null, before_cursor: page.length ? cursorOf(start) : null },
          links: {
            next: hasMore ? linkTo({ 'page[after]': cursorOf(end), 'page[before]': undefined }) : null,
            prev: start > 0 ? linkTo({ 'page[before]': cursorOf(start), 'page[after]': undefined }) : null,
          },
        },
      };
    }
    const perPage = Number(q.get('per_page') ?? MAX_PAGE);
    const pageNumber = Number(q.get('page') ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PAGE || !Number.isInteger(pageNumber) || pageNumber < 1) {
      return { error: invalid('page and per_page must be positive integers; per_page at most 100') };
    }
    const start = (pageNumber - 1) * perPage;
    const page = list.slice(start, start + perPage);
    return {
      items: page,
      envelope: {
        next_page: start + perPage < list.length ? linkTo({ page: String(pageNumber + 1), per_page: String(perPage) }) : null,
        previous_page: pageNumber > 1 ? linkTo({ page: String(pageNumber - 1), per_page: String(perPage) }) : null,
        count: list.length,
      },
    };
  }

  // include=users,organizations: the records the main objects reference, once each.
  function sideloads(url, records) {
    const include = new Set((url.searchParams.get('include') ?? '').split(',').filter(Boolean));
    const out = {};
    if (include.has('users')) {
      const ids = new Set();
      for (const r of records) {
        for (const key of ['requester_id', 'submitter_id', 'assignee_id', 'author_id']) {
          if (r[key]) ids.add(r[key]);
        }
      }
      out.users = [...ids].map((id) => users.get(id)).filter(Boolean);
    }
    if (include.has('organizations')) {
      const ids = new Set(records.map((r) => r.organization_id).filter(Boolean));
      out.organizations = [...ids].map((id) => organizations.get(id)).filter(Boolean);
    }
    return out;
  }

  function list(url, items, key) {
    const page = paginate(items, url, key);
    if (page.error) return page.error;
    return json(200, { [key]: page.items, ...sideloads(url, page.items), ...page.envelope });
  }

  function one(url, record, key) {
    if (!record) return notFound();
    return json(200, { [key]: record, ...sideloads(url, [record]) });
  }

  // Search over the generated account (search-query.js says which syntax).
  function search(url) {
    const queryText = (url.searchParams.get('query') ?? '').trim();
    if (!queryText) return badRequest('InvalidSearchParameter', 'query is required');
    const query = parseSearchQuery(queryText);
    const typed = [
      ...account.tickets.map((t) => ({ ...t, result_type: 'ticket' })),
      ...account.users.map((u) => ({ ...u, result_type: 'user' })),
      ...account.organizations.map((o) => ({ ...o, result_type: 'organization' })),
    ];
    const results = typed.filter((r) => matchesSearch(r, query, (id) => users.get(id)?.email));
    const page = paginate(results, url, 'results');
    if (page.error) return page.error;
    return json(200, { results: page.items, facets: null, ...page.envelope });
  }

  // "Search Users": the query matches part of a name or an email address (offset pagination).
  function searchUsers(url) {
    const queryText = (url.searchParams.get('query') ?? '').trim().toLowerCase();
    if (!queryText) return badRequest('InvalidSearchParameter', 'query is required');
    return list(url, account.users.filter((u) => `${u.name} ${u.email}`.toLowerCase().includes(queryText)), 'users');
  }

  function comments(url, id) {
    const thread = redaction.comments(id) ?? account.comments.get(id);
    return thread ? list(url, thread, 'comments') : notFound();
  }

  // [method, path, answer(url, ids, body)]; a path ending in (?:\.json)? takes both forms, as Zendesk does.
  const routes = [
    ['GET', /^\/api\/v2\/tickets\.json$/, (url) => list(url, account.tickets, 'tickets')],
    ['GET', /^\/api\/v2\/tickets\/(\d+)\.json$/, (url, [id]) => one(url, tickets.get(id), 'ticket')],
    ['GET', /^\/api\/v2\/tickets\/(\d+)\/comments(?:\.json)?$/, (url, [id]) => comments(url, id)],
    ['PUT', /^\/api\/v2\/tickets\/(\d+)\/comments\/(\d+)\/redact(?:\.json)?$/, (url, [id, commentId], body) =>
      redaction.redactString(id, commentId, body)],
    ['PUT', /^\/api\/v2\/comment_redactions\/(\d+)(?:\.json)?$/, (url, [commentId], body) =>
      redaction.redactInAgentWorkspace(commentId, body)],
    ['GET', /^\/api\/v2\/users\.json$/, (url) => list(url, account.users, 'users')],
    ['GET', /^\/api\/v2\/users\/search(?:\.json)?$/, (url) => searchUsers(url)],
    ['GET', /^\/api\/v2\/users\/(\d+)\.json$/, (url, [id]) => one(url, users.get(id), 'user')],
    ['GET', /^\/api\/v2\/users\/(\d+)\/tickets\/requested\.json$/, (url, [id]) =>
      (users.has(id) ? list(url, account.tickets.filter((t) => t.requester_id === id), 'tickets') : notFound())],
    ['GET', /^\/api\/v2\/organizations\.json$/, (url) => list(url, account.organizations, 'organizations')],
    ['GET', /^\/api\/v2\/organizations\/(\d+)\.json$/, (url, [id]) => one(url, organizations.get(id), 'organization')],
    ['GET', /^\/api\/v2\/organizations\/(\d+)\/tickets\.json$/, (url, [id]) =>
      (organizations.has(id) ? list(url, account.tickets.filter((t) => t.organization_id === id), 'tickets') : notFound())],
    ['GET', /^\/api\/v2\/search\.json$/, (url) => search(url)],
    ['GET', /^\/api\/v2\/search\/export(?:\.json)?$/, (url) => searchExport.handle(url)],
    ['GET', /^\/api\/v2\/groups\.json$/, (url) => list(url, account.groups, 'groups')],
    ['GET', /^\/api\/v2\/group_memberships\.json$/, (url) => list(url, account.groupMemberships, 'group_memberships')],
  ];

  function route(method, url, body) {
    const allowed = [];
    for (const [routeMethod, pattern, answer] of routes) {
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      if (method === routeMethod) return answer(url, match.slice(1).map(Number), body);
      allowed.push(routeMethod);
    }
    if (allowed.length > 0) return json(405, { error: 'MethodNotAllowed', description: `use ${allowed.join(' or ')}` });
    return json(404, { error: 'InvalidEndpoint', description: 'Not found' });
  }

  function answer(method, url, body) {
    const rate = limiter.take();
    if (rate.status) return rate;
    const response = options.faults?.answer(method, url) ?? route(method, url, body);
    return { ...response, headers: { ...response.headers, ...rate.headers } };
  }

  return {
    /**
     * Answers one request, or 429 when the account is over its rate limit.
     * @param {string} method @param {URL} url @param {string} [body] the request body (JSON text)
     */
    handle(method, url, body) {
      const response = answer(method, url, body);
      options.onRequest?.({ method, url, body, status: response.status });
      options.faults?.answered(method, url);
      return response;
    },
    tickets,
    users,
    organizations,
  };
}
