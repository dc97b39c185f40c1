// The sidebar app of the ZAF browser test: the real ZAF SDK (global ZAFClient) and the
// leastdata package from dist/, used only through its public API. It reads the ticket
// through ld.zaf(), shows what it got, and leaves a record for the test in
// window.appResults (window.appDone when finished, window.appErrors for failures).
import { load } from '/dist/browser.js';
import { MARKERS, POLICY } from './fixtures.js';

window.appErrors = [];
window.addEventListener('error', (event) => window.appErrors.push(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => window.appErrors.push(`unhandled: ${event.reason}`));
// The page is served under a strict CSP (see zaf.test.js): nothing may need more.
document.addEventListener('securitypolicyviolation', (event) =>
  window.appErrors.push(`csp: ${event.violatedDirective} ${event.blockedURI}`),
);

// A settled promise as plain data (errors lose their prototype crossing frame.evaluate).
async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const described = { name: error?.name, code: error?.code, message: error?.message };
    if (error !== null && typeof error === 'object' && !(error instanceof Error)) {
      described.members = Object.keys(error);
      described.status = error.status;
      described.statusText = error.statusText;
      described.headers = error.headers;
      described.responseText = error.responseText;
    }
    return { ok: false, error: described };
  }
}

function show(id, text) {
  document.getElementById(id).textContent = text;
}

function addTerm(term, value) {
  const dl = document.getElementById('summary');
  const dt = document.createElement('dt');
  const dd = document.createElement('dd');
  dt.textContent = term;
  dd.textContent = typeof value === 'string' ? value : JSON.stringify(value);
  dl.append(dt, dd);
}

async function main() {
  const client = ZAFClient.init();
  const context = await client.context();
  const ld = await load();
  const policy = ld.compile(POLICY);
  const zaf = ld.zaf(client, policy);
  const results = { location: context.location };

  results.subject = await settle(zaf.get('ticket.subject'));
  results.fields = await settle(
    zaf.get(['ticket.id', 'ticket.requester.name', 'ticket.customField:custom_field_360001234', 'ticket.tags']),
  );
  results.requester = await settle(zaf.get('ticket.requester'));
  results.refused = await settle(zaf.get(['ticket.subject', 'currentUser.email']));
  results.afterRefused = await settle(zaf.get('currentUser.name'));

  // dataType 'json' is what most apps pass; the adapter asks ZAF for text regardless.
  results.ticket = await settle(zaf.request({ url: '/api/v2/tickets/1.json', type: 'GET', dataType: 'json' }));
  results.ticketText = await settle(zaf.request({ url: '/api/v2/tickets/1.json', leastdata: { as: 'text' } }));
  results.notFound = await settle(zaf.request('/api/v2/tickets/404.json'));
  // Requests the policy does not allow: refused before anything reaches the parent.
  results.refusedRequest = await settle(zaf.request({ url: '/api/v2/users/7.json' }));
  results.refusedWrite = await settle(zaf.request({
    url: '/api/v2/tickets/1.json',
    type: 'PUT',
    contentType: 'application/json',
    data: JSON.stringify({ ticket: { status: 'solved', description: MARKERS.refusedWrite } }),
  }));
  results.report = ld.accessReport();

  // Zendesk's side of a request (after the report, which counts the calls above): a 429
  // is retried by the parent after Retry-After unless autoRetry is false; `timeout` fails
  // an attempt that takes longer. The limited route allows one request per second.
  results.limitedFirst = await settle(zaf.request('/api/v2/limited/tickets/1.json'));
  results.limitedRetried = await settle(zaf.request('/api/v2/limited/tickets/1.json'));
  results.limitedNoRetry = await settle(zaf.request({ url: '/api/v2/limited/tickets/1.json', autoRetry: false }));
  results.timedOut = await settle(zaf.request({ url: '/api/v2/slow/tickets/1.json', timeout: 300 }));

  // The SDK keeps the handlers of every request it made; the adapter removes its requests'.
  // A request made with the client itself shows that the SDK does keep them.
  const requestHandlers = () => Object.keys(client._messageHandlers).filter((key) => key.startsWith('request:'));
  results.handlersAfterAdapter = requestHandlers();
  await settle(client.request({ url: '/api/v2/tickets/1.json', dataType: 'text' }));
  results.handlersAfterClient = requestHandlers();

  const fields = results.fields.value;
  addTerm('Subject', results.subject.value['ticket.subject']);
  addTerm('Requester', fields['ticket.requester.name']);
  addTerm('Plan', fields['ticket.customField:custom_field_360001234']);
  addTerm('Tags', fields['ticket.tags'].join(', '));
  addTerm('Requester object', results.requester.value['ticket.requester']);
  addTerm('Ticket ID (API)', results.ticket.value.ticket.id);
  addTerm('Missing ticket', `${results.notFound.error.status} ${results.notFound.error.responseText}`);
  show('ticket', results.ticketText.value);
  show('report', JSON.stringify(results.report, null, 2));
  show('status', 'Done');
  window.appResults = results;
}

main()
  .catch((error) => {
    window.appErrors.push(`main: ${error?.code ?? ''} ${error?.message ?? error}`);
    show('status', 'Failed');
  })
  .finally(() => {
    window.appDone = true;
  });
