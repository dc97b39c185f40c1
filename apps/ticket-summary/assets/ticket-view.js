// Renders what the sidebar read (ticket-data.js) into the ticket part of iframe.html.
import { $, element, facts } from './dom.js';
import { count, formatDay } from './format.js';
import { FIELD_TITLES } from './policy.js';
import { statusTag } from './status-tag.js';

export function renderTicket({ ticket, requester, organization, comments, related }) {
  const head = $('ticket-head');
  head.replaceChildren(element('span', 'ticket-head__id', `#${ticket.id}`), statusTag(ticket.status),
    element('span', 'ticket-head__priority', `${ticket.priority ?? 'no'} priority`));
  $('ticket-subject').textContent = ticket.subject;
  const customFields = (ticket.custom_fields ?? [])
    .filter((field) => FIELD_TITLES[field.id])
    .map((field) => [FIELD_TITLES[field.id], field.value]);
  const entries = [
    ['Requester', requester?.name],
    ['Organization', organization?.name],
    ...customFields,
    ['Tags', (ticket.tags ?? []).join(', ') || 'none'],
    ['Opened', ticket.created_at ? formatDay(ticket.created_at) : undefined],
  ];
  if (comments) {
    const shown = comments.filter((comment) => comment.public).length;
    entries.push(['Conversation', `${count(comments.length, ['comment', 'comments'])} (${shown} public, ${comments.length - shown} internal)`]);
  }
  facts($('summary'), entries);
  $('description').textContent = ticket.description ?? '';

  const history = $('history-section');
  history.hidden = related === null;
  if (related !== null) {
    const list = $('history');
    list.replaceChildren();
    for (const result of related.slice(0, 4)) {
      const item = element('li');
      item.append(element('span', 'history__id', `#${result.id}`), element('span', 'history__subject', result.subject), statusTag(result.status));
      list.append(item);
    }
    if (related.length === 0) list.append(element('li', 'muted', 'None'));
  }
}
