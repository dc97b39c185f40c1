// Deleting everything the endpoint stores for the account: the admin types the subdomain,
// then confirms a second time that it cannot be undone; the endpoint deletes and signs a
// certificate, which is verified here (Ed25519 over JCS, in wasm) and kept in the
// installation's settings (deletion-record.js), so the page still shows it after a reload.
import { $ } from './dom.js';
import { Part } from './part.js';
import { renderCertificate } from './certificate-view.js';
import { deletionRecordText } from './deletion-record.js';
import { saveInstallationSettings } from './installation.js';

/** Verifies in wasm; a failure is a verdict to show, not an error to throw. */
export function verdictOf(ld, certificate, keys) {
  if (!keys?.keys?.length) return { valid: false, reason: 'the endpoint\'s public keys could not be fetched' };
  try {
    return { valid: ld.verifyCertificate(certificate, keys).valid === true };
  } catch (error) {
    return { valid: false, reason: error.message };
  }
}

/**
 * @param {{ ld: any, ep: any, zaf: any, installationId: number, subdomain: string, part: Part, onDeleted(): void }} options
 */
export function wireDeletion({ ld, ep, zaf, installationId, subdomain, part, onDeleted }) {
  const input = $('delete-confirm');
  const confirmation = $('delete-confirmation');
  $('delete-label').textContent = `Type ${subdomain} to confirm`;
  const matches = () => input.value.trim() === subdomain;
  input.addEventListener('input', () => {
    $('delete-button').disabled = !matches();
  });
  const cancel = () => {
    confirmation.hidden = true;
    $('delete-button').focus();
  };
  // Always handled here: the page's CSP (form-action 'none') would block a real submission.
  $('delete-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!matches()) return;
    confirmation.hidden = false;
    $('confirm-heading').focus();
  });
  $('delete-cancel').addEventListener('click', cancel);
  confirmation.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancel();
  });

  const recordPart = new Part($('record-part'), {
    loading: 'Keeping the certificate in the app\'s settings…',
    failed: 'The certificate could not be kept in the app\'s settings, so this page will not show it after a reload: download it now.',
  });
  $('delete-now').addEventListener('click', () => {
    confirmation.hidden = true;
    part.run(async () => {
      const certificate = await ep.requestDeletion(subdomain);
      // The deletion is done from here on: whatever fails next must not say otherwise.
      onDeleted();
      const keys = await ep.keys().catch(() => ({ keys: [] }));
      const section = $('certificate');
      section.hidden = false;
      renderCertificate($('certificate-body'), { certificate, keys, verdict: verdictOf(ld, certificate, keys), byYou: true }).focus();
      recordPart.run(async () => {
        await saveInstallationSettings(zaf, installationId, { deletion_record: deletionRecordText(certificate, keys) });
        return 'Kept in the app\'s settings: this page shows it after a reload too.';
      });
      return 'Deleted.';
    });
  });
}
