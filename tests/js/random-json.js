// A seeded generator of Zendesk-like JSON payloads and of policies over their key
// vocabulary, for the differential test. Payloads are written as text directly, so the
// generator controls what JSON.stringify would normalise away: whitespace, escapes in
// names and strings, raw number text (20-digit IDs, exponents, -0), duplicates.

/** mulberry32: a small, fast, seedable PRNG. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    some: (items, n) => {
      const pool = [...items];
      const out = [];
      while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
      return out;
    },
  };
  return random;
}

// ---- vocabulary -------------------------------------------------------------------

export const ZENDESK_NAMES = [
  'url', 'id', 'external_id', 'via', 'channel', 'source', 'from', 'to', 'rel', 'created_at', 'updated_at',
  'type', 'subject', 'raw_subject', 'description', 'priority', 'status', 'recipient', 'requester_id',
  'submitter_id', 'assignee_id', 'organization_id', 'group_id', 'collaborator_ids', 'follower_ids',
  'tags', 'custom_fields', 'value', 'satisfaction_rating', 'score', 'fields', 'brand_id', 'is_public',
  'name', 'email', 'role', 'phone', 'photo', 'thumbnails', 'user_fields', 'active', 'verified',
  'author_id', 'body', 'html_body', 'public', 'attachments', 'file_name', 'content_type', 'size',
  'metadata', 'system', 'client', 'ip_address', 'result_type', 'domain_names', 'details', 'notes',
];
export const ENVELOPE_NAMES = [
  'ticket', 'tickets', 'user', 'users', 'organization', 'organizations', 'comment', 'comments',
  'results', 'groups', 'meta', 'links', 'next_page', 'previous_page', 'count', 'has_more',
  'after_cursor', 'before_cursor', 'next', 'prev', 'facets', 'end_of_stream', 'end_time', 'after_url',
];
// Names that need escaping in a selection, or are otherwise awkward.
export const ODD_NAMES = [
  'a,b', 'x/y', 'p(q)', '*', 'k=v', 'a|b', 'br[0]', 'back\\slash', 'sp ace', 'naïve', '名前', '😀',
  'dot.ted', 'quote"d', 'tab\tbed', 'e\u0301', '',
];
const PREDICATE_KEYS = ['type', 'result_type', 'id', 'public', 'active', 'status', 'value'];
const TYPE_VALUES = ['ticket', 'user', 'organization', 'group', 'incident', 'question', 'problem', 'task', '42', 'a,b', ''];
const ID_TEXTS = ['1', '42', '-7', '0', '360001234567', '12345678901234567890', '1.5', '1e3', '4.20E+1', '-0'];
const LITERALS = ['true', 'false', 'null'];
const WORDS = [
  'printer', 'on fire', 'Drucker', 'café', '打印机', '故障', '🔥', '🖨️', 'naïve', 'ünïcödé', 'Ω', 'x',
  'it\'s', 'urgent!', 'https://example.zendesk.com/api/v2/tickets/1.json', '', '   ', 'a,b(c)',
  '{"type":"user"}', '"result_type":"ticket",', '}]', '[{', '\\', 'ticket', 'user', '42',
];
const ESCAPES = ['\\"', '\\\\', '\\/', '\\n', '\\t', '\\r', '\\b', '\\f', '\\u00e9', '\\u00E9', '\\ud83d\\ude00', '\\u0000', '\\u2028', '\\ud800', '\\udc00'];
const SPACES = [' ', '\t', '\n', '\r\n', '  '];

// ---- payload trees ----------------------------------------------------------------
//
// Generated as a small tree: { obj: [[name, value], ...] } | { arr: [...] } | { raw: text },
// then written as JSON text with random whitespace and name escaping.

// JSON string text for a JS string, escaping only what JSON requires.
function quote(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

// A name as JSON text, sometimes with characters escaped as \uXXXX or \/ (same decoded name).
function quoteName(r, s) {
  if (!r.chance(0.12)) return quote(s);
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === '\\' || c < 0x20 || r.chance(0.4)) {
      if (ch === '/' && r.chance(0.5)) out += '\\/';
      else if (c > 0xffff) {
        const hi = 0xd800 + ((c - 0x10000) >> 10);
        const lo = 0xdc00 + ((c - 0x10000) & 0x3ff);
        out += `\\u${hi.toString(16)}\\u${lo.toString(16)}`;
      } else {
        const hex = c.toString(16).padStart(4, '0');
        out += `\\u${r.chance(0.5) ? hex : hex.toUpperCase()}`;
      }
    } else out += ch;
  }
  return `${out}"`;
}

// Every character as a \uXXXX escape: the decoded value is unchanged.
function escapeAll(s) {
  return `"${[...s].map((ch) => [...ch].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')).join('')}"`;
}

function stringText(r) {
  const parts = [];
  const n = r.int(4);
  for (let k = 0; k < n; k++) parts.push(r.chance(0.3) ? r.pick(ESCAPES) : quote(r.pick(WORDS)).slice(1, -1));
  return `"${parts.join('')}"`;
}

function scalar(r) {
  const x = r.int(10);
  if (x < 3) return { raw: stringText(r) };
  if (x < 6) return { raw: r.pick(ID_TEXTS) };
  return { raw: r.pick(LITERALS) };
}

function predicateValueText(r, key) {
  if (key === 'type' || key === 'result_type' || key === 'status') {
    if (r.chance(0.1)) return { raw: r.pick(ID_TEXTS) };
    const v = r.pick(TYPE_VALUES);
    return { raw: r.chance(0.3) ? escapeAll(v) : quote(v) };
  }
  if (key === 'public' || key === 'active') return { raw: r.pick([...LITERALS, '"true"', '1']) };
  if (r.chance(0.2)) return { raw: quote(r.pick(ID_TEXTS)) };
  return { raw: r.pick(ID_TEXTS) };
}

export class PayloadGenerator {
  constructor(random) {
    this.r = random;
  }

  name() {
    const r = this.r;
    const x = r.next();
    if (x < 0.08) return r.pick(ODD_NAMES);
    if (x < 0.2) return r.pick(ENVELOPE_NAMES);
    if (x < 0.35) return r.pick(PREDICATE_KEYS);
    return r.pick(ZENDESK_NAMES);
  }

  // A Zendesk-ish object: ids, a type, scalar fields, sometimes nested objects/arrays.
  object(depth) {
    const r = this.r;
    const members = [];
    if (r.chance(0.6)) members.push(['id', { raw: r.pick(ID_TEXTS) }]);
    for (const key of PREDICATE_KEYS) {
      if (key !== 'id' && r.chance(0.2)) members.push([key, predicateValueText(r, key)]);
    }
    const n = r.int(depth > 4 ? 3 : 6);
    for (let k = 0; k < n; k++) members.push([this.name(), this.value(depth + 1)]);
    // Shuffle a little so predicate keys are not always first.
    for (let k = members.length - 1; k > 0; k--) {
      if (r.chance(0.5)) {
        const j = r.int(k + 1);
        [members[k], members[j]] = [members[j], members[k]];
      }
    }
    this.dedupe(members);
    return { obj: members };
  }

  // Duplicates are injected on purpose elsewhere; the base payload has none.
  dedupe(members) {
    const seen = new Set();
    for (let k = members.length - 1; k >= 0; k--) {
      if (seen.has(members[k][0])) members.splice(k, 1);
      else seen.add(members[k][0]);
    }
  }

  array(depth) {
    const r = this.r;
    const n = r.int(5);
    const items = [];
    const kind = r.int(4);
    for (let k = 0; k < n; k++) {
      if (kind === 0) items.push(this.object(depth + 1));
      else if (kind === 1) items.push(scalar(r));
      else if (kind === 2 && depth < 7) items.push(r.chance(0.5) ? this.array(depth + 1) : this.object(depth + 1));
      else items.push(r.chance(0.3) ? { raw: 'null' } : r.chance(0.5) ? this.object(depth + 1) : scalar(r));
    }
    return { arr: items };
  }

  value(depth) {
    const r = this.r;
    if (depth > 7) return scalar(r);
    const x = r.next();
    if (x < 0.2) return this.object(depth);
    if (x < 0.35) return this.array(depth);
    return scalar(r);
  }

  resource(kind, depth) {
    const o = this.object(depth);
    if (this.r.chance(0.8)) o.obj.push(['result_type', { raw: quote(kind) }]);
    this.dedupe(o.obj);
    return o;
  }

  // A whole payload in one of the envelopes Zendesk uses, or something generic.
  payload() {
    const r = this.r;
    const list = (names) => ({ arr: Array.from({ length: r.int(5) }, () => this.resource(r.pick(names), 2)) });
    const pagination = () => {
      const m = [];
      if (r.chance(0.5)) m.push(['next_page', r.chance(0.5) ? { raw: 'null' } : { raw: quote('https://x.zendesk.com/api/v2/search.json?page=2') }]);
      if (r.chance(0.4)) m.push(['previous_page', { raw: 'null' }]);
      if (r.chance(0.5)) m.push(['count', { raw: r.pick(ID_TEXTS) }]);
      if (r.chance(0.4)) m.push(['meta', { obj: [['has_more', { raw: r.pick(LITERALS) }], ['after_cursor', { raw: stringText(r) }]] }]);
      if (r.chance(0.3)) m.push(['links', { obj: [['next', { raw: stringText(r) }], ['prev', { raw: 'null' }]] }]);
      if (r.chance(0.1)) m.push(['end_of_stream', { raw: r.pick(LITERALS) }]);
      return m;
    };
    let members;
    switch (r.int(7)) {
      case 0:
        members = [[r.pick(['ticket', 'user', 'organization', 'comment']), this.object(1)]];
        break;
      case 1:
        members = [['tickets', list(['ticket'])], ['users', list(['user'])], ...pagination()];
        break;
      case 2:
        members = [['results', list(['ticket', 'user', 'organization', 'group'])], ['facets', { raw: 'null' }], ...pagination()];
        break;
      case 3:
        members = [['comments', list(['comment'])], ...pagination()];
        break;
      case 4:
        return { arr: Array.from({ length: r.int(5) }, () => (r.chance(0.8) ? this.object(1) : this.value(1))) };
      case 5:
        if (r.chance(0.3)) return scalar(r);
        members = this.object(0).obj;
        break;
      default:
        members = [...this.object(0).obj, ...pagination()];
    }
    if (r.chance(0.3)) members.push([this.name(), this.value(1)]);
    for (let k = members.length - 1; k > 0; k--) {
      if (r.chance(0.3)) {
        const j = r.int(k + 1);
        [members[k], members[j]] = [members[j], members[k]];
      }
    }
    this.dedupe(members);
    return { obj: members };
  }

  // Writes a tree as JSON text; `pretty` adds random insignificant whitespace.
  write(node, pretty) {
    const r = this.r;
    const ws = () => (pretty && r.chance(0.3) ? r.pick(SPACES) : '');
    if (node.raw !== undefined) return node.raw;
    if (node.arr !== undefined) {
      if (node.arr.length === 0) return `[${ws()}]`;
      return `[${ws()}${node.arr.map((v) => `${this.write(v, pretty)}${ws()}`).join(`,${ws()}`)}]`;
    }
    if (node.obj.length === 0) return `{${ws()}}`;
    const members = node.obj.map(([k, v]) => `${quoteName(r, k)}${ws()}:${ws()}${this.write(v, pretty)}${ws()}`);
    return `{${ws()}${members.join(`,${ws()}`)}}`;
  }
}

/** The raw texts of the values of predicate keys in a payload tree, by key. */
export function predicateValuesOf(node, out = new Map()) {
  if (node.obj !== undefined) {
    for (const [k, v] of node.obj) {
      if (PREDICATE_KEYS.includes(k) && v.raw !== undefined) {
        if (!out.has(k)) out.set(k, new Set());
        out.get(k).add(v.raw);
      }
      predicateValuesOf(v, out);
    }
  } else if (node.arr !== undefined) {
    for (const v of node.arr) predicateValuesOf(v, out);
  }
  return out;
}

