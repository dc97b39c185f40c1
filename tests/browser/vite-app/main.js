// A tiny app built by Vite (tests/browser/vite.test.js): the package is imported by its
// name, so Vite resolves it through package.json `exports` and emits leastdata.wasm as an
// asset from browser.js's new URL('./leastdata.wasm', import.meta.url).
import { load } from 'leastdata';

const status = document.getElementById('status');
const payload =
  '{"tickets":[{"id":12345678901234567890,"subject":"Printer on fire","description":"secret",' +
  '"custom_fields":[{"id":360001234,"value":"gold"},{"id":360009999,"value":"internal"}]}],"next_page":null}';

async function main() {
  const ld = await load();
  const policy = ld.compile({ version: 1, resources: { ticket: 'id,subject,custom_fields[id=360001234](value)' } });
  document.getElementById('output').textContent = policy.filter(payload);
  policy.dispose();
  ld.dispose();
  status.textContent = 'ok';
}

main().catch((error) => {
  status.dataset.code = error.code ?? '';
  status.dataset.message = error.message;
  status.textContent = 'error';
});
