// Requesters who asked to be forgotten: the data the GDPR-cleanup app (apps/gdpr-cleanup/)
// works on. Each has many tickets whose comments carry planted personal data — their email
// (also as a mailto link, as Zendesk renders it in html_body), phone, card, IBAN, IP address
// and full name — among comments that carry none. Everything is invented and deterministic.
//
// Tickets and comments are generated on demand from their index, so a requester with 100,000
// tickets costs no memory until a comment is redacted; only redacted comments are stored
// (their three texts). `planted()` and `expectedComment()` let a test check that exactly the
// planted data was redacted and nothing else changed.

import { SUBDOMAIN } from './data.js';

const BASE = `https://${SUBDOMAIN}.zendesk.com/api/v2`;
// After the generated account's tickets (2024-01-08 plus up to 600 hours): search export
// orders by created_at, so these come first (newest first) whatever the query.
const START = Date.UTC(2024, 3, 1, 8, 0, 0);
const AGENT_ID = 361000002;
const ORGANIZATION_ID = 360000100;

/** What the redaction API puts in place of each redacted character (Zendesk's reference). */
export const REDACTED = '▇';

// One row per requester; ids far from the generated account's.
const PEOPLE = [
  { name: 'Johanna Lindqvist-Berg', email: 'johanna.lindqvist@forgetme.example.net', phone: '+46 8 123 456 78',
    card: '4111 1111 1111 1111', iban: 'DE89 3704 0044 0532 0130 00', ip: '203.0.113.47' },
  { name: 'Matteo Ferraro-Quist', email: 'matteo.fq@erase.example.org', phone: '+39 02 8765 4321',
    card: '5555 5555 5555 4444', iban: 'GB82 WEST 1234 5698 7654 32', ip: '198.51.100.201' },
  { name: 'Ayesha Okonkwo-Reyes', email: 'a.okonkwo.reyes@gone.example.com', phone: '+44 20 7946 0958',
    card: '3782 822463 10005', iban: 'FR14 2004 1010 0505 0001 3M02 606', ip: '192.0.2.66' },
];

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const escapeHtml = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A requester with `tickets` tickets. `index` picks the invented person (0..2).
 * @param {{ index: number, tickets: number }} options
 */
