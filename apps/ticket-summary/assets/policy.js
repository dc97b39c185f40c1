// The sidebar app's field policy (DESIGN §2): everything the app may read, nothing else.
// Zendesk answers with far more (emails, phone numbers, notes, internal custom fields,
// comment bodies and metadata); the filter keeps only these fields, and the redaction
// rules mask personal data inside the descriptions before the app ever sees them.
const DESCRIPTION_RULE = { detect: ['email', 'phone', 'credit_card', 'iban'], action: 'mask' };

export const APP_NAME = 'ticket-summary';

export const POLICY = {
  version: 1,
  name: 'ticket-summary-demo',
  resources: {
    ticket: 'id,subject,description,status,priority,requester_id,organization_id,tags,created_at,' +
      'custom_fields[id=360001234|360005678](id,value)',
    user: 'id,name,role',
    organization: 'id,name',
    comment: 'id,author_id,public,created_at',
  },
  // Zendesk's error members, so a failed request still says what went wrong.
  select: 'error',
  // The only Zendesk API requests the app makes; anything else is refused before it leaves
  // the iframe. The app writes nothing, so there is no `write`.
  requests: [
    'GET /api/v2/tickets/{id}.json?include',
    'GET /api/v2/tickets/{id}/comments.json?page[size]',
    'GET /api/v2/search.json?query&per_page',
  ],
  zaf: [
    'ticket.id',
    'ticket.subject',
    'ticket.status',
    'ticket.priority',
    'ticket.requester.name',
    'ticket.customField:custom_field_360001234',
    'currentUser.name',
  ],
  redact: {
    rules: [
      { path: 'ticket.description', ...DESCRIPTION_RULE },
      { path: 'tickets[].description', ...DESCRIPTION_RULE },
      { path: 'results[].description', ...DESCRIPTION_RULE },
    ],
  },
  limits: { max_depth: 32, max_input_bytes: 1048576 },
};

/** Custom fields the policy keeps, by id. */
export const FIELD_TITLES = { 360001234: 'Plan', 360005678: 'Region' };
