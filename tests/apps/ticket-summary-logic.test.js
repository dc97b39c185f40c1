// The pure parts of apps/ticket-summary, in Node: every error code the app can meet has its
// own message with a next step (the endpoint's codes read from the core's table, the package's
// from its types), the access summary and the delta reported to the endpoint, and a declared policy
// read back as resources and fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { EXPLAINED_CODES, explain } from '../../apps/ticket-summary/assets/messages.js';
import { selectedMembers, summarize } from '../../apps/ticket-summary/assets/access-summary.js';
import { accessDelta, isEmptyDelta, reportedCounts, NOTHING_REPORTED } from '../../apps/ticket-summary/assets/access-delta.js';
import { readableDeclaration } from '../../apps/ticket-summary/assets/declaration.js';
import { POLICY } from '../../apps/ticket-summary/assets/policy.js';
import { load } from '../../dist/node.js';
import { errorTable } from '../js/error-table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function endpointCodes() {
  return new Set(errorTable().filter((r) => r.raisedBy.has('endpoint')).map((r) => r.code));
}

function packageCodes() {
  const types = readFileSync(join(ROOT, 'js', 'index.d.ts'), 'utf8');
  const union = /export type LeastDataErrorCode =([^;]+);/.exec(types)[1];
  return new Set([...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]));
}

test('every error code of the endpoint and the package has its own message and a next step', () => {
  const codes = [...endpointCodes(), ...packageCodes()];
  assert.ok(codes.length > 30, codes.join());
  const missing = codes.filter((code) => !EXPLAINED_CODES.includes(code));
  assert.deepEqual(missing, [], 'codes without a message');
  for (const code of codes) {
    const { text, next } = explain({ code });
    assert.ok(text.length > 10 && next.length > 10, code);
  }
  // The endpoint's internal_error is its own fault, not the app's.
  assert.match(explain({ code: 'internal_error', status: 500 }).text, /endpoint could not read/);
  assert.match(explain({ code: 'internal_error' }).text, /inside the app/);
});

test('failures without a code are explained by who answered and their HTTP status', () => {
  assert.match(explain({ code: 'http_0' }).text, /endpoint could not be reached/);
  assert.match(explain({ code: 'http_502' }).text, /endpoint did not answer/);
  assert.match(explain({ status: 429 }).text, /Zendesk's rate limit/);
  assert.match(explain({ status: 0 }).text, /Zendesk could not be reached/);
  assert.match(explain(new Error('timeout')).next, /Reload/);
  // The app's own bugs are not blamed on Zendesk.
  const bug = explain(new TypeError("Cannot read properties of undefined (reading 'append')"));
  assert.equal(bug.code, 'app_error');
  assert.match(bug.text, /inside this app/);
});

test('the access summary: the share that never reached the app, kept beside what the filter removed, and what it masked', () => {
  const report = {
    calls: 2, bytes_in: 1000, bytes_out: 100, fields_kept: 3, fields_dropped: 40,
    kept_paths: { 'ticket.id': 1, 'ticket.custom_fields[].value': 1, 'users[].name': 1 },
    by_resource: {
      ticket: { paths: { 'ticket.id': 1, 'ticket.custom_fields[].value': 1 },
        dropped_paths: { 'ticket.assignee_id': 1, 'ticket.custom_fields[]': 3, 'ticket.via.source': 1 } },
      user: { paths: { 'users[].name': 1 }, dropped_paths: { 'users[].email': 1, 'users[].phone': 1 } },
    },
    redacted: { credit_card: 1, email: 2 },
    unmatched: { audits: 1 }, zaf: { read: { 'ticket.id': 1 }, refused: {} }, requests: { made: {}, refused: {} },
  };
  const s = summarize(report, POLICY);
  assert.equal(s.neverReachedPercent, 90);
  const ticket = s.resources.find((r) => r.resource === 'ticket');
  assert.deepEqual(ticket.kept, ['id', 'custom fields (chosen ones only)']);
  // custom_fields partly reached the app: it is listed once, as reached.
  assert.deepEqual(ticket.notKept, ['assignee id', 'via']);
  const people = s.resources.find((r) => r.resource === 'user');
  assert.deepEqual(people.notKept, ['email', 'phone']);
  assert.deepEqual(s.redacted, ['one card number', '2 email addresses']);
  assert.deepEqual(s.droppedWhole, ['audits']);
  assert.deepEqual([...selectedMembers('a,b[k=1](x),c(d,e)')].map(([name, v]) => [name, v.limited]), [['a', false], ['b', true], ['c', false]]);
});

test('the delta reported to the endpoint: only what grew since the previous report', () => {
  const first = reportedCounts({ calls: 1, bytes_in: 10, bytes_out: 2, fields_kept: 1, fields_dropped: 4,
    kept_paths: { 'ticket.id': 1 }, zaf: { read: { 'ticket.id': 1 }, refused: {} }, requests: { refused: {} } });
  assert.deepEqual(accessDelta(NOTHING_REPORTED, first).kept_paths, { 'ticket.id': 1 });
  const second = reportedCounts({ calls: 3, bytes_in: 30, bytes_out: 6, fields_kept: 3, fields_dropped: 12,
    kept_paths: { 'ticket.id': 1, 'users[].name': 2 }, zaf: { read: { 'ticket.id': 1 }, refused: {} }, requests: { refused: {} } });
  const delta = accessDelta(first, second);
  assert.equal(delta.calls, 2);
  assert.deepEqual(delta.kept_paths, { 'users[].name': 2 });
  assert.deepEqual(delta.zaf_read, {});
  assert.equal(isEmptyDelta(accessDelta(second, second)), true);
});

test('a declaration reads back as one row per resource, whatever envelopes it was expanded to', async () => {
  const d = readableDeclaration({
    read: 'ticket(id,subject),tickets(id,subject),results[result_type=ticket](id,subject),users(id,name),user(id,name),error,next_page,meta',
    write: null, requests: ['GET /api/v2/tickets/{id}.json'], zaf: ['ticket.id'],
    redact: [{ path: 'ticket.description', detect: ['email'], action: 'mask' }],
  }, (await load()).resources);
  assert.deepEqual(d.rows, [['ticket', ['id', 'subject']], ['user', ['id', 'name']]]);
  assert.deepEqual(d.other, ['error']);
  assert.equal(d.pagination, true);
  assert.deepEqual(d.masked, ['ticket.description: email']);
  // Every resource of the core's table is recognised, named in words.
  const fields = readableDeclaration({ read: 'ticket_fields(id),satisfaction_ratings(score),end_of_stream' }, (await load()).resources);
  assert.deepEqual(fields.rows, [['ticket field', ['id']], ['satisfaction rating', ['score']]]);
  assert.equal(fields.pagination, true);
});
