// The demo's own controls, which a real Zendesk does not have: which ticket is open, whether
// the person at the keyboard is an agent or an admin (who is signed in to the simulated
// Zendesk), and the app's nav bar page. Each is a plain navigation (query parameters
// `ticket`, `as`, `view`), so every state has its own URL and a reload keeps it.
const $ = (id) => document.getElementById(id);

/** What the URL asks for. */
export function requested(search = location.search) {
  const params = new URLSearchParams(search);
  return {
    ticketId: Number(params.get('ticket')) || undefined,
    role: params.get('as') === 'admin' ? 'admin' : 'agent',
    view: params.get('view') === 'admin' ? 'nav_bar' : 'ticket_sidebar',
  };
}

function go(changes) {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(name);
    else params.set(name, value);
  }
  location.search = params.toString();
}

/**
 * @param {{ tickets: { id: number, subject: string }[], current: { id: number, subject: string }, role: string, view: string }} state
 */
export function wireSwitcher({ tickets, current, role, view }) {
  const ticketSwitch = $('ticket-switch');
  for (const ticket of tickets.some((t) => t.id === current.id) ? tickets : [current, ...tickets]) {
    const option = new Option(`#${ticket.id} ${ticket.subject}`, String(ticket.id), false, ticket.id === current.id);
    ticketSwitch.append(option);
  }
  ticketSwitch.addEventListener('change', () => go({ ticket: ticketSwitch.value, view: undefined }));
  const roleSwitch = $('role-switch');
  roleSwitch.value = role;
  roleSwitch.addEventListener('change', () => go({ as: roleSwitch.value }));
  const appLink = $('nav-app-link');
  const viewsLink = $('views-link');
  const active = view === 'nav_bar' ? appLink : viewsLink;
  active.classList.add('rail__item--active');
  active.setAttribute('aria-current', 'page');
  appLink.addEventListener('click', (event) => {
    event.preventDefault();
    go({ view: 'admin' });
  });
  viewsLink.addEventListener('click', (event) => {
    event.preventDefault();
    go({ view: undefined });
  });
}