/** Every member name in a payload tree (the vocabulary a policy draws from). */
export function namesOf(node, out = new Set()) {
  if (node.obj !== undefined) {
    for (const [k, v] of node.obj) {
      out.add(k);
      namesOf(v, out);
    }
  } else if (node.arr !== undefined) {
    for (const v of node.arr) namesOf(v, out);
  }
  return out;
}

// ---- selections -------------------------------------------------------------------

const escapeSelection = (s) => s.replace(/[,/()*[\]=|\\]/g, (c) => `\\${c}`);

export class SelectionGenerator {
  constructor(random, vocabulary, present = new Map()) {
    this.r = random;
    // Predicate values that occur in the payload (decoded strings, raw scalar text).
    this.present = new Map(
      [...present].map(([key, raws]) => [
        key,
        // A policy is JSON text for nlohmann, which refuses lone surrogates: leave those out.
        [...raws].map((raw) => (raw.startsWith('"') ? JSON.parse(raw) : raw)).filter((v) => v.isWellFormed()),
      ]).filter(([, values]) => values.length > 0),
    );
    // Selection names cannot hold leading/trailing whitespace or be empty.
    this.vocabulary = [...vocabulary].filter((n) => n !== '' && n.trim() === n && !/^[ \t\n\r]|[ \t\n\r]$/.test(n));
    if (this.vocabulary.length === 0) this.vocabulary = ['id'];
  }

