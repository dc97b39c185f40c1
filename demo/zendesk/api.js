// The fake Zendesk REST API of the demo: read-only routes over the generated account
// (demo/zendesk/data.js) with the response shapes the app framework's proxy would hand an
// app — envelopes (`ticket`, `tickets`, `results`…), sideloads (`include=users,organizations`),
// offset pagination (`page`, `per_page`, `next_page`, `count`) and cursor pagination
// (`page[size]`, `page[after]`, `page[before]`, `meta`, `links`), search, and the
// account's rate limit (rate-limit.js: 429 with Retry-After when called too fast).
// `handle()` answers one request as { status, headers, body } with the body as text.

import { createRateLimiter } from './rate-limit.js';

const MAX_PAGE = 100;

/**
 * @param {ReturnType<import('./data.js').generateAccount>} account
 * @param {{ rateLimit?: { limit?: number, windowMs?: number } }} [options] the account's rate
 *   limit (rate-limit.js); every handled request counts, as every API call counts in Zendesk
 */
export function createZendeskApi(account, options = {}) {
  const limiter = createRateLimiter(options.rateLimit);
  const byId = (list) => new Map(list.map((item) => [item.id, item]));
  const tickets = byId(account.tickets);
  const users = byId(account.users);
  const organizations = byId(account.organizations);

  function json(status, value) {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
  }

  function notFound() {
    return json(404, { error: 'RecordNotFound', description: 'Not found' });
  }

  function invalid(description) {
    return json(400, { error: 'InvalidPaginationParameter', description });
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

  // A small subset of Zendesk's search syntax: type:, status:, requester:, organization:
  // and plain words matched against subjects and names.
  function search(url) {
    const query = (url.searchParams.get('query') ?? '').trim();
    if (!query) return json(400, { error: 'InvalidSearchParameter', description: 'query is required' });
    const filters = {};
    const words = [];
    for (const term of query.split(/\s+/)) {
      const match = /^(type|status|requester|organization):(.+)$/.exec(term);
      if (match) filters[match[1]] = match[2].toLowerCase();
      else words.push(term.toLowerCase());
    }
    const typed = [
      ...account.tickets.map((t) => ({ ...t, result_type: 'ticket' })),
      ...account.users.map((u) => ({ ...u, result_type: 'user' })),
      ...account.organizations.map((o) => ({ ...o, result_type: 'organization' })),
    ];
    const results = typed.filter((r) => {
      if (filters.type && r.result_type !== filters.type) return false;
      if (filters.status && r.status !== filters.status) return false;
      if (filters.requester && String(r.requester_id) !== filters.requester) return false;
      if (filters.organization && String(r.organization_id) !== filters.organization) return false;
      const text = `${r.subject ?? ''} ${r.name ?? ''}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    const page = paginate(results, url, 'results');
    if (page.error) return page.error;
    return json(200, { results: page.items, facets: null, ...page.envelope });
  }

  const routes = [
    [/^\/api\/v2\/tickets\.json$/, (url) => list(url, account.tickets, 'tickets')],
    [/^\/api\/v2\/tickets\/(\d+)\.json$/, (url, id) => one(url, tickets.get(id), 'ticket')],
    [/^\/api\/v2\/tickets\/(\d+)\/comments\.json$/, (url, id) =>
      (account.comments.has(id) ? list(url, account.comments.get(id), 'comments') : notFound())],
    [/^\/api\/v2\/users\.json$/, (url) => list(url, account.users, 'users')],
    [/^\/api\/v2\/users\/(\d+)\.json$/, (url, id) => one(url, users.get(id), 'user')],
    [/^\/api\/v2\/users\/(\d+)\/tickets\/requested\.json$/, (url, id) =>
      (users.has(id) ? list(url, account.tickets.filter((t) => t.requester_id === id), 'tickets') : notFound())],
    [/^\/api\/v2\/organizations\.json$/, (url) => list(url, account.organizations, 'organizations')],
    [/^\/api\/v2\/organizations\/(\d+)\.json$/, (url, id) => one(url, organizations.get(id), 'organization')],
    [/^\/api\/v2\/organizations\/(\d+)\/tickets\.json$/, (url, id) =>
      (organizations.has(id) ? list(url, account.tickets.filter((t) => t.organization_id === id), 'tickets') : notFound())],
    [/^\/api\/v2\/search\.json$/, (url) => search(url)],
    [/^\/api\/v2\/groups\.json$/, (url) => list(url, account.groups, 'groups')],
    [/^\/api\/v2\/group_memberships\.json$/, (url) => list(url, account.groupMemberships, 'group_memberships')],
  ];

  function route(method, url) {
    for (const [pattern, answer] of routes) {
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      if (method !== 'GET') return json(405, { error: 'MethodNotAllowed', description: 'the demo API is read-only' });
      return answer(url, match[1] === undefined ? undefined : Number(match[1]));
    }
    return json(404, { error: 'InvalidEndpoint', description: 'Not found' });
  }

  return {
    /** Answers one request, or 429 when the account is over its rate limit. @param {string} method @param {URL} url */
    handle(method, url) {
      const rate = limiter.take();
      if (rate.status) return rate;
      const response = route(method, url);
      return { ...response, headers: { ...response.headers, ...rate.headers } };
    },
    tickets,
    users,
    organizations,
  };
}
