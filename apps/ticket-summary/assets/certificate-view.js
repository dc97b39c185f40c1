// A deletion certificate as an admin keeps it: one plain sentence first (who asked, what
// was deleted, where, when), the verdict of the check made here and what it does and does
// not prove, then the files to keep (the certificate and the key set it was checked with,
// to download or copy), the link to checking it independently, and the details last.
import { button, element, facts } from './dom.js';
import { count, formatMoment, listInWords } from './format.js';
import { categoryWords } from './store-view.js';
import { VERIFY_INDEPENDENTLY } from './links.js';

// AWS regions by their city, for the sentence; other regions are named by their code only.
const REGION_CITY = {
  'eu-central-1': 'Frankfurt', 'eu-central-2': 'Zurich', 'eu-west-1': 'Ireland', 'eu-west-2': 'London',
  'eu-west-3': 'Paris', 'eu-north-1': 'Stockholm', 'eu-south-1': 'Milan', 'eu-south-2': 'Spain',
};

/** "1 agent, 2 Zendesk sign-ins and 1 declared policy": the categories that held something. */
export function deletedInWords(deleted) {
  const parts = Object.entries(deleted).filter(([, n]) => n > 0).map(([name, n]) => count(n, categoryWords(name)));
  return parts.length ? listInWords(parts) : 'nothing (it held no data for the account)';
}

/** The certificate's opening sentence. `byYou`: the admin reading it asked for it in this session. */
export function certificateSentence(certificate, { byYou = false } = {}) {
  const city = REGION_CITY[certificate.storage_region];
  const where = `${certificate.storage_region}${city ? `, ${city}` : ''}`;
  const why = certificate.trigger === 'customer_request'
    ? `at the request of an admin of the account${byYou ? ' (you)' : ''}`
    : 'because the account had not used the app for 30 days';
  return `On ${formatMoment(certificate.completed_at)}, the leastdata endpoint (${where}) deleted everything it stored for ` +
    `${certificate.subdomain}.zendesk.com ${why}: ${deletedInWords(certificate.deleted)}.`;
}

function download(label, fileName, text) {
  const link = element('a', 'c-btn c-btn--sm', label);
  link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  link.download = fileName;
  return link;
}

/**
 * @param {HTMLElement} container
 * @param {{ certificate: object, keys: object, verdict: { valid: boolean, reason?: string }, byYou?: boolean }} shown
 */
export function renderCertificate(container, { certificate, keys, verdict, byYou }) {
  container.replaceChildren();
  const heading = element('h2', 'card__title', `Your data was deleted on ${formatMoment(certificate.completed_at).split(' at ')[0]}`);
  heading.id = 'certificate-heading';
  heading.tabIndex = -1;
  container.append(heading, element('p', 'certificate__sentence', certificateSentence(certificate, { byYou })));

  const verdictLine = element('p', `verdict ${verdict.valid ? 'verdict--ok' : 'verdict--bad'}`, verdict.valid
    ? `Signature valid: checked in this browser against the endpoint's published key ${certificate.key_id}.`
    : `Not verified here: ${verdict.reason}. Keep the certificate; check it later, or send it to the endpoint's operator.`);
  verdictLine.id = 'certificate-verdict';
  container.append(verdictLine);
  const independent = element('p', 'muted small', 'That check shows the endpoint signed this and nothing changed since. To check it ' +
    'without trusting this app or the endpoint, keep both files and ');
  const link = element('a', '', 'verify them independently');
  link.href = VERIFY_INDEPENDENTLY;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  independent.append(link, ' (any Ed25519 library, or npx leastdata verify-certificate).');
  container.append(independent);

  const certificateText = JSON.stringify(certificate, null, 2);
  const raw = element('pre', 'certificate__json', certificateText);
  raw.tabIndex = 0; // scrollable: reachable by keyboard
  raw.setAttribute('aria-label', 'The signed certificate, as JSON');
  const copyStatus = element('p', 'form-status');
  copyStatus.setAttribute('aria-live', 'polite');
  const actions = element('div', 'actions');
  actions.append(
    download('Download certificate', `${certificate.certificate_id}.json`, certificateText),
    download('Download public keys', 'leastdata-keys.json', JSON.stringify(keys, null, 2)),
    button('Copy certificate', async () => {
      // The embedding page may not grant the app's frame the clipboard (Permissions Policy):
      // then the text is selected instead, so a keyboard shortcut copies it.
      const allowed = document.featurePolicy?.allowsFeature?.('clipboard-write') ?? true;
      try {
        if (!allowed) throw new Error('clipboard-write not allowed');
        await navigator.clipboard.writeText(certificateText);
        copyStatus.textContent = 'Copied.';
      } catch {
        raw.closest('details').open = true;
        getSelection().selectAllChildren(raw);
        copyStatus.textContent = 'The browser did not allow copying here: the certificate is selected below; press Ctrl+C (⌘C on a Mac).';
      }
    }, ''),
  );
  container.append(actions, copyStatus);

  const details = element('details', 'certificate__details');
  details.append(element('summary', '', 'Certificate details'));
  details.append(facts(element('dl', 'facts'), [
    ['Certificate', certificate.certificate_id],
    ['Requested', formatMoment(certificate.requested_at)],
    ['Completed', formatMoment(certificate.completed_at)],
    ['Issuer', certificate.issuer],
    ['Signing key', certificate.key_id],
    ['How', certificate.method],
  ]), raw);
  container.append(details);
  return heading;
}
