// What the filter benchmarks filter: a payload generator, the leastdata policy, the
// equivalent json-mask expression and a hand-written pick function per workload. All
// contenders of a workload must produce the same JSON (checked before timing). No Node
// APIs: the Chromium page imports this file too.

import { searchResults, sidebarPolicy, ticketList } from './payloads.js';

// leastdata's selection language is a superset of json-mask's, so where no predicate is
// needed the same text is both the policy's selection and the json-mask expression.
const TICKETS_SELECTION =
  'tickets(id,subject,status,requester_id,assignee_id,custom_fields(id,value)),users(id,name,email),meta,links';
const SEARCH_SELECTION = 'results(result_type,id,subject,status,requester_id,name,email),count,next_page,previous_page';

// The pagination envelope a `resources` policy keeps whole (DESIGN §2.2).
const ENVELOPE = ['next_page', 'previous_page', 'count', 'meta', 'links', 'after_url', 'after_cursor',
  'before_cursor', 'end_of_stream', 'end_time'];

// JSON.stringify drops members whose value is undefined, as the filters drop absent members.
const pickTicket = (t) => ({
  id: t.id,
  subject: t.subject,
  status: t.status,
  requester_id: t.requester_id,
  assignee_id: t.assignee_id,
  custom_fields: t.custom_fields?.map((f) => ({ id: f.id, value: f.value })),
});
const pickUser = (u) => ({ id: u.id, name: u.name, email: u.email });

function pickTickets(doc) {
  return { tickets: doc.tickets.map(pickTicket), users: doc.users.map(pickUser), meta: doc.meta, links: doc.links };
}

function pickSearch(doc) {
  return {
    results: doc.results.map((r) => ({
      result_type: r.result_type,
      id: r.id,
      subject: r.subject,
      status: r.status,
      requester_id: r.requester_id,
      name: r.name,
      email: r.email,
    })),
    count: doc.count,
    next_page: doc.next_page,
    previous_page: doc.previous_page,
  };
}

// sidebarPolicy: custom_fields[id=360001234|360005678](id,value) keeps two of the fields.
const KEPT_FIELDS = new Set([360001234, 360005678]);
function pickSidebar(doc) {
  const out = {
    tickets: doc.tickets.map((t) => ({
      ...pickTicket(t),
      custom_fields: t.custom_fields?.filter((f) => KEPT_FIELDS.has(f.id)).map((f) => ({ id: f.id, value: f.value })),
    })),
    users: doc.users.map(pickUser),
  };
  for (const key of ENVELOPE) if (key in doc) out[key] = doc[key];
  return out;
}

/** Payload sizes of the benchmarks, by label (decimal: 1 MB = 10⁶ bytes). */
export const SIZES = { '10KB': 10_000, '100KB': 100_000, '1MB': 1_000_000, '10MB': 10_000_000 };

/**
 * name → { title, generate(bytes) → JSON text, policy, mask (json-mask expression, or null
 * when json-mask cannot express the policy), pick(parsed) → object to stringify }.
 */
export const WORKLOADS = {
  tickets: {
    title: 'ticket list + sideloaded users',
    generate: (bytes) => ticketList(bytes),
    policy: { version: 1, name: 'bench-tickets', select: TICKETS_SELECTION },
    mask: TICKETS_SELECTION,
    pick: pickTickets,
  },
  search: {
    title: 'search results (tickets, users, organizations)',
    generate: (bytes) => searchResults(bytes),
    policy: { version: 1, name: 'bench-search', select: SEARCH_SELECTION },
    mask: SEARCH_SELECTION,
    pick: pickSearch,
  },
  'tickets-policy': {
    title: 'ticket list, sidebar policy (resources + custom-field predicate; json-mask cannot express it)',
    generate: (bytes) => ticketList(bytes),
    policy: sidebarPolicy,
    mask: null,
    pick: pickSidebar,
  },
};

/** The workload whose 1 MB figures the targets are judged on. */
export const TARGET_WORKLOAD = 'tickets';

/** The workload of the object-out comparison (bench/object-out.js): a ticket list. */
export const OBJECT_WORKLOAD = 'tickets';
