// Every Zendesk resource of DESIGN §2.2 on responses shaped after Zendesk's API reference
// examples (tests/fixtures/zendesk/resources/): each envelope is found, only the named
// fields survive, the pagination envelope (before_url included) is kept whole, and a
// response whose envelope the policy forgot is reported in the ledger's `unmatched`.
// Expected outputs were written by hand from the fixtures, not produced by the filter.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { load } from '../../dist/node.js';

const fixture = (name) => readFileSync(new URL(`../fixtures/zendesk/resources/${name}`, import.meta.url));

const EVERY_RESOURCE = {
  version: 1,
  name: 'every-resource',
  resources: {
    ticket: 'id,subject,status,group_id',
    user: 'id,name',
    organization: 'id,name',
    comment: 'id,public',
    audit: 'id,ticket_id,created_at,events[type=Change](field_name,value)',
    group: 'id,name',
    ticket_field: 'id,type,title',
    user_field: 'id,key,title',
    organization_field: 'id,key,title',
    identity: 'id,user_id,type,primary',
    ticket_event: 'id,ticket_id,timestamp,event_type',
    job_status: 'id,status,progress,total,results(id,success)',
    satisfaction_rating: 'id,ticket_id,score',
  },
};

const listPages = (count) => ({ next_page: null, previous_page: null, count });

const CASES = [
  ['audit-show.json', {
    audit: { id: 2127301143, ticket_id: 666, created_at: '2011-09-25T22:35:44Z',
      events: [{ field_name: 'status', value: 'solved' }, { field_name: 'assignee_id', value: '35436' }] },
  }],
  ['audits-list.json', {
    audits: [
      { id: 2127301143, ticket_id: 666, created_at: '2011-09-25T22:35:44Z', events: [{ field_name: 'status', value: 'solved' }] },
      { id: 2127301150, ticket_id: 666, created_at: '2011-09-26T08:12:03Z', events: [{ field_name: 'priority', value: 'high' }] },
    ],
    ...listPages(2),
  }],
  ['groups-list.json', { groups: [{ id: 211, name: 'DJs' }, { id: 122, name: 'MCs' }], ...listPages(2) }],
  ['ticket-with-groups.json', {
    ticket: { id: 35436, subject: 'Help, my printer is on fire!', group_id: 211 },
    groups: [{ id: 211, name: 'DJs' }],
  }],
  ['ticket-fields-list.json', {
    ticket_fields: [{ id: 34, type: 'subject', title: 'Subject' }, { id: 360001234, type: 'tagger', title: 'Plan' }],
    ...listPages(2),
  }],
  ['user-field-show.json', { user_field: { id: 75, key: 'support_description', title: 'Support description' } }],
  ['organization-fields-list.json', {
    organization_fields: [{ id: 7, key: 'custom_field_1', title: 'Custom Field 1' }],
    ...listPages(1),
  }],
  ['identities-list.json', {
    identities: [
      { id: 35436, user_id: 135, type: 'email', primary: true },
      { id: 77938, user_id: 135, type: 'twitter', primary: false },
      { id: 88136, user_id: 135, type: 'phone_number', primary: true },
    ],
    ...listPages(3),
  }],
  ['ticket-events-incremental.json', {
    ticket_events: [
      { id: 926256957613, ticket_id: 155, timestamp: 1601357503, event_type: 'Audit' },
      { id: 926256957700, ticket_id: 156, timestamp: 1601357560, event_type: 'Audit' },
    ],
    next_page: 'https://example.zendesk.com/api/v2/incremental/ticket_events.json?start_time=1601357560',
    count: 2,
    end_of_stream: true,
    end_time: 1601357560,
  }],
  ['tickets-incremental-cursor.json', {
    tickets: [{ id: 35436, subject: 'Help, my printer is on fire!', status: 'open' }],
    after_url: 'https://example.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=MTU3NjYxMzUzOS4wfHw0Njd8',
    after_cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8',
    before_url: 'https://example.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=MTU2NjYxMzUzOS4wfHw0Njd8',
    before_cursor: 'MTU2NjYxMzUzOS4wfHw0Njd8',
    end_of_stream: true,
  }],
  ['job-status-show.json', {
    job_status: { id: '8b726e606741012ffc2d782bcb7848fe', total: 2, progress: 2, status: 'completed',
      results: [{ id: 380, success: true }, { id: 381, success: true }] },
  }],
  ['satisfaction-ratings-list.json', {
    satisfaction_ratings: [{ id: 35436, ticket_id: 208, score: 'good' }, { id: 120447, ticket_id: 209, score: 'bad' }],
    meta: { has_more: false, after_cursor: 'xxx', before_cursor: 'yyy' },
    links: { prev: 'https://example.zendesk.com/api/v2/satisfaction_ratings.json?page[before]=yyy', next: null },
  }],
  ['search-groups.json', {
    results: [{ id: 211, name: 'DJs' }, { id: 35436, subject: 'Printer' }, { id: 9, name: 'Jane' }],
    ...listPages(3),
  }],
];

const ld = await load();
const every = ld.compile(EVERY_RESOURCE);
const ticketOnly = ld.compile({ version: 1, resources: { ticket: 'id,subject' } });

for (const [name, expected] of CASES) {
  test(`${name}: only the named fields of its envelope, pagination kept whole`, () => {
    const { output, ledger } = every.filterWithLedger(fixture(name));
    const clean = JSON.parse(JSON.stringify(expected, (key, value) => (value === undefined ? undefined : value)));
    assert.deepEqual(JSON.parse(output), clean);
    assert.deepEqual(ledger.unmatched, name === 'search-groups.json' ? ['facets'] : []);
    assert.doesNotMatch(output, /@example\.com|\+1 415|4111|0151|\+44 20|203\.0\.113|198\.51\.100|didgeridooboy/);
  });
}

test('a policy that forgets an envelope says so in unmatched instead of a silent {}', () => {
  const expectations = {
    'audit-show.json': ['audit'],
    'groups-list.json': ['groups'],
    'identities-list.json': ['identities'],
    'ticket-events-incremental.json': ['ticket_events'],
    'job-status-show.json': ['job_status'],
    'ticket-with-groups.json': ['groups'],
    'tickets-incremental-cursor.json': [],
  };
  for (const [name, unmatched] of Object.entries(expectations)) {
    const { ledger } = ticketOnly.filterWithLedger(fixture(name));
    assert.deepEqual(ledger.unmatched, unmatched, name);
  }
});

test('the access report groups paths by the core table of resources', () => {
  const fresh = ld.accessReport().by_resource;
  for (const resource of ['audit', 'group', 'ticket_field', 'user_field', 'organization_field', 'identity', 'ticket_event',
    'job_status', 'satisfaction_rating']) {
    assert.ok(fresh[resource]?.fields_kept > 0, `${resource} in by_resource`);
  }
  assert.equal(fresh.other?.paths['next_page'] > 0, true, 'pagination members stay "other"');
});
