// The smallest app on leastdata: read the ticket through a policy, show two fields, and say
// how much of what Zendesk sent never reached the app. Copy this folder to start an app.
import { load } from './leastdata/browser.js';

// Everything the app may read and request; the rest is cut away in WebAssembly first.
const POLICY = {
  version: 1,
  resources: { ticket: 'id,subject,status' },
  requests: ['GET /api/v2/tickets/{id}.json'],
  zaf: ['ticket.id'],
};

const client = ZAFClient.init();
const ld = await load();
const zaf = ld.zaf(client, ld.compile(POLICY));
const show = (id, text) => { document.getElementById(id).textContent = text; };

try {
  const id = (await zaf.get('ticket.id'))['ticket.id'];
  const { ticket } = await zaf.request(`/api/v2/tickets/${id}.json`);
  show('subject', ticket.subject);
  show('status', `Status: ${ticket.status}`);
  const { bytes_in: sent, bytes_out: kept } = ld.accessReport();
  show('never-reached', `${Math.round((100 * (sent - kept)) / sent)} % of what Zendesk sent never reached this app.`);
} catch (error) {
  show('subject', `The ticket could not be read: ${error.message ?? error.statusText ?? error}`);
}
