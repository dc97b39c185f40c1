// The sidebar's field policy (DESIGN §2): everything the sidebar may read, and the only
// requests it may make. Zendesk answers with far more (emails, phone numbers, notes, internal
// custom fields, comment bodies and their metadata); the filter keeps only these fields, and
// the redaction rules mask personal data inside descriptions before the app ever sees them.
const DESCRIPTION_RULE = { detect: ['email', 'phone', 'credit_card', 'iban'], action: 'mask' };

/** The name this copy declares its policy and reports its access under (docs/apps.md). */
export const APP_NAME = 'ticket-summary';

export const POLICY = {
  version: 1,
  name: 'ticket-summary',
  resources: {
    ticket: 'id,subject,description,status,priority,requester_id,organization_id,tags,created_at,' +
      'custom_fields[id=360001234|360005678](id,value)',
    user: 'id,name',
    organization: 'id,name',
    comment: 'id,public',
  },
  // Zendesk's error members, so a failed request still says what went wrong.
  select: 'error,description',
  // The only API requests the sidebar makes; anything else is refused before it leaves the
  // iframe. The sidebar writes nothing, so there is no `write`.
  requests: [
    'GET /api/v2/tickets/{id}.json?include',
    'GET /api/v2/tickets/{id}/comments.json?page[size]',
    'GET /api/v2/search.json?query&per_page',
  ],
  zaf: ['ticket.id'],
  redact: {
    rules: [
      { path: 'ticket.description', ...DESCRIPTION_RULE },
      { path: 'results[].description', ...DESCRIPTION_RULE },
    ],
  },
  limits: { max_depth: 32, max_input_bytes: 1048576 },
};

/** The custom fields the policy keeps, by id, with the titles Zendesk's admin gave them. */
export const FIELD_TITLES = { 360001234: 'Plan', 360005678: 'Region' };
