// What the sidebar reads from Zendesk, and nothing else: the ticket's id through ZAF, then
// the ticket (with its requester and organization), its comments and the requester's other
// tickets through the REST API, each filtered by the policy before this code sees it. The
// admin's settings can leave the last two out; then they are not even asked for.

/**
 * @param {ReturnType<import('./leastdata/browser.js').LeastData['zaf']>} zaf the policy's ZAF adapter
 * @param {{ conversation: boolean, relatedTickets: boolean }} options from the installation's settings
 */
export async function readTicket(zaf, options) {
  const id = (await zaf.get('ticket.id'))['ticket.id'];
  const [{ ticket, users = [], organizations = [] }, comments] = await Promise.all([
    zaf.request({ url: `/api/v2/tickets/${id}.json?include=users,organizations`, type: 'GET' }),
    options.conversation ? zaf.request({ url: `/api/v2/tickets/${id}/comments.json?page[size]=100`, type: 'GET' }) : null,
  ]);
  const related = options.relatedTickets
    ? await zaf.request({
      url: `/api/v2/search.json?query=${encodeURIComponent(`type:ticket requester:${ticket.requester_id}`)}&per_page=5`,
      type: 'GET',
    })
    : null;
  return {
    ticket,
    requester: users.find((user) => user.id === ticket.requester_id),
    organization: organizations.find((org) => org.id === ticket.organization_id),
    comments: comments?.comments ?? null,
    related: related ? related.results.filter((result) => result.id !== ticket.id) : null,
  };
}

/** The installation's settings as the sidebar uses them (checkboxes default to on). */
export function sidebarOptions(settings = {}) {
  const on = (value) => value !== false && value !== 'false';
  return { conversation: on(settings.show_conversation), relatedTickets: on(settings.show_related_tickets) };
}
