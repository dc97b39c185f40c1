// The admin's page (location nav_bar; docs/apps.md): the sidebar's settings, what the
// endpoint stores for the account, the access its copies declared and reported, and
// deletion with a signed certificate. Who may see it is the endpoint's word, which it has
// from Zendesk at sign-in; the role ZAF reports only spares an agent a pointless sign-in.
import { load } from './leastdata/browser.js';
import { $ } from './dom.js';
import { explain } from './messages.js';
import { Part } from './part.js';
import { ADMIN_APP_NAME, ADMIN_POLICY } from './admin-policy.js';
import { readDeletionRecord } from './deletion-record.js';
import { accessSharing } from './access-sharing.js';
import { wireSettings } from './settings-view.js';
import { renderStore } from './store-view.js';
import { renderAccessAdmin } from './access-admin-view.js';
import { renderCertificate } from './certificate-view.js';
import { verdictOf, wireDeletion } from './deletion-view.js';

const parts = {};
const showOnly = (id) => {
  for (const section of document.querySelectorAll('[data-view]')) section.hidden = section.dataset.view !== id;
};

// Everything behind the sign-in, loaded at once: one report feeds two parts, and the page
// declares its own policy meanwhile.
function loadAdminParts({ ld, ep }) {
  // One request for both parts; after a failure, the next Retry asks again.
  let pending;
  const fetchReport = () => (pending ??= ep.report().catch((error) => {
    pending = undefined;
    throw error;
  }));
  parts.store.run(async () => renderStore(await fetchReport()));
  parts.access.run(async () => renderAccessAdmin((await fetchReport()).access, ld.resources));
  accessSharing(ld, ep, { app: ADMIN_APP_NAME, policy: ADMIN_POLICY }).share().catch((error) => {
    $('own-declaration').textContent = `This page could not declare its own policy: ${explain(error, 'endpoint').text}`;
  });
}

async function main() {
  const client = ZAFClient.init();
  const [ld, metadata, context] = await Promise.all([load(), client.metadata(), client.context()]);
  const zaf = ld.zaf(client, ld.compile(ADMIN_POLICY));
  const settings = metadata.settings ?? {};
  const subdomain = context.account.subdomain;
  for (const [name, words] of Object.entries({
    gate: { loading: 'Waiting for Zendesk to confirm who you are…', failed: 'You are not signed in.', from: 'endpoint' },
    settings: { loading: 'Saving the settings in Zendesk…', failed: 'The settings were not saved.' },
    store: { loading: 'Asking the endpoint what it stores…', failed: 'What the endpoint stores could not be shown.', from: 'endpoint' },
    access: { loading: 'Asking the endpoint for declared and observed access…', failed: 'Access could not be shown.', from: 'endpoint' },
    delete: { loading: 'Deleting and checking the certificate…', failed: 'Nothing was deleted.', from: 'endpoint' },
  })) parts[name] = new Part($(`${name}-part`), words);

  const role = (await zaf.get('currentUser.role'))['currentUser.role'];
  const record = readDeletionRecord(settings);
  if (role !== 'admin') {
    showOnly('not-admin');
  } else if (record) {
    showOnly('deleted');
    renderCertificate($('certificate-body'), { ...record, verdict: verdictOf(ld, record.certificate, record.keys) });
    $('certificate').hidden = false;
  } else {
    showOnly('sign-in');
    const ep = ld.endpoint({ baseUrl: String(settings.endpoint_url ?? ''), zaf: client, secretSetting: 'shared_secret' });
    wireSettings({ zaf, installationId: metadata.installationId, settings, part: parts.settings });
    wireDeletion({
      ld, ep, zaf, installationId: metadata.installationId, subdomain, part: parts.delete,
      onDeleted: () => {
        for (const name of ['settings', 'store', 'access', 'delete']) $(`${name}-part`).hidden = true;
        $('after-deletion').hidden = false;
      },
    });
    $('sign-in').addEventListener('click', () => parts.gate.run(async () => {
      const agent = await ep.signIn();
      if (agent.role !== 'admin') {
        showOnly('not-admin');
        return;
      }
      $('sign-in').hidden = true;
      $('admin-content').hidden = false;
      for (const name of ['settings', 'delete']) parts[name].ready();
      loadAdminParts({ ld, ep });
      document.body.dataset.signedIn = 'true';
      return `Signed in as ${agent.email ?? agent.id}: Zendesk confirms you are an admin.`;
    }));
  }
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  const { text, next, code } = explain(error);
  $('page-problem').hidden = false;
  $('page-problem').textContent = `This page could not start. ${text} ${next} (Code: ${code})`;
  document.body.dataset.ready = 'failed';
});
