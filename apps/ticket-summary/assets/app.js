// The ticket sidebar app, built on leastdata's public API only. It reads the ticket
// through ld.zaf() (ZAF get for the fields it lists, REST requests filtered by its policy,
// the description masked by the policy's redaction rules), shows the session's access
// report, keeps its settings and a usage counter on the leastdata endpoint (through the
// ZAF proxy, which signs the JWT with the secure setting), shows the endpoint's report of
// what it stores, and deletes everything on request, verifying the signed certificate here.
// Nothing is written to any browser storage.
import { load } from './leastdata/browser.js';
import { APP_NAME, FIELD_TITLES, POLICY } from './policy.js';
import { accessChart } from './chart.js';

const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function facts(list, entries) {
  list.replaceChildren();
  for (const [term, value] of entries) list.append(element('dt', '', term), element('dd', '', value ?? '–'));
}

function setStatus(text) {
  $('status').textContent = text;
}

function describe(error) {
  const code = error?.code ? ` (${error.code})` : '';
  return `${error?.message ?? String(error)}${code}`;
}

function showError(card, error) {
  const message = element('p', 'error', `Could not load: ${describe(error)}`);
  message.setAttribute('role', 'alert');
  card.append(message);
}

function done(card) {
  card.setAttribute('aria-busy', 'false');
}

const formatBytes = (n) => (n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);
const formatDate = (text) => (text ? new Date(text).toUTCString().replace(/:\d\d GMT$/, ' UTC') : 'while the account is active');

// ---- ticket ---------------------------------------------------------------------------------

async function readTicket(zaf) {
  const fields = await zaf.get([
    'ticket.id', 'ticket.subject', 'ticket.status', 'ticket.priority',
    'ticket.requester.name', 'ticket.customField:custom_field_360001234',
  ]);
  const id = fields['ticket.id'];
  // The REST API answers with the whole ticket, its users and organization; the policy
  // keeps a handful of fields and masks the description before it reaches this code.
  const [{ ticket, users = [], organizations = [] }, comments] = await Promise.all([
    zaf.request({ url: `/api/v2/tickets/${id}.json?include=users,organizations`, type: 'GET' }),
    zaf.request({ url: `/api/v2/tickets/${id}/comments.json?page[size]=100`, type: 'GET' }),
  ]);
  const history = await zaf.request({
    url: `/api/v2/search.json?query=${encodeURIComponent(`type:ticket requester:${ticket.requester_id}`)}&per_page=5`,
    type: 'GET',
  });
  // A path outside the policy's zaf list is refused before anything is sent to Zendesk;
  // the refusal shows up in the access report.
  const refused = await zaf.get('ticket.requester.email').then(() => null, (error) => error.code);
  return { fields, ticket, users, organizations, comments: comments.comments, history, refused };
}

function renderTicket(data) {
  const { fields, ticket, users, organizations, comments, history } = data;
  const organization = organizations.find((org) => org.id === ticket.organization_id);
  const publicCount = comments.filter((comment) => comment.public).length;
  const customFields = ticket.custom_fields
    .filter((field) => FIELD_TITLES[field.id])
    .map((field) => [FIELD_TITLES[field.id], field.value]);
  const requester = users.find((user) => user.id === ticket.requester_id);
  facts($('summary'), [
    ['Ticket', `#${fields['ticket.id']} · ${fields['ticket.status']} · ${fields['ticket.priority']}`],
    ['Subject', fields['ticket.subject']],
    ['Requester', fields['ticket.requester.name'] ?? requester?.name],
    ['Organization', organization?.name],
    ...customFields,
    ['Tags', ticket.tags.join(', ')],
    ['Conversation', `${comments.length} comments (${publicCount} public, ${comments.length - publicCount} internal)`],
  ]);
  $('description').textContent = ticket.description;
  const list = $('history');
  list.replaceChildren();
  const others = history.results.filter((result) => result.id !== ticket.id);
  for (const result of others.slice(0, 4)) {
    const item = element('li');
    item.append(element('span', 'history__id', `#${result.id}`), element('span', 'history__subject', result.subject),
      element('span', `c-tag c-tag--sm status status--${result.status}`, result.status));
    list.append(item);
  }
  if (others.length === 0) list.append(element('li', 'muted', 'None'));
  for (const id of ['summary', 'description-heading', 'description', 'history-heading', 'history']) $(id).hidden = false;
  document.querySelector('#summary-card [data-state="loading"]').remove();
}

