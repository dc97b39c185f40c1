// The ticket sidebar, for every agent: the ticket, read through the app's policy; one line
// of what never reached the app, with the access report one click away; and, if the agent
// wants, this session's access counts shared with the account's admins. Settings, what the
// endpoint stores and deletion are the admin's page (admin.js), not every agent's.
// Nothing is written to any browser storage.
import { load } from './leastdata/browser.js';
import { $ } from './dom.js';
import { explain } from './messages.js';
import { Part } from './part.js';
import { APP_NAME, POLICY } from './policy.js';
import { readTicket, sidebarOptions } from './ticket-data.js';
import { renderTicket } from './ticket-view.js';
import { renderAccess, wireAccessToggle } from './access-view.js';
import { wireSharing } from './share-view.js';

async function main() {
  const client = ZAFClient.init();
  const [ld, metadata] = await Promise.all([load(), client.metadata()]);
  const zaf = ld.zaf(client, ld.compile(POLICY));
  const settings = metadata.settings ?? {};
  const ticketPart = new Part($('ticket-part'), { loading: 'Reading the ticket through the app\'s policy…', failed: 'The ticket could not be read.' });
  const accessPart = new Part($('access-part'), { loading: 'Counting what reached the app…', failed: 'The access report could not be shown.' });
  wireAccessToggle();
  const sharing = wireSharing({ ld, client, settings, app: APP_NAME, policy: POLICY });

  // The access report is the session's, true whether the ticket loaded or not: it follows
  // every attempt, a Retry included.
  const readAndCount = async () => {
    try {
      renderTicket(await readTicket(zaf, sidebarOptions(settings)));
    } finally {
      await accessPart.run(async () => renderAccess(ld.accessReport(), POLICY));
      sharing.reportChanged();
    }
  };
  accessPart.loading();
  await ticketPart.run(readAndCount);
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  // Only the start itself lands here (the wasm, the SDK): each part handles its own failures.
  const { text, next, code } = explain(error);
  $('page-problem').hidden = false;
  $('page-problem').textContent = `The app could not start. ${text} ${next} (Code: ${code})`;
  document.body.dataset.ready = 'failed';
});