  ws() {
    return this.r.chance(0.15) ? this.r.pick([' ', '  ', '\t', '\n', ' \r\n ']) : '';
  }

  name() {
    const r = this.r;
    const n = r.chance(0.9) ? r.pick(this.vocabulary) : r.pick([...ZENDESK_NAMES, ...ODD_NAMES.filter((x) => x && x.trim() === x)]);
    return escapeSelection(n);
  }

  predicate() {
    const r = this.r;
    const keys = [...this.present.keys()];
    const key = keys.length > 0 && r.chance(0.7) ? r.pick(keys) : r.pick(PREDICATE_KEYS);
    const count = r.range(1, 3);
    const values = [];
    for (let k = 0; k < count; k++) {
      if (this.present.has(key) && r.chance(0.6)) values.push(r.pick(this.present.get(key)));
      else if (key === 'type' || key === 'result_type' || key === 'status') values.push(r.chance(0.85) ? r.pick(TYPE_VALUES) : r.pick(ID_TEXTS));
      else if (key === 'public' || key === 'active') values.push(r.pick([...LITERALS, '1']));
      else values.push(r.pick(ID_TEXTS));
    }
    const w = () => this.ws();
    return `[${w()}${escapeSelection(key)}${w()}=${values.map((v) => `${w()}${escapeSelection(v)}${w()}`).join('|')}]`;
  }

