// The simulated agent workspace: renders the open ticket from the fake Zendesk API (with
// everything an agent sees, excluded fields included) and hosts the app in an iframe from
// another origin: its ticket sidebar beside the ticket, or its nav bar page in place of it
// (switcher.js: which ticket, agent or admin, which page). It plays Zendesk's side of ZAF with ZafParent: `get`
// answers from the ticket on screen as ZAF's objects (zaf-objects.js), `request` is
// forwarded to this server's proxy (POST /__zaf/request), which substitutes secure
// settings and signs the JWT server-side. The GDPR-cleanup app (gdpr-app.js) opens from the
// rail in place of the ticket. window.zafParent exposes the message log for the e2e test.
import { startGdprApp } from './gdpr-app.js';
import { ZafParent, lookupPath } from './zaf-parent.js';
import { zafAccount, zafTicket, zafUser } from './zaf-objects.js';
import { requested, wireSwitcher } from './switcher.js';

const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addProp(list, term, value) {
  list.append(element('dt', '', term), element('dd', '', value ?? '–'));
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

const FIELD_TITLES = {
  360001234: 'Plan',
  360005678: 'Region',
  360009012: 'Internal risk note',
  360007777: 'Account manager phone',
};

function render(ticket, users, organizations, comments) {
  const userById = new Map(users.map((user) => [user.id, user]));
  const requester = userById.get(ticket.requester_id);
  const assignee = userById.get(ticket.assignee_id);
  const organization = organizations.find((org) => org.id === ticket.organization_id);

  document.title = `Ticket #${ticket.id} – ${ticket.subject}`;
  $('tab-title').textContent = `#${ticket.id} ${ticket.subject}`;
  $('ticket-subject').textContent = ticket.subject;
  $('ticket-via').textContent = `Via ${ticket.via.channel} · ${requester?.name ?? ''} · ${new Date(ticket.created_at).toUTCString()}`;

  const props = $('properties');
  props.replaceChildren();
  addProp(props, 'Status', ticket.status);
  addProp(props, 'Priority', ticket.priority);
  addProp(props, 'Type', ticket.type);
  addProp(props, 'Assignee', assignee?.name);
  addProp(props, 'Tags', ticket.tags.join(', '));
  for (const field of ticket.custom_fields) addProp(props, FIELD_TITLES[field.id] ?? `Field ${field.id}`, field.value);

  const person = $('requester');
  addProp(person, 'Name', requester?.name);
  addProp(person, 'Email', requester?.email);
  addProp(person, 'Phone', requester?.phone);
  addProp(person, 'Organization', organization?.name);
  addProp(person, 'Notes', requester?.notes);

  const list = $('comments');
  list.replaceChildren();
  for (const comment of comments) {
    const author = userById.get(comment.author_id);
    const item = element('li', `comment${comment.public ? '' : ' comment--internal'}`);
    const head = element('div', 'comment__head');
    head.append(element('span', 'comment__avatar', (author?.name ?? '?').slice(0, 1)));
    head.append(element('strong', 'comment__author', author?.name ?? 'Unknown'));
    if (!comment.public) head.append(element('span', 'c-tag c-tag--yellow c-tag--sm', 'Internal note'));
    head.append(element('time', 'comment__time', new Date(comment.created_at).toUTCString()));
    item.append(head, element('p', 'comment__body', comment.body));
    for (const attachment of comment.attachments) {
      item.append(element('p', 'comment__attachment', `Attachment: ${attachment.file_name} (${Math.round(attachment.size / 1024)} KB)`));
    }
    list.append(item);
  }
}

// What ZAF `get` can read on this page: the ticket as the workspace holds it (everything,
// as in Zendesk — the app's policy decides what it asks for), the agent and the account,
// as ZAF's own objects (zaf-objects.js), not the REST records.
function zafData(config, ticket, related, currentUser) {
  return {
    ticket: zafTicket(ticket, related),
    currentUser: zafUser(currentUser, { ...related, memberships: related.memberships(currentUser.id) }),
    currentAccount: zafAccount({ subdomain: config.subdomain, planName: 'Suite Professional', timeZone: 'Berlin', ianaTimeZone: 'Europe/Berlin' }),
  };
}

// Zendesk's proxy, played by the demo server. `signal` aborts the attempt on the
// request's `timeout` (zaf-parent.js).
async function proxy(options, signal) {
  const response = await fetch('/__zaf/request', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(options),
    signal,
  });
  if (!response.ok) throw new Error(`proxy: HTTP ${response.status}`);
  return response.json();
}

async function main() {
  const want = requested();
  // Who is signed in to this Zendesk decides what ZAF reports as the current user, and whom
  // Zendesk's consent page and users/me name when the app signs in with Zendesk.
  const session = await fetch(`/__demo/session?role=${want.role}`, { method: 'POST' });
  if (!session.ok) throw new Error(`/__demo/session: HTTP ${session.status}`);
  const config = await getJson('/__demo/config.json');
  const ticketId = want.ticketId ?? config.ticketId;
  const [{ ticket, users, organizations }, { comments }, { tickets }] = await Promise.all([
    getJson(`/api/v2/tickets/${ticketId}.json?include=users,organizations`),
    getJson(`/api/v2/tickets/${ticketId}/comments.json?include=users`),
    getJson('/api/v2/tickets.json?per_page=8'),
  ]);
  render(ticket, users, organizations, comments);
  wireSwitcher({ tickets, current: ticket, role: want.role, view: want.view, gdprCleanup: want.gdprCleanup });
  const [{ users: staff }, { groups }, { group_memberships: memberships }] = await Promise.all([
    getJson('/api/v2/users.json?per_page=4'),
    getJson('/api/v2/groups.json'),
    getJson('/api/v2/group_memberships.json'),
  ]);
  const currentUser = staff.find((user) => user.id === config.currentUserId);
  const byId = (records) => new Map(records.map((record) => [record.id, record]));
  const related = {
    users: byId([...users, ...staff]),
    organizations: byId(organizations),
    groups: byId(groups),
    memberships: (userId) => memberships.filter((m) => m.user_id === userId).map((m) => m.group_id),
  };
  const data = zafData(config, ticket, related, currentUser);
  if (want.gdprCleanup) {
    // A nav bar app's page in place of the ticket; no ticket tab is open, so no sidebar app runs.
    $('ticket-view').hidden = true;
    $('gdpr-app-view').hidden = false;
    startGdprApp(config, { currentUser: data.currentUser, currentAccount: data.currentAccount }, proxy);
    return;
  }

  const iframe = $('app');
  if (want.view === 'nav_bar') {
    $('ticket-view').hidden = true;
    $('nav-app-view').hidden = false;
    $('nav-app-slot').append(iframe);
    iframe.title = 'Ticket summary: data and access (leastdata app)';
  }
  const parent = new ZafParent({
    iframe,
    appOrigin: config.appOrigin,
    appGuid: config.appGuid,
    context: {
      instanceGuid: config.appGuid,
      product: 'support',
      location: want.view,
      ...(want.view === 'ticket_sidebar' ? { ticketId: ticket.id } : {}),
      account: { subdomain: config.subdomain },
    },
    metadata: { appId: config.appId, installationId: config.installationId, name: 'Ticket summary (leastdata)', version: '1.1.0', settings: config.settings },
    get: (path) => lookupPath(data, path),
    request: proxy,
  });
  parent.start();
  window.zafParent = parent;
  iframe.src = ZafParent.appUrl(config.appUrls[want.view], location.origin, config.appGuid);
}

main().catch((error) => {
  $('ticket-subject').textContent = `The workspace could not load: ${error.message}`;
  console.error(error);
});
