// Zendesk's comment redaction endpoints, as the Ticket Comments API reference describes them
// (developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/; docs/zaf.md lists
// what was read where):
//
// PUT /api/v2/comment_redactions/{ticket_comment_id}  ("Redact Ticket Comment In Agent Workspace")
//   body {"ticket_id": N, "html_body": "...", "external_attachment_urls"?: [...]}: the comment's
//   html_body with the content to redact wrapped in <redact> tags; an element with a `redact`
//   attribute (a link, an image) is itself redacted — "the redact attribute only redacts the
//   tag", so its inner text stays unless it is inside <redact> too. Every character inside
//   <redact> becomes ▇. Works on closed tickets. Answers {"comment": {...}}.
// PUT /api/v2/tickets/{ticket_id}/comments/{ticket_comment_id}/redact  ("Redact String in Comment")
//   body {"text": "..."}: every occurrence of the string becomes ▇s; not on closed tickets.
//
// Zendesk redacts the comment's body and plain_body with its html_body; here every string that
// was redacted in html_body is redacted wherever it occurs in the other two.
//
// Not in the reference, so the demo's choice (and written in docs/zaf.md): an html_body that,
// without its redaction markup, is not the comment's current html_body — the comment changed
// since it was read, for instance because someone else redacted part of it — is refused with
// 422 RecordInvalid rather than applied over the change; a string that does not occur changes
// nothing (200); a closed ticket's string redaction is 422 RecordInvalid.

import { REDACTED } from './forget-me.js';
import { badRequest, json, notFound } from './responses.js';

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const REDACT_ATTRIBUTE = /\s+redact(?:=(?:""|''))?(?=[\s/>])/i;

const tokens = (html) => html.match(/<[^>]*>|[^<]+/g) ?? [];
const tagName = (tag) => /^<\/?\s*([a-zA-Z][a-zA-Z0-9-]*)/.exec(tag)?.[1].toLowerCase();

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_, entity) => {
    const name = entity.toLowerCase();
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name];
  });
}

/** The html without its redaction markup: <redact> tags and `redact` attributes removed. */
export function withoutRedactionMarkup(html) {
  return tokens(html)
    .filter((token) => !/^<\/?redact\s*>$/i.test(token))
    .map((token) => (token.startsWith('<') ? token.replace(REDACT_ATTRIBUTE, '') : token))
    .join('');
}

/** Applies <redact> tags and `redact` attributes: { html, redacted: [the texts redacted] }. */
export function applyRedactionMarkup(html) {
  const out = [];
  const redacted = [];
  const open = []; // { name, drop } of the elements open
  let inside = 0;
  for (const token of tokens(html)) {
    if (!token.startsWith('<')) {
      if (inside > 0) {
        const text = decodeEntities(token);
        redacted.push(text);
        out.push(REDACTED.repeat([...text].length));
      } else {
        out.push(token);
      }
      continue;
    }
    if (/^<redact\s*>$/i.test(token)) {
      inside++;
      continue;
    }
    if (/^<\/redact\s*>$/i.test(token)) {
      inside = Math.max(0, inside - 1);
      continue;
    }
    const name = tagName(token);
    if (token.startsWith('</')) {
      const at = open.map((element) => element.name).lastIndexOf(name);
      const element = at >= 0 ? open.splice(at)[0] : undefined;
      if (!element?.drop) out.push(token);
      continue;
    }
    const drop = REDACT_ATTRIBUTE.test(token);
    if (name && !VOID_ELEMENTS.has(name) && !token.endsWith('/>')) open.push({ name, drop });
    if (!drop) out.push(token);
  }
  return { html: out.join(''), redacted };
}

function blank(text, values) {
  let out = text;
  for (const value of values) if (value !== '') out = out.split(value).join(REDACTED.repeat([...value].length));
  return out;
}

function parseBody(body) {
  try {
    const value = JSON.parse(body ?? '');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const invalid = (description) => json(422, { error: 'RecordInvalid', description });

/**
 * @param {{ account: ReturnType<import('./data.js').generateAccount>,
 *           requesters: ReturnType<import('./forget-me.js').createForgetMeRequester>[] }} stores
 */
export function createCommentRedaction({ account, requesters }) {
  const accountTickets = new Map(account.tickets.map((ticket) => [ticket.id, ticket]));

  // The comment with `commentId` and how to store a new version of it, or undefined.
  function find(commentId) {
    for (const requester of requesters) {
      const ticketId = requester.ticketOfComment(commentId);
      if (ticketId === undefined) continue;
      const comment = requester.comments(ticketId).find((c) => c.id === commentId);
      return { ticketId, comment, closed: requester.ticketAt(ticketId - requester.firstTicketId).status === 'closed',
        save: (texts) => requester.replaceComment(commentId, texts) };
    }
    for (const [ticketId, thread] of account.comments) {
      const comment = thread.find((c) => c.id === commentId);
      if (comment) {
        return { ticketId, comment, closed: accountTickets.get(ticketId)?.status === 'closed', save: (texts) => Object.assign(comment, texts) };
      }
    }
    return undefined;
  }

  function save(found, texts) {
    found.save(texts);
    return json(200, { comment: { ...found.comment, ...texts } });
  }

  return {
    /** The comments of a requester's ticket (for the comments list), or undefined for another ticket. */
    comments(ticketId) {
      for (const requester of requesters) {
        const list = requester.comments(ticketId);
        if (list) return list;
      }
      return undefined;
    },

    /** PUT /api/v2/comment_redactions/{commentId} */
    redactInAgentWorkspace(commentId, requestBody) {
      const body = parseBody(requestBody);
      if (!body) return badRequest('InvalidJSON', 'the body must be a JSON object');
      const found = find(commentId);
      if (!found || String(body.ticket_id) !== String(found.ticketId)) return notFound();
      if (body.html_body === undefined) return json(200, { comment: found.comment });
      if (typeof body.html_body !== 'string') return invalid('html_body must be a string');
      if (withoutRedactionMarkup(body.html_body) !== found.comment.html_body) {
        return invalid("html_body must be the comment's current html_body with <redact> tags added; the comment has changed: read it again");
      }
      const { html, redacted } = applyRedactionMarkup(body.html_body);
      return save(found, { html_body: html, body: blank(found.comment.body, redacted), plain_body: blank(found.comment.plain_body, redacted) });
    },

    /** PUT /api/v2/tickets/{ticketId}/comments/{commentId}/redact */
    redactString(ticketId, commentId, requestBody) {
      const body = parseBody(requestBody);
      if (!body) return badRequest('InvalidJSON', 'the body must be a JSON object');
      const found = find(commentId);
      if (!found || found.ticketId !== ticketId) return notFound();
      if (typeof body.text !== 'string' || body.text === '') return invalid('text must be a non-empty string');
      if (found.closed) return invalid('strings cannot be redacted from the comments of a closed ticket');
      const { comment } = found;
      const escaped = body.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const htmlRedacted = comment.html_body.split(escaped).join(REDACTED.repeat([...body.text].length));
      return save(found, { html_body: htmlRedacted, body: blank(comment.body, [body.text]), plain_body: blank(comment.plain_body, [body.text]) });
    },
  };
}