// ---- access report ----------------------------------------------------------------------------

const RESOURCE_OF = (path) => {
  const head = path.split(/[.[]/)[0];
  return { ticket: 'ticket', tickets: 'ticket', results: 'search results', users: 'user', user: 'user',
    organizations: 'organization', organization: 'organization', comments: 'comment' }[head] ?? 'envelope';
};

function renderAccess(report) {
  $('access-chart').replaceChildren(accessChart(report));
  facts($('access-totals'), [
    ['API responses filtered', report.calls],
    ['Bytes received → kept', `${formatBytes(report.bytes_in)} → ${formatBytes(report.bytes_out)} ` +
      `(${Math.round((100 * report.bytes_out) / Math.max(report.bytes_in, 1))} %)`],
    ['Fields kept / dropped', `${report.fields_kept} / ${report.fields_dropped}`],
    ['ZAF fields read', Object.keys(report.zaf.read).length],
  ]);
  const groups = new Map();
  for (const [path, count] of Object.entries(report.kept_paths)) {
    const resource = RESOURCE_OF(path);
    if (!groups.has(resource)) groups.set(resource, []);
    groups.get(resource).push([path, count]);
  }
  const container = $('access-paths');
  container.replaceChildren();
  for (const [resource, paths] of groups) {
    container.append(element('h3', 'paths__resource', resource));
    const table = element('table', 'paths__table');
    table.append(element('caption', 'visually-hidden', `Fields kept from ${resource} responses`));
    const head = element('tr');
    head.append(element('th', '', 'Field'), element('th', 'num', 'Values'));
    const thead = element('thead');
    thead.append(head);
    table.append(thead);
    const body = element('tbody');
    for (const [path, count] of paths) {
      const row = element('tr');
      row.append(element('td', 'path', path), element('td', 'num', count));
      body.append(row);
    }
    table.append(body);
    container.append(table);
  }
  const refused = Object.keys(report.zaf.refused);
  $('access-refused').textContent = refused.length
    ? `Refused by the policy before reaching Zendesk: ${refused.join(', ')}`
    : '';
}

// ---- endpoint: settings, stats, report, deletion -------------------------------------------

const DEFAULT_SETTINGS = { greeting: 'Hi there,', language: 'en' };

async function loadSettings(ep) {
  try {
    return { settings: await ep.getSettings(APP_NAME), stored: true };
  } catch (error) {
    if (error.status === 404) return { settings: DEFAULT_SETTINGS, stored: false };
    throw error;
  }
}

function fillSettings(settings) {
  $('greeting').value = settings.greeting ?? DEFAULT_SETTINGS.greeting;
  $('language').value = settings.language ?? DEFAULT_SETTINGS.language;
}

function wireSettings(ep, onChange) {
  const form = $('settings-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('settings-save');
    const status = $('settings-status');
    const settings = { greeting: $('greeting').value.trim(), language: $('language').value };
    button.disabled = true;
    status.className = 'form-status';
    status.textContent = 'Saving…';
    try {
      const saved = await ep.putSettings(APP_NAME, settings);
      // Read back from the endpoint (putSettings dropped the cached copy).
      const reloaded = await ep.getSettings(APP_NAME);
      fillSettings(reloaded);
      status.className = 'form-status form-status--ok';
      status.textContent = `Saved as version ${saved.version} and reloaded from the endpoint.`;
      onChange();
    } catch (error) {
      status.className = 'form-status form-status--error';
      status.textContent = `Not saved: ${describe(error)}`;
    } finally {
      button.disabled = false;
    }
  });
}