  step() {
    const r = this.r;
    const base = r.chance(0.12) ? '*' : this.name();
    return `${this.ws()}${base}${this.ws()}${r.chance(0.22) ? this.predicate() : ''}`;
  }

  // One item: { head (its first step), text }.
  item(depth) {
    const r = this.r;
    const steps = [this.step()];
    while (depth + steps.length < 5 && r.chance(0.15)) steps.push(this.step());
    let text = steps.join(`${this.ws()}/`);
    if (depth + steps.length < 5 && r.chance(0.45)) text += `${this.ws()}(${this.selection(depth + steps.length)}${this.ws()})`;
    return { head: steps[0], text };
  }

  selection(depth = 0) {
    const r = this.r;
    const n = r.range(1, depth === 0 ? 6 : 4);
    const items = [];
    for (let k = 0; k < n; k++) {
      // Repeat an earlier item's first step now and then: unions of rules for one member.
      if (items.length > 0 && depth < 4 && r.chance(0.15)) {
        const { head } = r.pick(items);
        items.push({ head, text: `${head}${r.chance(0.5) ? `(${this.selection(depth + 1)})` : ''}` });
      } else items.push(this.item(depth));
    }
    return items.map((item) => item.text).join(`${this.ws()},${this.ws()}`);
  }
}

/** Breaks a selection so it is (most likely) invalid. */
export function breakSelection(r, text) {
  const at = r.int(text.length + 1);
  const junk = r.pick(['(', ')', ',', '[', ']', '=', '\\q', '\\', '[k]', '**', '()', '/', '|']);
  return text.slice(0, at) + junk + text.slice(at);
}
