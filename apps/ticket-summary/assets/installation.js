// The installation's settings, which Zendesk hands every copy of the app in its metadata:
// the admin page writes them through Zendesk's Apps API (PUT /api/v2/apps/installations/{id},
// which Zendesk allows to admins only), as every Zendesk app stores its configuration. Only
// the settings named in the body change; the secure shared secret is never sent nor touched.
// Zendesk caches metadata per app page: other copies see a change from their next load.

/**
 * @param {{ request: Function }} zaf the admin policy's ZAF adapter (checks the body against `write`)
 * @param {number} installationId client.metadata().installationId
 * @param {Record<string, unknown>} settings the settings to change
 * @returns {Promise<Record<string, unknown>>} the settings as Zendesk saved them
 */
export async function saveInstallationSettings(zaf, installationId, settings) {
  const saved = await zaf.request({
    url: `/api/v2/apps/installations/${installationId}.json`,
    type: 'PUT',
    contentType: 'application/json',
    data: JSON.stringify({ settings }),
  });
  return saved?.settings ?? {};
}
