// Generated Zendesk-shaped payloads for benchmarks, of a requested size: ticket lists with
// sideloaded users and custom fields (GET /api/v2/tickets.json?include=users) and search
// results mixing tickets, users and organizations (GET /api/v2/search.json).
// Deterministic (seeded), invented data; no Node APIs, so the Chromium page runs it too.

import { seededRandom } from '../demo/zendesk/seeded-random.js';

const WORDS = ('printer invoice refund login password shipping delay broken screen order account ' +
  'upgrade plan billing error crash sync export report urgent customer portal café naïve 東京 😀').split(' ');

function sentence(random, words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]);
  return out.join(' ');
}

function ticket(random, id, userIds) {
  const requester = userIds[Math.floor(random() * userIds.length)];
  return {
    url: `https://acme.zendesk.com/api/v2/tickets/${id}.json`,
    id,
    external_id: null,
    via: { channel: 'email', source: { from: { address: `customer${id}@example.com`, name: `Customer ${id}` }, to: {}, rel: null } },
    created_at: '2026-03-01T09:15:00Z',
    updated_at: '2026-03-02T10:20:00Z',
    type: 'incident',
    subject: sentence(random, 6),
    raw_subject: sentence(random, 6),
    description: sentence(random, 60),
    priority: 'high',
    status: 'open',
    recipient: 'support@acme.example',
    requester_id: requester,
    submitter_id: requester,
    assignee_id: 9000000001,
    organization_id: 360000000000 + id,
    group_id: 360000000123,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: ['vip', 'billing'],
    custom_fields: [
      { id: 360001234, value: 'gold' },
      { id: 360005678, value: String(Math.floor(random() * 100000)) },
      { id: 360009999, value: sentence(random, 4) },
      { id: 360008888, value: null },
    ],
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    fields: [{ id: 360001234, value: 'gold' }],
    brand_id: 360000001,
    allow_channelback: false,
    allow_attachments: true,
  };
}

function user(random, id) {
  return {
    id,
    url: `https://acme.zendesk.com/api/v2/users/${id}.json`,
    name: `Customer ${id}`,
    email: `customer${id}@example.com`,
    created_at: '2025-01-01T00:00:00Z',
    time_zone: 'Europe/Berlin',
    phone: '+49 30 1234567',
    locale: 'de',
    organization_id: 360000000000 + id,
    role: 'end-user',
    verified: true,
    tags: [],
    notes: sentence(random, 10),
    user_fields: { plan: 'premium', crm_id: `C-${id}` },
  };
}

function organization(random, id) {
  return {
    url: `https://acme.zendesk.com/api/v2/organizations/${id}.json`,
    id,
    name: `Org ${id} ${sentence(random, 2)}`,
    shared_tickets: false,
    shared_comments: false,
    external_id: null,
    created_at: '2024-05-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    domain_names: [`org${id}.example`],
    details: sentence(random, 8),
    notes: sentence(random, 8),
    group_id: null,
    tags: ['enterprise'],
    organization_fields: { tier: 'gold', region: 'emea' },
  };
}

/** Search results (tickets 60 %, users 30 %, organizations 10 %), about `bytes` long. */
export function searchResults(bytes, seed = 2) {
  const random = seededRandom(seed);
  const results = [];
  let size = 200;
  let id = 1;
  while (size < bytes) {
    const pick = random();
    const result =
      pick < 0.6
        ? { ...ticket(random, id, [10000 + id]), result_type: 'ticket' }
        : pick < 0.9
          ? { ...user(random, 10000 + id), result_type: 'user' }
          : { ...organization(random, 360000000000 + id), result_type: 'organization' };
    results.push(result);
    size += JSON.stringify(result).length + 1;
    id++;
  }
  return JSON.stringify({
    results,
    facets: null,
    next_page: 'https://acme.zendesk.com/api/v2/search.json?page=2&query=printer',
    previous_page: null,
    count: results.length * 7,
  });
}

/** A ticket list with sideloaded users, about `bytes` long. */
export function ticketList(bytes, seed = 1) {
  const random = seededRandom(seed);
  const tickets = [];
  const users = [];
  const userIds = [];
  let size = 200;
  let id = 1;
  while (size < bytes) {
    const uid = 10000 + id;
    userIds.push(uid);
    const u = user(random, uid);
    const t = ticket(random, id, userIds);
    users.push(u);
    tickets.push(t);
    size += JSON.stringify(t).length + JSON.stringify(u).length + 2;
    id++;
  }
  return JSON.stringify({
    tickets,
    users,
    meta: { has_more: true, after_cursor: 'xyz', before_cursor: 'abc' },
    links: { next: 'https://acme.zendesk.com/api/v2/tickets.json?page[after]=xyz', prev: null },
  });
}

/** The policy a ticket sidebar app would declare for these payloads. */
export const sidebarPolicy = {
  version: 1,
  name: 'ticket-sidebar',
  resources: {
    ticket: 'id,subject,status,requester_id,assignee_id,custom_fields[id=360001234|360005678](id,value)',
    user: 'id,name,email',
  },
};
