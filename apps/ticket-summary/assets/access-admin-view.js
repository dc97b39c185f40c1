// The admin's view of access (GET /v1/report, section `access`; docs/endpoint.md "Access
// transparency"): per app, what its copies declared they may read — a table of fields per
// resource, the requests, the ZAF paths, what it may write and mask — beside what its copies
// reported they read in the last 30 days, and a warning for reports under an undeclared policy.
import { $, element } from './dom.js';
import { count, formatBytes, formatDay, listInWords, percent } from './format.js';
import { readableDeclaration } from './declaration.js';

const shortHash = (hash) => `${hash.slice(0, 'sha256:'.length + 12)}…`;

function line(label, text) {
  const p = element('p', 'report__line');
  p.append(element('strong', '', `${label}: `), element('span', '', text));
  return p;
}

function declarationBlock(entry, resources) {
  const d = readableDeclaration(entry.declaration, resources);
  const block = element('div', 'declaration');
  block.append(element('p', 'muted small', `Policy ${shortHash(entry.policy_hash)}, declared ${formatDay(entry.first_declared)}` +
    `${entry.last_declared !== entry.first_declared ? `, last ${formatDay(entry.last_declared)}` : ''}.`));
  const table = element('table', 'fields-table');
  table.append(element('caption', 'visually-hidden', `Fields ${entry.app} may read, by resource`));
  const head = element('tr');
  head.append(element('th', '', 'Resource'), element('th', '', 'Fields it may read'));
  for (const cell of head.children) cell.scope = 'col';
  const thead = element('thead');
  thead.append(head);
  const body = element('tbody');
  table.append(thead, body);
  for (const [resource, fields] of d.rows) {
    const row = element('tr');
    const th = element('th', '', resource);
    th.scope = 'row';
    row.append(th, element('td', '', listInWords(fields)));
    body.append(row);
  }
  if (d.rows.length === 0) {
    const row = element('tr');
    row.append(element('td', '', 'No Zendesk records'));
    body.append(row);
  }
  block.append(table);
  if (d.other.length) block.append(line('Also kept from answers', listInWords(d.other)));
  block.append(line('API requests it may make', d.requests.length ? d.requests.join('; ') : 'none'));
  block.append(line('Read through Zendesk\'s app framework', d.zaf.length ? listInWords(d.zaf) : 'nothing'));
  block.append(line('It may write', d.write ?? 'nothing'));
  if (d.masked.length) block.append(line('Masked before the app sees it', d.masked.join('; ')));
  return block;
}

function observedBlock(app) {
  const block = element('div', 'observed');
  const o = app.observed;
  if (!o || o.reports === 0) {
    block.append(element('p', 'muted', 'No copy of this app reported what it read in the last 30 days.'));
    return block;
  }
  block.append(element('p', '', `${count(o.reports, ['report', 'reports'])} on ${count(app.days_observed, ['day', 'days'])}: ` +
    `${count(o.calls, ['answer', 'answers'])} from Zendesk, ${percent(o.bytes_in - o.bytes_out, o.bytes_in)} % of it ` +
    `(${formatBytes(o.bytes_in - o.bytes_out)}) never reached the app; ${count(o.fields_kept, ['value', 'values'])} did, ` +
    `${count(o.fields_dropped, ['field was', 'fields were'])} dropped.`));
  const paths = Object.entries(o.kept_paths ?? {}).sort((a, b) => b[1] - a[1]);
  if (paths.length) {
    const details = element('details', 'paths');
    details.append(element('summary', '', `Fields that reached the app (${paths.length})`));
    const list = element('ul', 'paths__list');
    for (const [path, n] of paths) {
      const item = element('li');
      item.append(element('code', '', path), ` ${n.toLocaleString('en')}×`);
      list.append(item);
    }
    details.append(list);
    block.append(details);
  }
  const refused = [...Object.keys(o.refused_requests ?? {}), ...Object.keys(o.zaf_refused ?? {})];
  block.append(line('Refused before leaving the page', refused.length ? refused.join('; ') : 'nothing'));
  if (app.undeclared_policy_hashes?.length) {
    const warning = element('p', 'warning', `Reports came under ${count(app.undeclared_policy_hashes.length, ['a policy', 'policies'])} ` +
      `no copy declared (${app.undeclared_policy_hashes.map(shortHash).join(', ')}): a copy of the app may have been changed.`);
    block.append(warning);
  }
  return block;
}

export function renderAccessAdmin(access, resources) {
  const container = $('access-admin');
  container.replaceChildren();
  if (!access) {
    container.append(element('p', 'muted', 'This endpoint does not report declared and observed access.'));
    return;
  }
  if (!access.apps?.length) {
    container.append(element('p', 'muted', 'No copy of any app declared its policy or reported its access in the last 30 days.'));
    return;
  }
  for (const app of access.apps) {
    const section = element('section', 'access-app');
    section.append(element('h3', 'card__subtitle', app.app));
    section.append(element('h4', 'minor-heading', 'Declared access'));
    const declared = (access.declared ?? []).filter((entry) => entry.app === app.app);
    if (declared.length) for (const entry of declared) section.append(declarationBlock(entry, resources));
    else section.append(element('p', 'muted', 'No policy declared in the last 30 days.'));
    section.append(element('h4', 'minor-heading', 'Observed access, last 30 days'));
    section.append(observedBlock(app));
    container.append(section);
  }
}
