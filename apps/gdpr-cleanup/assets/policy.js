// The GDPR-cleanup app's two policies (DESIGN §2, §2.5): everything it may read from Zendesk,
// every request it may make and everything it may write — nothing else leaves the iframe.

export const JOB_KIND = 'gdpr_cleanup';

/**
 * Collecting: the search export of the requester's tickets, kept down to their IDs (and the
 * pagination envelope); the job stores nothing else at the endpoint.
 */
export const COLLECT_POLICY = {
  version: 1,
  name: 'gdpr-cleanup-collect',
  resources: { ticket: 'id' },
  select: 'error,description',
  requests: ['GET /api/v2/search/export.json?query&filter[type]&page[size]&page[after]'],
};

/**
 * Picking the requester (their name and email, shown to the admin and searched for in the
 * comments), reading each ticket's comments (only id and html_body: Zendesk's comment
 * metadata holds IP addresses and locations the app has no use for), and redacting them
 * with Zendesk's "Redact Ticket Comment In Agent Workspace", whose body is exactly
 * `ticket_id` and `html_body`.
 */
export const POLICY = {
  version: 1,
  name: 'gdpr-cleanup',
  resources: {
    user: 'id,name,email',
    comment: 'id,html_body',
  },
  select: 'error,description',
  requests: [
    'GET /api/v2/users/search.json?query',
    'GET /api/v2/users/{id}.json',
    'GET /api/v2/tickets/{id}/comments.json?page[size]&page[after]',
    'PUT /api/v2/comment_redactions/{id}',
  ],
  write: { select: 'ticket_id,html_body' },
  limits: { max_depth: 32, max_input_bytes: 16777216 },
};

/** The search export that finds every ticket the requester asked about: only IDs in the query. */
export function requesterTicketsUrl(userId) {
  const query = encodeURIComponent(`requester:${userId}`);
  return `/api/v2/search/export.json?query=${query}&filter[type]=ticket&page[size]=1000`;
}
