// The GDPR-cleanup job's step (leastdata's job API runs it for every ticket ID): read the
// ticket's comments through the policy (only their id and html_body), find the personal data
// in them in wasm, and redact it with Zendesk's comment redaction API. It is idempotent — a
// comment already redacted holds nothing more to find — so a ticket done twice (after a
// reload) changes nothing more. No DOM here: tests run it in Node too.
import { markForRedaction, personalData } from './redact-html.js';

/** How often a ticket is read again when a comment changed between reading and redacting it. */
export const CHANGED_COMMENT_ATTEMPTS = 3;

const COMMENTS_PAGE = 100;

// Zendesk's links are absolute; the policy lists paths of the account's own Zendesk.
const relative = (link) => {
  const url = new URL(link, 'https://zendesk.invalid');
  return url.pathname + url.search;
};

/**
 * @param {{ ld: { redact(text: string, options: object): any }, terms: string[],
 *           tally: { tickets: number, comments: number, redacted: number, changed: number, missing: number, found: Record<string, number> } }} options
 *   `terms` are the requester's name and email address, redacted wherever they occur besides
 *   what the detectors find; `tally` is counted up (counts only, shown in the app's report).
 * @returns {(ticketId: number | string, context: { request(options: object): Promise<any> }) => Promise<void>}
 */
export function createCleanupStep({ ld, terms, tally }) {
  const find = personalData(ld, terms);

  // Redacts one comment; false when Zendesk refused because it changed since it was read.
  async function redact(ticketId, comment, request) {
    const marked = markForRedaction(comment.html_body ?? '', find);
    if (!marked) return true;
    try {
      await request({
        url: `/api/v2/comment_redactions/${comment.id}`,
        type: 'PUT',
        contentType: 'application/json',
        data: JSON.stringify({ ticket_id: Number(ticketId), html_body: marked.html }),
      });
    } catch (failure) {
      if (failure?.status === 422) return false;
      throw failure;
    }
    tally.redacted++;
    for (const type of marked.found) tally.found[type] = (tally.found[type] ?? 0) + 1;
    return true;
  }

  // One pass over the ticket's comments; false when one of them has to be read again.
  async function pass(ticketId, request) {
    let url = `/api/v2/tickets/${ticketId}/comments.json?page[size]=${COMMENTS_PAGE}`;
    let comments = 0;
    while (url) {
      let page;
      try {
        page = await request({ url, type: 'GET' });
      } catch (failure) {
        // Deleted since the job collected it: nothing left to redact.
        if (failure?.status === 404) {
          tally.missing++;
          return true;
        }
        throw failure;
      }
      for (const comment of page.comments) {
        comments++;
        if (!(await redact(ticketId, comment, request))) return false;
      }
      url = page.meta?.has_more && page.links?.next ? relative(page.links.next) : null;
    }
    tally.comments += comments;
    return true;
  }

  return async (ticketId, { request }) => {
    for (let attempt = 1; ; attempt++) {
      if (await pass(ticketId, request)) break;
      tally.changed++;
      if (attempt === CHANGED_COMMENT_ATTEMPTS) {
        throw Object.assign(new Error(`ticket ${ticketId}: a comment kept changing while it was being redacted`), { code: 'comment_changed' });
      }
    }
    tally.tickets++;
  };
}

/** A fresh tally for createCleanupStep. */
export function newTally() {
  return { tickets: 0, comments: 0, redacted: 0, changed: 0, missing: 0, found: {} };
}
