// Marks the personal data in a comment's html_body the way Zendesk's "Redact Ticket Comment
// In Agent Workspace" endpoint takes it: the text between tags is searched, every finding is
// wrapped in <redact>…</redact>, and an element whose attributes hold personal data (the
// `mailto:` link Zendesk makes of an email address) gets the `redact` attribute, which
// redacts the tag itself. Nothing else of the html changes, so Zendesk can match it against
// the comment it holds. Findings are searched in the decoded text (`&amp;` is `&`) and mapped
// back to the html, never splitting an entity.

const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/giy;
const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// The decoded text of raw html text, and where each decoded character starts in the raw text
// (`at[i]`; `at[text.length]` is the raw length).
function decode(raw) {
  let text = '';
  const at = [];
  for (let i = 0; i < raw.length; ) {
    ENTITY.lastIndex = i;
    const entity = raw[i] === '&' ? ENTITY.exec(raw) : null;
    let char;
    if (entity) {
      const name = entity[1].toLowerCase();
      char = name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16))
        : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1)))
          : NAMED[name];
    }
    if (char === undefined) {
      at.push(i);
      text += raw[i];
      i++;
    } else {
      for (let k = 0; k < char.length; k++) at.push(i);
      text += char;
      i += entity[0].length;
    }
  }
  at.push(raw.length);
  return { text, at };
}

// Overlapping or touching spans become one: a value found by a detector and by a literal
// term is redacted once.
function merge(spans) {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

function markText(raw, find, found) {
  const { text, at } = decode(raw);
  const spans = merge(find(text));
  if (spans.length === 0) return raw;
  let out = '';
  let from = 0;
  for (const { start, end, type } of spans) {
    found.push(type);
    out += `${raw.slice(from, at[start])}<redact>${raw.slice(at[start], at[end])}</redact>`;
    from = at[end];
  }
  return out + raw.slice(from);
}

// A start tag with the `redact` attribute when an attribute value holds personal data.
function markTag(tag, find, found) {
  if (tag.startsWith('</') || tag.startsWith('<!') || /\sredact(?=[\s/>=])/i.test(tag)) return tag;
  for (const [, , value] of tag.matchAll(/\s[a-z-]+\s*=\s*("|')(.*?)\1/gi)) {
    const spans = find(decode(value).text);
    if (spans.length > 0) {
      found.push(spans[0].type);
      return tag.replace(/^<([a-zA-Z][a-zA-Z0-9-]*)/, '<$1 redact');
    }
  }
  return tag;
}

/**
 * @param {string} html a comment's html_body
 * @param {(text: string) => Array<{ start: number, end: number, type: string }>} find the
 *   personal data in a text (UTF-16 offsets, end exclusive)
 * @returns {{ html: string, found: string[] } | null} the marked html and the type of each
 *   finding, or null when there is nothing to redact
 */
export function markForRedaction(html, find) {
  const found = [];
  const marked = (html.match(/<[^>]*>|[^<]+/g) ?? [])
    .map((token) => (token.startsWith('<') ? markTag(token, find, found) : markText(token, find, found)))
    .join('');
  return found.length > 0 ? { html: marked, found } : null;
}

/**
 * A `find` for markForRedaction: the findings of leastdata's detectors (in wasm) and every
 * occurrence, in any case, of the literal `terms` (the requester's name and email address).
 * @param {{ redact(text: string, options: object): { findings: Array<{ type: string, start: number, end: number }> } }} ld
 * @param {string[]} terms
 */
export function personalData(ld, terms) {
  const needles = terms.filter((term) => typeof term === 'string' && term.trim().length >= 3).map((term) => term.toLowerCase());
  return (text) => {
    const spans = ld.redact(text, { detect: 'all', action: 'label' }).findings.map(({ type, start, end }) => ({ type, start, end }));
    const lower = text.toLowerCase();
    for (const needle of needles) {
      for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
        spans.push({ type: 'requester', start: at, end: at + needle.length });
      }
    }
    return spans;
  };
}
