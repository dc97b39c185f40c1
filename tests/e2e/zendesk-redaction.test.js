// The simulated Zendesk's search export and comment redaction endpoints (demo/zendesk/), held
// to what Zendesk's API reference says (docs/zaf.md lists where each behaviour was read):
// filter[type] required and no type in the query, cursor pagination by created_at without
// duplicates, a cursor bound to its query that expires after an hour, the export's own rate
// limit; the comments list; "Redact Ticket Comment In Agent Workspace" with <redact> tags and
// `redact` attributes, and "Redact String in Comment".
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createZendeskApi } from '../../demo/zendesk/api.js';
import { generateAccount } from '../../demo/zendesk/data.js';
import { REDACTED, createForgetMeRequesters } from '../../demo/zendesk/forget-me.js';
import { createSearchExport } from '../../demo/zendesk/search-export.js';

function world(tickets = [2500, 30], options = {}) {
  const account = generateAccount();
  const requesters = createForgetMeRequesters(tickets);
  account.users.push(...requesters.map((r) => r.user));
  const api = createZendeskApi(account, { requesters, rateLimit: { limit: 1_000_000 }, ...options });
  const call = (method, path, body) => {
    const response = api.handle(method, new URL(path, 'https://acme.zendesk.com'), body === undefined ? undefined : JSON.stringify(body));
    return { ...response, json: response.headers['content-type']?.includes('json') ? JSON.parse(response.body) : undefined };
  };
  return { account, requesters, api, call };
}

const exportUrl = (query, extra = '') => `/api/v2/search/export.json?query=${encodeURIComponent(query)}&filter[type]=ticket${extra}`;

test('search export: one type named by filter[type], never in the query; page[size] at most 1000', () => {
  const { call, requesters } = world();
  const id = requesters[0].user.id;
  assert.equal(call('GET', `/api/v2/search/export.json?query=requester:${id}`).status, 400);
  assert.equal(call('GET', `/api/v2/search/export.json?query=requester:${id}&filter[type]=comment`).status, 400);
  const typed = call('GET', exportUrl(`type:ticket requester:${id}`));
  assert.equal(typed.status, 400);
  assert.match(typed.json.description, /filter\[type\]/);
  assert.equal(call('GET', exportUrl(`requester:${id}`, '&page[size]=1001')).status, 400);
  assert.equal(call('GET', exportUrl(`requester:${id}`, '&page[size]=1000')).status, 200);
  assert.equal(call('GET', '/api/v2/search/export.json?filter[type]=ticket').status, 400, 'query is required');
});

test('search export: cursor pagination, newest first, every ticket once, the response envelope of the reference', () => {
  const { call, requesters } = world();
  const [requester] = requesters;
  let url = exportUrl(`requester:${requester.user.email}`, '&page[size]=1000');
  const ids = [];
  const pages = [];
  while (url) {
    const page = call('GET', url).json;
    pages.push(page);
    assert.deepEqual(Object.keys(page), ['results', 'facets', 'meta', 'links']);
    assert.equal(page.links.prev, null);
    assert.equal(page.meta.before_cursor, null);
    for (const result of page.results) {
      assert.equal(result.result_type, 'ticket');
      assert.equal(result.requester_id, requester.user.id);
      ids.push(result.id);
    }
    if (page.meta.has_more) {
      assert.equal(new URL(page.links.next).searchParams.get('page[after]'), page.meta.after_cursor);
      url = page.links.next;
    } else {
      assert.equal(page.links.next, null);
      url = null;
    }
  }
  assert.deepEqual(pages.map((p) => p.results.length), [1000, 1000, 500]);
  assert.equal(new Set(ids).size, 2500, 'no duplicates');
  assert.equal(ids[0], requester.firstTicketId + 2499, 'newest first');
  const created = ids.slice(0, 3).map((id) => Date.parse(requester.ticketAt(id - requester.firstTicketId).created_at));
  assert.ok(created[0] > created[1] && created[1] > created[2]);
  const cursor = JSON.parse(Buffer.from(pages[0].meta.after_cursor, 'base64').toString());
  assert.equal(cursor.field, 'created_at');
  assert.equal(cursor.desc, true);
});

test('search export: a cursor belongs to its query and expires after one hour', () => {
  const account = generateAccount();
  const requesters = createForgetMeRequesters([30, 30]);
  account.users.push(...requesters.map((r) => r.user));
  let now = Date.UTC(2024, 5, 1);
  const exporter = createSearchExport({ account, requesters, now: () => now });
  const url = (query, after) => new URL(`https://acme.zendesk.com${exportUrl(query, `&page[size]=10${after ? `&page[after]=${encodeURIComponent(after)}` : ''}`)}`);
  const first = JSON.parse(exporter.handle(url(`requester:${requesters[0].user.id}`)).body);
  const after = first.meta.after_cursor;
  assert.equal(exporter.handle(url(`requester:${requesters[1].user.id}`, after)).status, 400, 'another query');
  now += 59 * 60_000;
  assert.equal(exporter.handle(url(`requester:${requesters[0].user.id}`, after)).status, 200);
  now += 2 * 60_000;
  const expired = exporter.handle(url(`requester:${requesters[0].user.id}`, after));
  assert.equal(expired.status, 400);
  assert.match(JSON.parse(expired.body).description, /one hour/);
  assert.equal(exporter.handle(url(`requester:${requesters[0].user.id}`, 'bm90IGEgY3Vyc29y')).status, 400);
});

