// The demo's own controls, which a real Zendesk does not have: which ticket is open, whether
// the person at the keyboard is an agent or an admin (who is signed in to the simulated
// Zendesk), and which page is shown: the ticket, the ticket-summary app's nav bar page or the
// GDPR-cleanup app. Each is a plain navigation (query parameters `ticket`, `as`, `view`), so
// every state has its own URL and a reload keeps it.
const $ = (id) => document.getElementById(id);

/** What the URL asks for. */
export function requested(search = location.search) {
  const params = new URLSearchParams(search);
  return {
    ticketId: Number(params.get('ticket')) || undefined,
    role: params.get('as') === 'admin' ? 'admin' : 'agent',
    // The ticket-summary app's location shown; the GDPR-cleanup app is a page of its own.
    view: params.get('view') === 'admin' ? 'nav_bar' : 'ticket_sidebar',
    gdprCleanup: params.get('view') === 'gdpr-cleanup',
  };
}

// This page's URL with `changes` to its query (undefined removes a parameter).
function urlWith(changes) {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  return `?${params}`;
}

function go(changes) {
  location.search = urlWith(changes);
}

/**
 * @param {{ tickets: { id: number, subject: string }[], current: { id: number, subject: string }, role: string, view: string, gdprCleanup: boolean }} state
 */
export function wireSwitcher({ tickets, current, role, view, gdprCleanup }) {
  const ticketSwitch = $('ticket-switch');
  for (const ticket of tickets.some((t) => t.id === current.id) ? tickets : [current, ...tickets]) {
    const option = new Option(`#${ticket.id} ${ticket.subject}`, String(ticket.id), false, ticket.id === current.id);
    ticketSwitch.append(option);
  }
  ticketSwitch.addEventListener('change', () => go({ ticket: ticketSwitch.value, view: undefined }));
  const roleSwitch = $('role-switch');
  roleSwitch.value = role;
  roleSwitch.addEventListener('change', () => go({ as: roleSwitch.value }));
  const links = [[$('views-link'), undefined], [$('nav-app-link'), 'admin'], [$('gdpr-app-link'), 'gdpr-cleanup']];
  const shown = gdprCleanup ? 'gdpr-cleanup' : view === 'nav_bar' ? 'admin' : undefined;
  for (const [link, target] of links) {
    if (target === shown) {
      link.classList.add('rail__item--active');
      link.setAttribute('aria-current', 'page');
    }
    // The link keeps the other choices (ticket, agent or admin), also when opened in a new tab.
    link.href = urlWith({ view: target });
  }
}
