// The part of Zendesk's search syntax the demo understands (support.zendesk.com/hc/en-us/articles/203663226,
// "Zendesk Support search reference"): `property:value` terms for type, status, requester
// (a user id or email address) and organization, and plain words matched against subjects
// and names. Shared by the search and search export routes.

const PROPERTIES = new Set(['type', 'status', 'requester', 'organization']);

/** @returns {{ filters: Record<string, string>, words: string[] }} */
export function parseSearchQuery(query) {
  const filters = {};
  const words = [];
  for (const term of query.trim().split(/\s+/).filter(Boolean)) {
    const match = /^([a-z_]+):(.+)$/.exec(term);
    if (match && PROPERTIES.has(match[1])) filters[match[1]] = match[2].toLowerCase();
    else words.push(term.toLowerCase());
  }
  return { filters, words };
}

/**
 * True when a record matches: `record` is a REST record with `result_type`, `requesterEmail`
 * looks up the email of a requester id (for `requester:jane@example.com`).
 */
export function matchesSearch(record, { filters, words }, requesterEmail) {
  if (filters.type && record.result_type !== filters.type) return false;
  if (filters.status && record.status !== filters.status) return false;
  if (filters.requester) {
    const wanted = filters.requester;
    const id = record.requester_id;
    if (id === undefined || (String(id) !== wanted && requesterEmail(id)?.toLowerCase() !== wanted)) return false;
  }
  if (filters.organization && String(record.organization_id) !== filters.organization) return false;
  const text = `${record.subject ?? ''} ${record.name ?? ''} ${record.email ?? ''}`.toLowerCase();
  return words.every((word) => text.includes(word));
}