test('search export: 100 requests a minute, which count towards the account limit too', () => {
  const { call, requesters } = world([5]);
  const url = exportUrl(`requester:${requesters[0].user.id}`);
  for (let i = 0; i < 100; i++) assert.equal(call('GET', url).status, 200, `request ${i + 1}`);
  const limited = call('GET', url);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  assert.equal(call('GET', '/api/v2/groups.json').status, 200, 'other endpoints are not held back by the export limit');
  const account = world([5], { rateLimit: { limit: 3 } });
  for (let i = 0; i < 3; i++) account.call('GET', url.replace(requesters[0].user.id, account.requesters[0].user.id));
  assert.equal(account.call('GET', '/api/v2/groups.json').status, 429, 'export requests count towards the account limit');
});

test('the comments of a ticket: cursor pagination, at most 100 a page', () => {
  const { call, requesters } = world();
  const ticketId = requesters[0].firstTicketId;
  const page = call('GET', `/api/v2/tickets/${ticketId}/comments.json?page[size]=100`).json;
  assert.equal(page.comments.length, 3);
  assert.equal(page.meta.has_more, false);
  assert.equal(call('GET', `/api/v2/tickets/${ticketId}/comments.json?page[size]=101`).status, 400);
  assert.equal(call('GET', '/api/v2/tickets/6999999/comments.json').status, 404);
});

test('Redact Ticket Comment In Agent Workspace: <redact> text becomes ▇, a redact attribute removes its tag, body and plain_body follow', () => {
  const { call, requesters } = world();
  const [requester] = requesters;
  const ticketId = requester.firstTicketId;
  const [comment, reply] = requester.comments(ticketId);
  const { email, phone, name, iban } = requester.person;
  const html = comment.html_body
    .replace(name, `<redact>${name}</redact>`)
    .replace(phone, `<redact>${phone}</redact>`)
    .replace(iban, `<redact>${iban}</redact>`)
    .replace('<a href', '<a redact href')
    .replace(`>${email}<`, `><redact>${email}</redact><`);
  const answer = call('PUT', `/api/v2/comment_redactions/${comment.id}`, { ticket_id: ticketId, html_body: html });
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(answer.json), ['comment']);
  const now = requester.comments(ticketId)[0];
  assert.deepEqual({ body: now.body, plain_body: now.plain_body, html_body: now.html_body }, requester.expectedComment(ticketId, 0));
  assert.ok(now.html_body.includes(REDACTED.repeat([...email].length)) && !now.html_body.includes('mailto'));
  assert.deepEqual(requester.comments(ticketId)[1], reply, 'the other comments are unchanged');

  // The same html again: the comment has changed since, so Zendesk must not apply it over the change.
  const stale = call('PUT', `/api/v2/comment_redactions/${comment.id}`, { ticket_id: ticketId, html_body: html });
  assert.equal(stale.status, 422);
  assert.equal(stale.json.error, 'RecordInvalid');
  assert.equal(call('PUT', `/api/v2/comment_redactions/${comment.id}`, { ticket_id: ticketId + 1, html_body: html }).status, 404, 'another ticket');
  assert.equal(call('PUT', '/api/v2/comment_redactions/1', { ticket_id: ticketId, html_body: html }).status, 404);
  assert.equal(call('PUT', `/api/v2/comment_redactions/${comment.id}`, { ticket_id: ticketId }).status, 200, 'nothing to redact');
  assert.equal(requester.comments(ticketId)[0].html_body, now.html_body);
  const raw = call('PUT', `/api/v2/comment_redactions/${comment.id}.json`, 'not an object');
  assert.equal(raw.status, 400);
  assert.equal(call('GET', `/api/v2/comment_redactions/${comment.id}`).status, 405);
});

test('Redact String in Comment: every occurrence becomes ▇, not on closed tickets', () => {
  const { call, requesters, account } = world();
  const [requester] = requesters;
  const ticketId = requester.firstTicketId + 1; // solved
  const [comment] = requester.comments(ticketId);
  const { phone } = requester.person;
  const answer = call('PUT', `/api/v2/tickets/${ticketId}/comments/${comment.id}/redact.json`, { text: phone });
  assert.equal(answer.status, 200);
  const now = requester.comments(ticketId)[0];
  for (const text of [now.body, now.plain_body, now.html_body]) {
    assert.ok(!text.includes(phone) && text.includes(REDACTED.repeat(phone.length)));
  }
  assert.equal(call('PUT', `/api/v2/tickets/${ticketId}/comments/${comment.id}/redact`, { text: 'not in the comment' }).status, 200);
  assert.equal(call('PUT', `/api/v2/tickets/${ticketId}/comments/${comment.id}/redact`, { text: '' }).status, 422);
  const closedTicket = requester.firstTicketId; // index 0: closed
  assert.equal(requester.ticketAt(0).status, 'closed');
  const [closedComment] = requester.comments(closedTicket);
  assert.equal(call('PUT', `/api/v2/tickets/${closedTicket}/comments/${closedComment.id}/redact`, { text: phone }).status, 422);
  // The generated account's comments are redactable too.
  const [accountTicket, thread] = [...account.comments][0];
  assert.equal(call('PUT', `/api/v2/tickets/${accountTicket}/comments/${thread[0].id}/redact`, { text: 'Reach' }).status,
    account.tickets.find((t) => t.id === accountTicket).status === 'closed' ? 422 : 200);
});