export function createForgetMeRequester({ index, tickets: count }) {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('forget-me: tickets must be a non-negative integer');
  const person = PEOPLE[index];
  if (!person) throw new RangeError(`forget-me: there are ${PEOPLE.length} invented requesters`);
  const userId = 362000001 + index;
  const firstTicketId = 7_000_001 + index * 1_000_000;
  /** @type {Map<number, { body: string, html_body: string, plain_body: string }>} */
  const redacted = new Map();

  const user = {
    url: `${BASE}/users/${userId}.json`, id: userId, name: person.name, email: person.email,
    created_at: iso(START - 90 * 86_400_000), updated_at: iso(START), time_zone: 'Stockholm', iana_time_zone: 'Europe/Stockholm',
    phone: person.phone, shared_phone_number: false, photo: null, locale: 'en-US', organization_id: ORGANIZATION_ID,
    role: 'end-user', verified: true, external_id: null, tags: ['gdpr-request'], alias: '', active: true, suspended: false,
    details: '', notes: 'Asked to be forgotten (GDPR Art. 17)', last_login_at: null, user_fields: {},
  };

  const ticketIndex = (id) => {
    const i = id - firstTicketId;
    return Number.isInteger(i) && i >= 0 && i < count ? i : undefined;
  };

  // The comment texts of ticket i, with the personal data each one plants. A comment's html
  // shows the email as the link Zendesk makes of it.
  function texts(i) {
    const order = `A-${firstTicketId + i}`;
    const first = `Hello, this is ${person.name}. My order ${order} arrived damaged. Please call me on ${person.phone} or write to `;
    const extra = (i % 3 === 0 ? ` The refund can go to my IBAN ${person.iban}.` : '') +
      (i % 5 === 1 ? ` I paid with the card ${person.card}.` : '');
    const list = [{
      author: userId,
      public: true,
      text: `${first}${person.email}.${extra}`,
      html: `<div class="zd-comment" dir="auto"><p>${escapeHtml(first)}<a href="mailto:${person.email}" rel="noreferrer">${escapeHtml(person.email)}</a>.${escapeHtml(extra)}</p></div>`,
      planted: [person.name, person.phone, person.email, ...(i % 3 === 0 ? [person.iban] : []), ...(i % 5 === 1 ? [person.card] : [])],
    }, {
      author: AGENT_ID,
      public: true,
      text: 'Thanks for writing, we have started a replacement for your order.',
      planted: [],
    }];
    if (i % 2 === 0) {
      list.push({
        author: userId,
        public: true,
        text: `One more thing: I ordered from the address ${person.ip}, in case you need it. Best, ${person.name}`,
        planted: [person.ip, person.name],
      });
    }
    if (i % 4 === 1) list.push({ author: AGENT_ID, public: false, text: 'Internal: replacement approved by the warehouse.', planted: [] });
    return list.map((c) => ({ ...c, html: c.html ?? `<div class="zd-comment" dir="auto"><p>${escapeHtml(c.text)}</p></div>` }));
  }

  const commentId = (i, c) => (firstTicketId + i) * 10 + c;

  function originalComments(i) {
    const created = START + i * 60_000;
    return texts(i).map((c, n) => ({
      id: commentId(i, n), type: 'Comment', author_id: c.author, body: c.text, html_body: c.html, plain_body: c.text,
      public: c.public, attachments: [], audit_id: commentId(i, n) + 5_000_000_000,
      via: { channel: n === 0 ? 'email' : 'web', source: { from: {}, to: {}, rel: null } },
      created_at: iso(created + n * 3_600_000),
      metadata: { system: { client: 'Mozilla/5.0', ip_address: n === 0 ? person.ip : '198.51.100.9', location: 'Stockholm, Sweden' }, custom: {} },
    }));
  }

  function ticket(i) {
    const id = firstTicketId + i;
    const created = START + i * 60_000;
    const description = texts(i)[0].text;
    return {
      url: `${BASE}/tickets/${id}.json`, id, external_id: null,
      via: { channel: 'email', source: { from: { address: person.email, name: person.name }, to: {}, rel: null } },
      created_at: iso(created), updated_at: iso(created + 7_200_000), type: 'incident',
      subject: `Damaged order A-${id}`, raw_subject: `Damaged order A-${id}`, description,
      priority: 'normal', status: i % 7 === 0 ? 'closed' : 'solved', recipient: `support@${SUBDOMAIN}.example.com`,
      requester_id: userId, submitter_id: userId, assignee_id: AGENT_ID, organization_id: ORGANIZATION_ID,
      group_id: 360000900, collaborator_ids: [], follower_ids: [], email_cc_ids: [], has_incidents: false,
      is_public: true, due_at: null, tags: ['shipping'], custom_fields: [], satisfaction_rating: { score: 'unoffered' },
      sharing_agreement_ids: [], brand_id: 360000001, allow_channelback: false, allow_attachments: true,
    };
  }

  return {
    user,
    count,
    firstTicketId,
    /** The invented person's data (tests). */
    person,
    /** True when `id` is one of this requester's tickets. */
    hasTicket: (id) => ticketIndex(id) !== undefined,
    /** The REST ticket at position i (0 = the oldest). */
    ticketAt: ticket,
    /** The ticket's comments as they are now (redactions applied), or undefined for another ticket. */
    comments(ticketId) {
      const i = ticketIndex(ticketId);
      if (i === undefined) return undefined;
      return originalComments(i).map((comment) => ({ ...comment, ...redacted.get(comment.id) }));
    },
    /** The ticket id of a comment of this requester's tickets, or undefined. */
    ticketOfComment(commentId) {
      const ticketId = Math.floor(commentId / 10);
      const i = ticketIndex(ticketId);
      return i !== undefined && commentId % 10 < texts(i).length ? ticketId : undefined;
    },
    /** Stores a comment's new texts (the redaction endpoints). */
    replaceComment(commentId, texts) {
      redacted.set(commentId, texts);
    },
    /** The personal data planted in each comment of ticket `ticketId`: [{ commentId, values }]. */
    planted(ticketId) {
      const i = ticketIndex(ticketId);
      return texts(i).map((c, n) => ({ commentId: commentId(i, n), values: c.planted }));
    },
    /** A comment as it must be once every planted value is redacted, and nothing else. */
    expectedComment(ticketId, n) {
      const i = ticketIndex(ticketId);
      const c = texts(i)[n];
      const blank = (text) => c.planted.reduce((out, value) => out.split(value).join(REDACTED.repeat([...value].length)), text);
      // In html the email's link is redacted too: the tag goes, its (redacted) text stays.
      const html = blank(c.html).replace(/<a href="mailto:[^"]*" rel="noreferrer">([^<]*)<\/a>/g, '$1');
      return { body: blank(c.text), plain_body: blank(c.text), html_body: html };
    },
    /** How many comments were redacted so far. */
    get redactedCount() {
      return redacted.size;
    },
  };
}

/** The requesters of the demo: `tickets` is the number of tickets of each. */
export function createForgetMeRequesters(tickets = []) {
  return tickets.map((count, index) => createForgetMeRequester({ index, tickets: count }));
}
