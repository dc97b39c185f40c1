// The invented Zendesk account the demo serves: organizations, users, tickets with custom
// fields and comments, generated from a fixed seed so every run (and the e2e test) sees
// the same data. Nothing here is real: names are drawn from small lists, emails use
// example.com/example.org, phone numbers the 555 range.
//
// Fields the sidebar app's policy excludes carry EXCLUDED_MARKER, so a test can prove
// that none of them ever reaches the app's DOM or state.

import { seededRandom } from './seeded-random.js';

export const SUBDOMAIN = 'acme';
export const EXCLUDED_MARKER = 'LDX';
/** The ticket open in the workspace. */
export const OPEN_TICKET_ID = 1042;

/** Custom ticket fields: the app's policy keeps Plan and Region only. */
export const TICKET_FIELDS = [
  { id: 360001234, title: 'Plan', kept: true },
  { id: 360005678, title: 'Region', kept: true },
  { id: 360009012, title: 'Internal risk note', kept: false },
  { id: 360007777, title: 'Account manager phone', kept: false },
];

const FIRST = ['Ana', 'Ben', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas',
  'Kaito', 'Lena', 'Mateo', 'Nora', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq'];
const LAST = ['Almeida', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat',
  'Ivanova', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Novak', 'Okafor', 'Petrov'];
const ORGS = ['Northwind Bikes', 'Bluebell Bakery', 'Kestrel Logistics', 'Orbit Dental',
  'Quartz Studios', 'Harbor Analytics', 'Juniper Schools', 'Maple Energy'];
const SUBJECTS = ['Invoice shows the wrong VAT rate', 'Cannot reset my password',
  'Export to CSV times out', 'Refund for a double charge', 'Two-factor codes not arriving',
  'Change the billing contact', 'API returns 429 during imports', 'Dashboard is empty after login',
  'Add a second warehouse', 'Delivery notes in German', 'SSO login loops back to the start',
  'Cancel the annual plan', 'Webhook retries flood our server', 'Attachment upload fails at 10 MB'];
const PLANS = ['basic', 'team', 'business', 'enterprise'];
const REGIONS = ['emea', 'amer', 'apac'];
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const CHANNELS = ['email', 'web', 'api', 'chat'];
// Zendesk's display names with the IANA zone each stands for (REST `time_zone`, `iana_time_zone`).
const TIME_ZONES = [['Berlin', 'Europe/Berlin'], ['Lisbon', 'Europe/Lisbon'], ['Warsaw', 'Europe/Warsaw'],
  ['Eastern Time (US & Canada)', 'America/New_York']];
const timeZone = ([name, iana]) => ({ time_zone: name, iana_time_zone: iana });
/** The account's agent groups; every ticket is in the first. */
const GROUPS = [[360000900, 'Billing'], [360000901, 'Tier 2']];

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const START = Date.UTC(2024, 0, 8, 9, 0, 0);
const HOUR = 3600_000;

/** Builds the account; deterministic for a given seed. */
export function generateAccount(seed = 20240508) {
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const base = `https://${SUBDOMAIN}.zendesk.com/api/v2`;

  const organizations = ORGS.map((name, i) => {
    const id = 360000100 + i;
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.org`;
    return {
      url: `${base}/organizations/${id}.json`,
      id,
      name,
      shared_tickets: false,
      shared_comments: false,
      external_id: `crm-${EXCLUDED_MARKER}-org-${i}`,
      created_at: iso(START - (40 + i) * 24 * HOUR),
      updated_at: iso(START - i * HOUR),
      domain_names: [domain],
      details: `Contract ${EXCLUDED_MARKER}-contract-${i}: renewal negotiated by phone`,
      notes: `Credit check ${EXCLUDED_MARKER}-credit-${i}; do not share`,
      group_id: null,
      tags: [pick(PLANS)],
      organization_fields: { sla_tier: pick(['bronze', 'silver', 'gold']), annual_revenue: `${EXCLUDED_MARKER}-revenue-${i}` },
    };
  });

  const users = [];
  const addUser = (role, i) => {
    const name = `${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 5 + role.length) % LAST.length]}`;
    const org = role === 'end-user' ? organizations[i % organizations.length] : null;
    const id = 361000000 + users.length + 1;
    const handle = name.toLowerCase().replace(/[^a-z]+/g, '.');
    users.push({
      url: `${base}/users/${id}.json`,
      id,
      name,
      email: role === 'end-user' ? `${handle}@${org.domain_names[0]}` : `${handle}@${SUBDOMAIN}-support.example.com`,
      created_at: iso(START - (30 + i) * 24 * HOUR),
      updated_at: iso(START - i * HOUR),
      ...timeZone(pick(TIME_ZONES)),
      phone: `+1 555 01${String(10 + users.length).padStart(2, '0')}`,
      shared_phone_number: false,
      photo: null,
      locale: 'en-US',
      organization_id: org ? org.id : null,
      role,
      verified: true,
      external_id: `crm-${EXCLUDED_MARKER}-user-${id}`,
      tags: [],
      alias: '',
      active: true,
      suspended: false,
      details: `Prefers calls in the morning ${EXCLUDED_MARKER}-details-${id}`,
      notes: `VIP escalation history ${EXCLUDED_MARKER}-notes-${id}`,
      last_login_at: iso(START + i * HOUR),
      user_fields: { plan_tier: pick(PLANS), date_of_birth: `${EXCLUDED_MARKER}-dob-${id}` },
    });
    return users[users.length - 1];
  };
  const agents = Array.from({ length: 4 }, (_, i) => addUser(i === 0 ? 'admin' : 'agent', i));
  const groups = GROUPS.map(([id, name], i) => ({
    url: `${base}/groups/${id}.json`, id, name, description: '', default: i === 0, deleted: false, is_public: true,
    created_at: iso(START - 60 * 24 * HOUR), updated_at: iso(START - 60 * 24 * HOUR),
  }));
  // Every agent is in Billing; the admin and the second agent also in Tier 2.
  const groupMemberships = agents.flatMap((agent, i) => [GROUPS[0][0], ...(i < 2 ? [GROUPS[1][0]] : [])].map((groupId, n) => ({
    url: `${base}/group_memberships/${agent.id * 10 + n}.json`, id: agent.id * 10 + n, user_id: agent.id, group_id: groupId,
    default: n === 0, created_at: iso(START - 50 * 24 * HOUR), updated_at: iso(START - 50 * 24 * HOUR),
  })));
  const endUsers = Array.from({ length: 36 }, (_, i) => addUser('end-user', i + 4));

  const tickets = [];
  const comments = new Map();
  let commentId = 39000000000;
  for (let i = 0; i < 120; i++) {
    const id = 1000 + i;
    const requester = endUsers[(i * 11) % endUsers.length];
    const assignee = agents[i % agents.length];
    const created = START + i * 5 * HOUR;
    const open = id === OPEN_TICKET_ID;
    const subject = open ? 'Charged twice for the May invoice' : pick(SUBJECTS);
    const description = open
      ? `Hi, I was charged twice for invoice 2024-0517. Card 4111 1111 1111 1111 shows both payments. ` +
        `Please call me on +49 30 1234 5678 or mail ${requester.email}. Thanks, ${requester.name}`
      : `${subject}. Reach me at ${requester.email}.`;
    tickets.push({
      url: `${base}/tickets/${id}.json`,
      id,
      external_id: null,
      via: { channel: open ? 'email' : pick(CHANNELS), source: { from: { address: requester.email, name: requester.name }, to: {}, rel: null } },
      created_at: iso(created),
      updated_at: iso(created + 3 * HOUR),
      type: pick(['question', 'incident', 'problem', 'task']),
      subject,
      raw_subject: subject,
      description,
      priority: open ? 'high' : pick(PRIORITIES),
      status: open ? 'open' : pick(STATUSES),
      recipient: `support@${SUBDOMAIN}.example.com`,
      requester_id: requester.id,
      submitter_id: requester.id,
      assignee_id: assignee.id,
      organization_id: requester.organization_id,
      group_id: GROUPS[0][0],
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      has_incidents: false,
      is_public: true,
      due_at: null,
      tags: open ? ['billing', 'refund', 'vip'] : [pick(['billing', 'login', 'api', 'shipping'])],
      custom_fields: [
        { id: 360001234, value: open ? 'business' : pick(PLANS) },
        { id: 360005678, value: open ? 'emea' : pick(REGIONS) },
        { id: 360009012, value: `Chargeback risk ${EXCLUDED_MARKER}-risk-${id}` },
        { id: 360007777, value: `${EXCLUDED_MARKER}-am-phone-${id}` },
      ],
      satisfaction_rating: { score: 'unoffered' },
      sharing_agreement_ids: [],
      brand_id: 360000001,
      allow_channelback: false,
      allow_attachments: true,
    });

    const thread = [];
    const count = open ? 4 : 2 + Math.floor(random() * 3);
    for (let c = 0; c < count; c++) {
      const byAgent = c % 2 === 1;
      const author = byAgent ? assignee : requester;
      const isPrivate = open ? c === 2 : byAgent && random() < 0.3;
      const body = c === 0
        ? description
        : isPrivate
          ? `Internal: finance confirmed the duplicate. ${EXCLUDED_MARKER}-private-note-${id}`
          : byAgent
            ? `Thanks ${requester.name.split(' ')[0]}, we are looking into it.`
            : 'Any news? This is urgent for our accounting.';
      thread.push({
        id: commentId++,
        type: 'Comment',
        author_id: author.id,
        body,
        html_body: `<div class="zd-comment"><p>${body}</p></div>`,
        plain_body: body,
        public: !isPrivate,
        attachments: c === 0 && open
          ? [{ id: 380000001, file_name: 'invoice-2024-0517.pdf', content_type: 'application/pdf', size: 48213,
              content_url: `https://${SUBDOMAIN}.zendesk.com/attachments/token/${EXCLUDED_MARKER}-token/?name=invoice.pdf` }]
          : [],
        audit_id: commentId + 1000,
        via: { channel: byAgent ? 'web' : 'email', source: { from: {}, to: {}, rel: null } },
        created_at: iso(created + c * HOUR),
        metadata: { system: { client: 'Mozilla/5.0', ip_address: `198.51.100.${c + 10}`, location: `${EXCLUDED_MARKER}-geo-${id}` }, custom: {} },
      });
    }
    comments.set(id, thread);
  }

  return { organizations, users, agents, groups, groupMemberships, tickets, comments };
}
