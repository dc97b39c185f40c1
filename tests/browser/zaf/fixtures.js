// Invented Zendesk data for the ZAF adapter tests, shared by the Node test (server routes,
// assertions), the parent page (the ZAF `get` context) and the app (its policy).
// Every value the policy must keep from the app carries a marker, so a test can look
// for the markers anywhere the app could hold them.

export const APP_GUID = 'c0ffee00-1ea5-7da7-a000-000000000001';

export const MARKERS = {
  // Only ever sent by the parent for a path the policy refuses: must never be asked for.
  refusedPath: 'REFUSED-PATH-MARKER',
  // Sent inside an object ZAF returns whole (ticket.requester): pruned by the adapter.
  prunedMember: 'PRUNED-MEMBER-MARKER',
  // In API responses, in fields the policy drops.
  droppedField: 'DROPPED-FIELD-MARKER',
  // In an API error body, in a member the policy drops.
  errorBody: 'ERROR-BODY-MARKER',
  // In the body of a write the policy refuses: must never leave the iframe.
  refusedWrite: 'REFUSED-WRITE-MARKER',
};

export const BIG_TICKET_ID = '36000123456789012345'; // 20 digits: beyond 2^53

export const POLICY = {
  version: 1,
  name: 'zaf-test-sidebar',
  resources: {
    ticket: 'id,subject,status,custom_fields[id=360001234](id,value)',
    user: 'id,name',
  },
  // Zendesk's error members, so a failed request still says what went wrong.
  select: 'error,description',
  requests: [
    'GET /api/v2/tickets/{id}.json',
    'GET /api/v2/limited/tickets/{id}.json',
    'GET /api/v2/slow/tickets/{id}.json',
    'PUT /api/v2/tickets/{id}.json',
  ],
  write: { resources: { ticket: 'status' } },
  zaf: [
    'ticket.id',
    'ticket.subject',
    'ticket.tags',
    'ticket.requester',
    'ticket.requester.name',
    'ticket.customField:custom_field_360001234',
    'currentUser.name',
  ],
};

/** What the parent answers to ZAF `get` paths: the ticket open in the workspace. */
export const ZAF_DATA = {
  ticket: {
    id: 1,
    subject: 'Printer on fire',
    description: `Please call me back. ${MARKERS.refusedPath}`,
    status: 'open',
    tags: ['printer', 'vip'],
    requester: {
      id: 501,
      name: 'Ana Requester',
      email: `ana.${MARKERS.prunedMember}@example.com`,
      identities: [{ type: 'phone', value: `+49 30 ${MARKERS.prunedMember}` }],
    },
    'customField:custom_field_360001234': 'gold',
  },
  currentUser: { id: 900001, name: 'Agent Smith', email: `agent.${MARKERS.refusedPath}@example.com` },
};

/** The registration context (app.registered): no personal data beyond what ZAF always sends. */
export function zafContext(appGuid) {
  return {
    instanceGuid: appGuid,
    product: 'support',
    location: 'ticket_sidebar',
    ticketId: 1,
    account: { subdomain: 'acme' },
    currentAccount: { subdomain: 'acme' },
    currentUser: { id: 900001, name: 'Agent Smith', locale: 'en-US', role: 'agent' },
  };
}

export const TICKET_JSON =
  `{"ticket":{"id":${BIG_TICKET_ID},"url":"https://acme.zendesk.com/api/v2/tickets/1.json",` +
  `"subject":"Printer on fire","raw_subject":"${MARKERS.droppedField} raw","description":"${MARKERS.droppedField} in the description",` +
  `"status":"open","requester_id":501,"tags":["printer","vip"],` +
  `"via":{"channel":"email","source":{"from":{"address":"${MARKERS.droppedField}@example.com"}}},` +
  `"custom_fields":[{"id":360001234,"value":"gold"},{"id":360009999,"value":"${MARKERS.droppedField}"}]},` +
  `"users":[{"id":501,"name":"Ana Requester","email":"${MARKERS.droppedField}@example.com","phone":"+49 30 1234567"}]}`;

export const TICKET_FILTERED =
  `{"ticket":{"id":${BIG_TICKET_ID},"subject":"Printer on fire","status":"open",` +
  `"custom_fields":[{"id":360001234,"value":"gold"}]},"users":[{"id":501,"name":"Ana Requester"}]}`;

export const NOT_FOUND_JSON =
  `{"error":"RecordNotFound","description":"Not found",` +
  `"details":{"requester":"${MARKERS.errorBody}@example.com"}}`;

export const NOT_FOUND_FILTERED = '{"error":"RecordNotFound","description":"Not found"}';

/** The fake Zendesk REST API the parent proxies requests to. */
export const API_ROUTES = {
  '/api/v2/tickets/1.json': { status: 200, body: TICKET_JSON },
  '/api/v2/tickets/404.json': { status: 404, body: NOT_FOUND_JSON },
};
