// The sidebar's offer to share this session's access counts with the account's admins.
// Optional: the sidebar does its work without the endpoint. Sharing needs a signed-in user
// (the endpoint learns who from Zendesk, in a popup), so it starts from a click.
import { $, element } from './dom.js';
import { count, formatDay } from './format.js';
import { Part } from './part.js';
import { accessSharing } from './access-sharing.js';
import { readDeletionRecord } from './deletion-record.js';

/**
 * @param {{ ld: any, client: any, settings: Record<string, unknown>, app: string, policy: object }} options
 * @returns {{ reportChanged(): void }} call after the app read more, to share that too
 */
export function wireSharing({ ld, client, settings, app, policy }) {
  const part = new Part($('share-part'), { loading: 'Waiting for Zendesk and the endpoint…', failed: 'Nothing was shared.', from: 'endpoint' });
  const record = readDeletionRecord(settings);
  if (record) {
    part.ready(`Your admin deleted this app's data at the endpoint on ${formatDay(record.certificate.completed_at)}; nothing is shared any more.`);
    $('share-offer').hidden = true;
    return { reportChanged() {} };
  }
  let ep;
  let sharing;
  const shareNow = async () => {
    const { delta } = await sharing.share();
    const who = ep.agent ? ` Signed in as ${ep.agent.email ?? ep.agent.id} (${ep.agent.role}).` : '';
    $('share-offer').hidden = true;
    return `Shared with your admins: ${count(delta.calls, ['answer', 'answers'])}, ${count(delta.fields_kept, ['value', 'values'])} kept, ${count(delta.fields_dropped, ['field', 'fields'])} dropped.${who}`;
  };
  $('share').addEventListener('click', () => part.run(async () => {
    ep ??= ld.endpoint({ baseUrl: String(settings.endpoint_url ?? ''), zaf: client, secretSetting: 'shared_secret' });
    // signIn opens its popup before its first await, while the click still allows it.
    if (!ep.signedIn) await ep.signIn();
    sharing ??= accessSharing(ld, ep, { app, policy });
    return shareNow();
  }));
  return {
    reportChanged() {
      if (sharing && ep.signedIn) part.run(shareNow);
    },
  };
}
