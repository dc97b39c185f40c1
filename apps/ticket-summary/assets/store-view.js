// What the endpoint stores for this account (GET /v1/report, docs/endpoint.md "Report"):
// the categories that hold something, each with what it is, whether it is encrypted and how
// long it is kept, and in one line the categories that hold nothing.
import { $, element, facts } from './dom.js';
import { count, formatDay, listInWords } from './format.js';

// The endpoint's categories in words: [singular, plural, what it is].
export const CATEGORY_WORDS = {
  agents: ['agent', 'agents'],
  tokens: ['agent token', 'agent tokens'],
  shared_tokens: ['shared token', 'shared tokens'],
  settings: ['app settings document', 'app settings documents'],
  stats: ['usage counter', 'usage counters'],
  stats_rows: ['usage statistics row', 'usage statistics rows'],
  jobs: ['job', 'jobs'],
  sessions: ['Zendesk sign-in', 'Zendesk sign-ins'],
  declared_policies: ['declared policy', 'declared policies'],
  access_days: ['day of access records', 'days of access records'],
};
export const categoryWords = (name) => CATEGORY_WORDS[name] ?? [name.replace(/_/g, ' '), name.replace(/_/g, ' ')];

function category(name, value) {
  const item = element('li', 'store__item');
  const head = element('p', 'store__head');
  head.append(element('strong', '', count(value.count, categoryWords(name))));
  item.append(head, element('p', 'store__what', value.stored));
  // Which parts are sealed, in the endpoint's own words: a category is not "encrypted" when
  // only its values are (agents: the email, not the Zendesk user id).
  const sealed = value.encrypted ?? [];
  item.append(element('p', 'store__sealed', sealed.length
    ? `Encrypted: ${listInWords(sealed.map((field) => field.replace(/_/g, ' ')))}; the rest is stored as it is.`
    : 'Stored as it is: names and numbers, no personal data.'));
  const until = (value.items ?? []).map((entry) => entry.retained_until).filter(Boolean).sort()[0];
  item.append(element('p', 'store__retention', until ? `First deletion due ${formatDay(until)}.` : 'Kept while the account uses the app.'));
  return item;
}

export function renderStore(report) {
  facts($('store-facts'), [
    ['Account', `${report.subdomain}.zendesk.com`],
    ['Stored in', report.storage_region],
    ['Status', report.tenant?.status],
    ['Deleted automatically', report.tenant?.deletion_due_at ? formatDay(report.tenant.deletion_due_at) : '30 days after the app is uninstalled'],
  ]);
  const entries = Object.entries(report.categories ?? {});
  const list = $('store-list');
  list.replaceChildren(...entries.filter(([, value]) => value.count > 0).map(([name, value]) => category(name, value)));
  const empty = entries.filter(([, value]) => value.count === 0).map(([name]) => categoryWords(name)[1]);
  $('store-empty').textContent = empty.length ? `Nothing stored as ${listInWords(empty)}.` : '';
  $('store-generated').textContent = `As the endpoint reported it on ${formatDay(report.generated_at)}.`;
}
