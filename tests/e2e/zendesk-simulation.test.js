// The simulated Zendesk behind the demo, held to what Zendesk documents (docs/zaf.md):
// ZAF `get` answers with ZAF's own camelCase objects, not REST records; the API answers
// 429 with Retry-After and a plain-text body when called too fast, and carries the rate
// headers on every response; groups and group memberships are listed as REST lists.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { OPEN_TICKET_ID, generateAccount } from '../../demo/zendesk/data.js';
import { createZendeskApi } from '../../demo/zendesk/api.js';
import { RATE_LIMITED_BODY, createRateLimiter } from '../../demo/zendesk/rate-limit.js';
import { zafTicket, zafTimeZone, zafUser } from '../../demo/workspace/zaf-objects.js';

const account = generateAccount();
const byId = (records) => new Map(records.map((record) => [record.id, record]));
const related = {
  users: byId(account.users),
  organizations: byId(account.organizations),
  groups: byId(account.groups),
  memberships: (userId) => account.groupMemberships.filter((m) => m.user_id === userId).map((m) => m.group_id),
};

// Every member name of a ZAF object, at any depth, except the `customField:` keys.
function memberNames(value, names = new Set()) {
  if (value === null || typeof value !== 'object') return names;
  for (const [name, member] of Object.entries(value)) {
    if (!Array.isArray(value)) names.add(name);
    memberNames(member, names);
  }
  return names;
}

test('the Ticket object has ZAF\'s members: camelCase, users and organizations as ZAF objects, custom fields by key', () => {
  const rest = account.tickets.find((t) => t.id === OPEN_TICKET_ID);
  const ticket = zafTicket(rest, related);
  for (const name of memberNames(ticket)) {
    if (name.startsWith('customField:')) continue;
    assert.doesNotMatch(name, /_/, `${name} is a REST member name, not ZAF's`);
  }
  assert.equal(ticket.createdAt, rest.created_at);
  assert.equal(ticket.requester.id, rest.requester_id);
  assert.equal(ticket.requester.timeZone.ianaName, related.users.get(rest.requester_id).iana_time_zone);
  assert.equal(ticket.assignee.user.id, rest.assignee_id);
  assert.deepEqual(ticket.assignee.group, { id: 360000900, name: 'Billing' });
  assert.equal(ticket.organization.id, rest.organization_id);
  assert.equal(ticket['customField:custom_field_360001234'], 'business');
  for (const member of ['time_zone', 'user_fields', 'photo', 'requester_id', 'organization_fields']) {
    assert.ok(!memberNames(ticket).has(member), member);
  }
});

test('the User object: identities, groups, organizations, time zone and user fields as customField:<key>', () => {
  const admin = account.agents[0];
  const user = zafUser(admin, { ...related, memberships: related.memberships(admin.id) });
  assert.deepEqual(user.groups.map((g) => g.name), ['Billing', 'Tier 2']);
  assert.deepEqual(user.identities.map((i) => [i.type, i.value]), [['email', admin.email], ['phone_number', admin.phone]]);
  assert.equal(user['customField:plan_tier'], admin.user_fields.plan_tier);
  assert.equal(user.externalId, admin.external_id);
  assert.equal(user.avatarUrl, null);
  const endUser = account.users.find((u) => u.role === 'end-user');
  const customer = zafUser(endUser, { ...related, memberships: [] });
  assert.deepEqual(customer.organizations.map((o) => o.id), [endUser.organization_id]);
  assert.equal(typeof customer.organizations[0].domains, 'string');
});

test('the TimeZone object: offset in minutes and its formatted form, from the IANA zone at that instant', () => {
  const winter = new Date(Date.UTC(2024, 0, 15));
  const summer = new Date(Date.UTC(2024, 6, 15));
  assert.deepEqual(zafTimeZone('Berlin', 'Europe/Berlin', winter),
    { name: 'Berlin', ianaName: 'Europe/Berlin', offset: 60, formattedOffset: 'GMT+01:00' });
  assert.equal(zafTimeZone('Berlin', 'Europe/Berlin', summer).offset, 120);
  assert.deepEqual(zafTimeZone('Eastern Time (US & Canada)', 'America/New_York', winter).formattedOffset, 'GMT-05:00');
  assert.equal(zafTimeZone('Kolkata', 'Asia/Kolkata', winter).formattedOffset, 'GMT+05:30');
  assert.equal(zafTimeZone('UTC', 'Etc/UTC', winter).offset, 0);
});

test('over the rate limit the API answers 429, plain text, Retry-After in seconds; the window frees again', () => {
  let now = 1_000_000;
  const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
  assert.deepEqual(limiter.take().headers, { 'x-rate-limit': '2', 'x-rate-limit-remaining': '1' });
  now += 10_000;
  assert.equal(limiter.take().headers['x-rate-limit-remaining'], '0');
  now += 5_000;
  const refused = limiter.take();
  assert.equal(refused.status, 429);
  assert.equal(refused.headers['retry-after'], '45'); // the first request leaves the window 45 s from now
  assert.equal(refused.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(refused.body, RATE_LIMITED_BODY);
  assert.equal(Buffer.byteLength(refused.body), 50); // the Content-Length Zendesk sends with it
  now += 45_000;
  assert.equal(limiter.take().status, undefined, 'a request is allowed once the oldest left the window');
  assert.throws(() => createRateLimiter({ limit: 0 }), RangeError);
});

test('the API counts every call: the rate headers on each answer, 429 past the limit, for any route', () => {
  const api = createZendeskApi(account, { rateLimit: { limit: 3, windowMs: 60_000 } });
  const url = (path) => new URL(`http://localhost${path}`);
  const first = api.handle('GET', url(`/api/v2/tickets/${OPEN_TICKET_ID}.json`));
  assert.equal(first.status, 200);
  assert.equal(first.headers['x-rate-limit-remaining'], '2');
  assert.equal(api.handle('GET', url('/api/v2/nowhere.json')).status, 404);
  const groups = api.handle('GET', url('/api/v2/groups.json'));
  assert.deepEqual(JSON.parse(groups.body).groups.map((g) => g.name), ['Billing', 'Tier 2']);
  const limited = api.handle('GET', url('/api/v2/group_memberships.json'));
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers['retry-after']) >= 1);
});