function categoryLine(name, category) {
  const item = element('li', 'store__item');
  const head = element('div', 'store__head');
  head.append(element('strong', '', name), element('span', 'c-tag c-tag--sm', `${category.count}`));
  if (category.encrypted.length) head.append(element('span', 'c-tag c-tag--sm c-tag--blue', 'encrypted'));
  item.append(head, element('p', 'store__what', category.stored));
  const retained = category.items.map((entry) => entry.retained_until).filter(Boolean).sort()[0];
  if (category.count > 0) item.append(element('p', 'store__retention', `Kept until: ${formatDate(retained)}`));
  return item;
}

const CATEGORY_NAMES = {
  agents: 'Agents', tokens: 'Agent tokens', shared_tokens: 'Shared tokens', settings: 'Settings', stats: 'Usage statistics', jobs: 'Jobs',
  sessions: 'Zendesk sign-ins',
};

function renderStore(report) {
  const container = $('store-report');
  container.replaceChildren();
  facts(container.appendChild(element('dl', 'facts')), [
    ['Account', report.subdomain],
    ['Region', report.storage_region],
    ['Status', report.tenant.status],
    ['Deleted on', report.tenant.deletion_due_at ? formatDate(report.tenant.deletion_due_at) : 'request, or 30 days after uninstalling'],
  ]);
  const list = element('ul', 'store');
  for (const [key, category] of Object.entries(report.categories)) list.append(categoryLine(CATEGORY_NAMES[key] ?? key, category));
  container.append(list);
  container.append(element('p', 'muted small', `Report generated ${formatDate(report.generated_at)}.`));
}

async function refreshStore(ep) {
  const card = $('store-card');
  card.setAttribute('aria-busy', 'true');
  card.querySelector('.error')?.remove();
  try {
    renderStore(await ep.report());
  } catch (error) {
    showError(card, error);
  } finally {
    done(card);
  }
}

function renderCertificate(certificate, verdict) {
  const box = $('certificate');
  box.replaceChildren();
  const ok = verdict.valid === true;
  const banner = element('p', `verdict ${ok ? 'verdict--ok' : 'verdict--bad'}`,
    ok ? '✓ Certificate signature valid' : `✗ Certificate invalid${verdict.reason ? `: ${verdict.reason}` : ''}`);
  banner.id = 'certificate-verdict';
  box.append(banner);
  const deleted = Object.entries(verdict.deleted ?? certificate.deleted ?? {}).map(([what, n]) => `${n} ${what.replace('_', ' ')}`).join(', ');
  facts(box.appendChild(element('dl', 'facts')), [
    ['Certificate', certificate.certificate_id],
    ['Key id', verdict.key_id ?? certificate.key_id],
    ['Deleted', deleted],
    ['Completed', formatDate(certificate.completed_at)],
    ['Region', certificate.storage_region],
    ['Method', certificate.method],
  ]);
  const details = element('details', 'raw');
  details.append(element('summary', '', 'Signed certificate (JSON)'), element('pre', '', JSON.stringify(certificate, null, 2)));
  box.append(details);
}

