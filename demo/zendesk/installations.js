// The app's installation in the simulated Zendesk, with the two routes of Zendesk's Apps API
// that the app uses: GET and PUT /api/v2/apps/installations/{id}.json. Its settings are the
// manifest's parameters: the non-secure ones reach the browser in the app's metadata (as in
// Zendesk) and are what an admin changes; secure ones are never answered nor changed here.
// A PUT changes only the settings its body names, as Zendesk's does ("Update App
// Installation", developer.zendesk.com/api-reference/ticketing/apps/apps/), and only for an
// admin: Zendesk answers an agent 403 Forbidden.

const FORBIDDEN = { error: 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' };

function json(status, value) {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/**
 * @param {{ id: number, appId: number, manifest: { parameters: object[] }, settings?: Record<string, unknown> }} options
 *   `settings` adds non-secure values set at install time (the endpoint URL)
 */
export function createInstallation({ id, appId, manifest, settings = {} }) {
  const open = manifest.parameters.filter((p) => !p.secure);
  const names = new Set(open.map((p) => p.name));
  const values = Object.fromEntries(open.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]));
  Object.assign(values, settings);
  const record = () => ({ id, app_id: appId, enabled: true, settings: { ...values }, updated_at: new Date().toISOString() });

  return {
    id,
    /** The settings every copy of the app gets in its metadata. */
    settings: () => ({ ...values }),

    /**
     * Answers /api/v2/apps/installations/… for the signed-in `user`, or undefined for other paths.
     * @param {string} method @param {URL} url @param {string | undefined} body @param {{ role: string } | undefined} user
     */
    handle(method, url, body, user) {
      const match = /^\/api\/v2\/apps\/installations\/(\d+)\.json$/.exec(url.pathname);
      if (!match) return undefined;
      if (Number(match[1]) !== id) return json(404, { error: 'RecordNotFound', description: 'Not found' });
      if (method === 'GET') return json(200, record());
      if (method !== 'PUT') return json(405, { error: 'MethodNotAllowed', description: 'GET or PUT' });
      if (user?.role !== 'admin') return json(403, FORBIDDEN);
      let update;
      try {
        update = JSON.parse(body ?? '');
      } catch {
        return json(400, { error: 'InvalidValue', description: 'the body must be JSON' });
      }
      const changes = update?.settings;
      if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
        return json(400, { error: 'InvalidValue', description: 'settings must be an object' });
      }
      const unknown = Object.keys(changes).filter((name) => !names.has(name));
      if (unknown.length) return json(400, { error: 'InvalidValue', description: `unknown settings: ${unknown.join(', ')}` });
      Object.assign(values, changes);
      return json(200, record());
    },
  };
}
