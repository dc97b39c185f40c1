// The admin page's policy: it reads nothing of Zendesk's records. Through ZAF it asks for
// the user's role, only to tell an agent at once that the page is for admins (the authority
// is the endpoint's, which asks Zendesk); through the API it writes the installation's own
// settings (Zendesk's Apps API, admins only) and reads back only those settings.

export const ADMIN_APP_NAME = 'ticket-summary-admin';

/** The installation settings the admin page may write (manifest.json parameters). */
export const WRITABLE_SETTINGS = ['show_related_tickets', 'show_conversation', 'deletion_record'];

export const ADMIN_POLICY = {
  version: 1,
  name: 'ticket-summary-admin',
  select: `settings(${WRITABLE_SETTINGS.join(',')}),error,description`,
  requests: ['PUT /api/v2/apps/installations/{id}.json'],
  write: { select: `settings(${WRITABLE_SETTINGS.join(',')})` },
  zaf: ['currentUser.role'],
};