function wireDeletion(ld, ep, subdomain, onDeleted) {
  const input = $('delete-confirm');
  const button = $('delete-button');
  $('delete-hint').textContent = `This account: ${subdomain}`;
  input.addEventListener('input', () => {
    button.disabled = input.value.trim() !== subdomain;
  });
  $('delete-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (input.value.trim() !== subdomain) return;
    button.disabled = true;
    const box = $('certificate');
    box.replaceChildren(element('p', 'muted', 'Deleting and verifying the certificate…'));
    try {
      const certificate = await ep.requestDeletion(subdomain);
      const keys = await ep.keys();
      // Ed25519 over the JCS form, checked in wasm against the endpoint's published keys.
      let verdict;
      try {
        verdict = { valid: true, ...ld.verifyCertificate(certificate, keys) };
      } catch (error) {
        verdict = { valid: false, reason: describe(error) };
      }
      renderCertificate(certificate, verdict);
      input.value = '';
      input.disabled = true;
      onDeleted(verdict);
    } catch (error) {
      box.replaceChildren(element('p', 'error', `Deletion failed: ${describe(error)}`));
      box.firstChild.setAttribute('role', 'alert');
      button.disabled = false;
    }
  });
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  const client = ZAFClient.init();
  const [ld, metadata, context] = await Promise.all([load(), client.metadata(), client.context()]);
  const policy = ld.compile(POLICY);
  const zaf = ld.zaf(client, policy);
  const subdomain = context.account.subdomain;
  const showAccess = () => {
    renderAccess(ld.accessReport());
    done($('access-card'));
  };

  setStatus('Reading the ticket through the policy…');
  try {
    renderTicket(await readTicket(zaf));
  } catch (error) {
    showError($('summary-card'), error);
  } finally {
    done($('summary-card'));
    showAccess();
  }

  // The endpoint is reached through ZAF: the proxy signs the JWT with the secure setting,
  // which proves the account. Who the agent is, and their role, the endpoint learns from
  // Zendesk when the agent signs in (the session lives in this page's memory only).
  const ep = ld.endpoint({ baseUrl: metadata.settings.endpoint_url, zaf: client, secretSetting: 'shared_secret' });
  const signIn = $('sign-in');
  signIn.disabled = false;
  signIn.addEventListener('click', async () => {
    signIn.disabled = true;
    $('signin-status').textContent = 'Waiting for Zendesk…';
    try {
      const agent = await ep.signIn();
      $('signin-status').textContent = `Signed in as ${agent.email ?? agent.id} (${agent.role}).`;
      signIn.hidden = true;
      await useEndpoint(ld, ep, subdomain);
      document.body.dataset.signedIn = 'true';
    } catch (error) {
      $('signin-status').textContent = `Not signed in: ${describe(error)}`;
      signIn.disabled = false;
    }
  });
  setStatus('Sign in with Zendesk to reach the endpoint.');
  document.body.dataset.ready = 'true';
}

// Everything the endpoint holds for this account, once the agent is signed in.
async function useEndpoint(ld, ep, subdomain) {
  setStatus('Connecting to the leastdata endpoint…');
  const settingsCard = $('settings-card');
  try {
    await ep.registerAgent();
    const { settings, stored } = await loadSettings(ep);
    fillSettings(settings);
    $('settings-status').textContent = stored ? 'Loaded from the endpoint.' : 'Not saved yet: showing defaults.';
    const stats = await ep.addStats(APP_NAME, { sidebar_views: 1 });
    $('stats-status').textContent = `Counted this view in the endpoint's daily statistics (${stats.day}).`;
  } catch (error) {
    showError(settingsCard, error);
  } finally {
    done(settingsCard);
  }
  wireSettings(ep, () => refreshStore(ep));
  $('store-refresh').addEventListener('click', () => refreshStore(ep));
  wireDeletion(ld, ep, subdomain, (verdict) => {
    setStatus(verdict.valid ? 'All data deleted; certificate verified.' : 'Data deleted, but the certificate did not verify.');
    $('store-report').replaceChildren(element('p', 'store__empty',
      'Nothing is stored for this account any more: the endpoint deleted it and signed the certificate below.'));
    $('store-refresh').disabled = true;
    $('settings-save').disabled = true;
  });
  await refreshStore(ep);
  setStatus('Ready.');
}

main().catch((error) => {
  setStatus(`The app could not start: ${describe(error)}`);
  document.body.dataset.ready = 'failed';
});
