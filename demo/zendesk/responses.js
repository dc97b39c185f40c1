// The response shapes of the demo's simulated Zendesk API: { status, headers, body } with the
// body as text, JSON as Zendesk sends it, and its error objects ({ error, description }).

/** A JSON response. */
export function json(status, value) {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** Zendesk's answer for a record that does not exist. */
export function notFound() {
  return json(404, { error: 'RecordNotFound', description: 'Not found' });
}

/** A 400 with Zendesk's error shape. */
export function badRequest(error, description) {
  return json(400, { error, description });
}
