// The strict-CSP page's app: the package's browser entry imported as is, loaded from
// /dist/ (the .wasm located next to it), one policy, one filtered payload into the DOM.
import { load } from '/dist/browser.js';

const status = document.getElementById('status');
const payload =
  '{"ticket":{"id":12345678901234567890,"subject":"Printer on fire","description":"secret","requester_id":7}}';

try {
  const ld = await load();
  const policy = ld.compile({ version: 1, resources: { ticket: 'id,subject' } });
  const { output, ledger } = policy.filterWithLedger(payload);
  document.getElementById('output').textContent = output;
  status.dataset.fieldsKept = String(ledger.fields_kept);
  policy.dispose();
  ld.dispose();
  status.textContent = 'ok';
} catch (error) {
  status.dataset.code = error.code ?? '';
  status.dataset.message = error.message;
  status.textContent = 'error';
}
