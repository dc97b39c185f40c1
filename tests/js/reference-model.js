// An independent reference implementation of the field policy (DESIGN §2) for the
// differential and fixture tests. It is deliberately simple and tree-based — parse the
// whole input into a tree that keeps raw token text, member order and duplicates, then
// apply the rules — so it shares no structure with the streaming wasm core. It follows
// DESIGN §2 plus the semantics decisions recorded for the filter:
//   - null elements of arrays under a sub-selection rule are kept;
//   - arrays nested in arrays are processed element by element with the same rules and
//     are always kept (possibly empty);
//   - a top-level scalar that is not kept becomes `null` (fields_dropped 1);
//   - duplicate_key applies to every member a rule names (even if its value is then
//     dropped), to every object inside a whole-kept value, and to a predicate key that
//     occurs twice in an element the predicate was evaluated on;
//   - member names are compared decoded (`"\u0061"` is `a`); lone surrogate escapes pass;
//   - predicate `[k=v]` matches a string member whose decoded value is v, or a
//     number/true/false/null whose raw JSON text is v;
//   - ledger kept_paths in first-seen order, top-level array paths start with `[]`.
// Error detection goes as far as the tests need: when several faults could compete and
// the model cannot tell which comes first, filter() answers { undecidable: true }.

export class ModelError extends Error {
  constructor(code, message, offset) {
    super(message);
    this.code = code;
    if (offset !== undefined) this.offset = offset;
  }
}

// ---------------------------------------------------------------------------------
// Selection language (DESIGN §2.1)

const SPECIALS = ',/()*[]=|\\';
const isSpecial = (c) => SPECIALS.includes(c);
const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * Parses selection text into rules:
 * { name: string | null (null = `*`), pred: { key, values } | null, whole: bool, children: rule[] }
 * Throws ModelError('invalid_policy', ..., byteOffset).
 */
export function parseSelection(text) {
  let pos = 0;
  const byteOffset = (at) => Buffer.byteLength(text.slice(0, at), 'utf8');
  const fail = (message, at = pos) => {
    throw new ModelError('invalid_policy', message, byteOffset(at));
  };
  const skip = () => {
    while (pos < text.length && isSpace(text[pos])) pos++;
  };
  const peek = (c) => {
    skip();
    return text[pos] === c;
  };

  // A name or value: non-special characters and `\`-escaped specials; surrounding
  // whitespace is not part of it, inner whitespace is.
  function name(allowEmpty) {
    skip();
    const start = pos;
    let out = '';
    let kept = 0;
    while (pos < text.length) {
      const c = text[pos];
      if (c === '\\') {
        const next = text[pos + 1];
        if (next === undefined || !isSpecial(next)) fail('bad escape');
        out += next;
        kept = out.length;
        pos += 2;
      } else if (isSpecial(c)) {
        break;
      } else {
        out += c;
        if (!isSpace(c)) kept = out.length;
        pos++;
      }
    }
    out = out.slice(0, kept);
    if (out === '' && !allowEmpty) fail('expected a name', start);
    return out;
  }

  function step() {
    skip();
    const rule = { name: null, pred: null, whole: true, children: [] };
    if (text[pos] === '*') {
      pos++;
    } else {
      rule.name = name(false);
    }
    if (peek('[')) {
      pos++;
      const key = name(false);
      if (!peek('=')) fail("expected '='");
      const values = [];
      do {
        pos++;
        values.push(name(true));
      } while (peek('|'));
      if (!peek(']')) fail("expected ']'");
      pos++;
      rule.pred = { key, values };
    }
    return rule;
  }

  function item() {
    const steps = [step()];
    while (peek('/')) {
      pos++;
      steps.push(step());
    }
    let rule = steps.pop();
    if (peek('(')) {
      pos++;
      rule.whole = false;
      rule.children = list();
      if (!peek(')')) fail("expected ')'");
      pos++;
    }
    while (steps.length > 0) {
      const outer = steps.pop();
      outer.whole = false;
      outer.children = [rule];
      rule = outer;
    }
    return rule;
  }

  function list() {
    const rules = [item()];
    while (peek(',')) {
      pos++;
      rules.push(item());
    }
    return rules;
  }

  const rules = list();
  skip();
  if (pos !== text.length) fail('unexpected character');
  return rules;
}

// ---------------------------------------------------------------------------------
// Policy documents (DESIGN §2, §2.2)

const RESOURCES = {
  audit: ['audit', 'audits', false],
  group: ['group', 'groups', true],
  ticket_field: ['ticket_field', 'ticket_fields', false],
  user_field: ['user_field', 'user_fields', false],
  organization_field: ['organization_field', 'organization_fields', false],
  identity: ['identity', 'identities', false],
  ticket_event: [null, 'ticket_events', false],
  job_status: ['job_status', 'job_statuses', false],
  satisfaction_rating: ['satisfaction_rating', 'satisfaction_ratings', false],
  ticket: ['ticket', 'tickets', true],
  user: ['user', 'users', true],
  organization: ['organization', 'organizations', true],
  comment: ['comment', 'comments', false],
};
const PAGINATION = [
  'next_page', 'previous_page', 'count', 'meta', 'links',
  'after_url', 'before_url', 'after_cursor', 'before_cursor', 'end_of_stream', 'end_time',
];
// `requests` and `write` decide what an app may send, not what a response keeps: the model
// accepts them and leaves them to the request tests.
const POLICY_KEYS = ['version', 'name', 'resources', 'select', 'requests', 'write', 'zaf', 'redact', 'limits'];
const MAX_UNMATCHED = 64;

const member = (name, children) => ({ name, pred: null, whole: false, children });

/** Compiles a policy document (object or JSON text) into { rules, maxDepth, maxInputBytes }. */
export function compilePolicy(doc) {
  if (typeof doc === 'string') doc = JSON.parse(doc);
  const invalid = (message, offset) => {
    throw new ModelError('invalid_policy', message, offset);
  };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) invalid('not an object');
  for (const key of Object.keys(doc)) if (!POLICY_KEYS.includes(key)) invalid(`unknown key ${key}`);
  if (doc.version !== 1) invalid('version must be 1');
  if (doc.name !== undefined && typeof doc.name !== 'string') invalid('name must be a string');
  if (doc.resources === undefined && doc.select === undefined) invalid('select or resources required');
  const rules = [];
  const selection = (text) => {
    if (typeof text !== 'string') invalid('selection must be a string');
    return parseSelection(text);
  };
  if (doc.resources !== undefined) {
    if (doc.resources === null || typeof doc.resources !== 'object' || Array.isArray(doc.resources)) {
      invalid('resources must be an object');
    }
    for (const [resource, text] of Object.entries(doc.resources)) {
      const envelope = RESOURCES[resource];
      if (envelope === undefined) invalid(`unknown resource ${resource}`);
      const children = selection(text);
      if (envelope[0] !== null) rules.push(member(envelope[0], children));
      rules.push(member(envelope[1], children));
      if (envelope[2]) {
        rules.push({ name: 'results', pred: { key: 'result_type', values: [resource] }, whole: false, children });
      }
    }
    for (const name of PAGINATION) rules.push({ name, pred: null, whole: true, children: [] });
  }
  if (doc.select !== undefined) rules.push(...selection(doc.select));
  let maxDepth = 64;
  let maxInputBytes = 64 * 1024 * 1024;
  if (doc.limits !== undefined) {
    for (const [key, value] of Object.entries(doc.limits)) {
      if (!Number.isInteger(value) || value < 1) invalid(`bad limit ${key}`);
      if (key === 'max_depth') maxDepth = value;
      else if (key === 'max_input_bytes') maxInputBytes = value;
      else invalid(`unknown limit ${key}`);
    }
  }
  return { rules, maxDepth, maxInputBytes };
}

// ---------------------------------------------------------------------------------
// JSON parser keeping raw text, member order and duplicates.
//
// Nodes: { t: 'o', members: [{ name, ks, ke, value }] } (ks..ke: the name's raw text
// including quotes), { t: 'a', items }, { t: 's' | 'n' | 'l', s, e } (raw text s..e).

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Length of the well-formed UTF-8 sequence at i (Unicode Table 3-7), or 0.
function utf8Length(b, i) {
  const b0 = b[i];
  const c = (k) => i + k < b.length && b[i + k] >= 0x80 && b[i + k] <= 0xbf;
  const r = (k, lo, hi) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return c(1) ? 2 : 0;
  if (b0 === 0xe0) return r(1, 0xa0, 0xbf) && c(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return c(1) && c(2) ? 3 : 0;
  if (b0 === 0xed) return r(1, 0x80, 0x9f) && c(2) ? 3 : 0;
  if (b0 === 0xf0) return r(1, 0x90, 0xbf) && c(2) && c(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return c(1) && c(2) && c(3) ? 4 : 0;
  if (b0 === 0xf4) return r(1, 0x80, 0x8f) && c(2) && c(3) ? 4 : 0;
  return 0;
}

const isHex = (x) => (x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x46) || (x >= 0x61 && x <= 0x66);

/** Decodes the contents (between the quotes) of a validated JSON string to a JS string. */
export function decodeString(b, s, e) {
  let out = '';
  let run = s;
  let i = s;
  while (i < e) {
    if (b[i] !== 0x5c) {
      i++;
      continue;
    }
    out += utf8.decode(b.subarray(run, i));
    const x = String.fromCharCode(b[i + 1]);
    if (x === 'u') {
      out += String.fromCharCode(parseInt(String.fromCharCode(...b.subarray(i + 2, i + 6)), 16));
      i += 6;
    } else {
      out += { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[x] ?? x;
      i += 2;
    }
    run = i;
  }
  return out + utf8.decode(b.subarray(run, e));
}

/**
 * Parses bytes. Returns { root, depthOffset } (depthOffset: the first container nested
 * deeper than maxDepth, or null). Throws ModelError for grammar/UTF-8 faults, with
 * `firstDuplicate` (the earliest second occurrence of any member name, or null) so the
 * caller can tell whether a duplicate_key might precede the fault.
 */
export function parseJson(b, maxDepth = Infinity) {
  let i = 0;
  let depth = 0;
  let depthOffset = null;
  let firstDuplicate = null;
  const fail = (code, at) => {
    const error = new ModelError(code, `${code} at ${at}`, at);
    error.firstDuplicate = firstDuplicate;
    error.depthOffset = depthOffset;
    throw error;
  };
  const ws = () => {
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  };

  function string() {
    const q = i++;
    for (;;) {
      if (i >= b.length) fail('invalid_json', q);
      const x = b[i];
      if (x === 0x22) {
        i++;
        return { t: 's', s: q, e: i };
      }
      if (x === 0x5c) {
        const y = b[i + 1];
        if (y === undefined) fail('invalid_json', q);
        if ('"\\/bfnrt'.includes(String.fromCharCode(y))) i += 2;
        else if (y === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) fail('invalid_json', i);
          i += 6;
        } else fail('invalid_json', i);
      } else if (x < 0x20) {
        fail('invalid_json', i);
      } else if (x >= 0x80) {
        const n = utf8Length(b, i);
        if (n === 0) fail('invalid_utf8', i);
        i += n;
      } else i++;
    }
  }

  function number() {
    const s = i;
    const digit = () => i < b.length && b[i] >= 0x30 && b[i] <= 0x39;
    if (b[i] === 0x2d) i++;
    if (b[i] === 0x30) i++;
    else if (digit()) while (digit()) i++;
    else fail('invalid_json', i);
    if (b[i] === 0x2e) {
      i++;
      if (!digit()) fail('invalid_json', i);
      while (digit()) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (!digit()) fail('invalid_json', i);
      while (digit()) i++;
    }
    return { t: 'n', s, e: i };
  }

  function open() {
    depth++;
    if (depth > maxDepth && depthOffset === null) depthOffset = i;
    i++;
    ws();
  }

  function value() {
    if (i >= b.length) fail('invalid_json', i);
    const x = b[i];
    if (x === 0x7b) {
      open();
      const node = { t: 'o', members: [] };
      if (b[i] === 0x7d) {
        i++;
        depth--;
        return node;
      }
      const seen = new Set();
      for (;;) {
        if (b[i] !== 0x22) fail('invalid_json', i);
        const key = string();
        const name = decodeString(b, key.s + 1, key.e - 1);
        if (seen.has(name) && firstDuplicate === null) firstDuplicate = key.s;
        seen.add(name);
        ws();
        if (b[i] !== 0x3a) fail('invalid_json', i);
        i++;
        ws();
        node.members.push({ name, ks: key.s, ke: key.e, value: value() });
        ws();
        if (b[i] === 0x2c) {
          i++;
          ws();
        } else if (b[i] === 0x7d) {
          i++;
          depth--;
          return node;
        } else fail('invalid_json', i);
      }
    }
    if (x === 0x5b) {
      open();
      const node = { t: 'a', items: [] };
      if (b[i] === 0x5d) {
        i++;
        depth--;
        return node;
      }
      for (;;) {
        node.items.push(value());
        ws();
        if (b[i] === 0x2c) {
          i++;
          ws();
        } else if (b[i] === 0x5d) {
          i++;
          depth--;
          return node;
        } else fail('invalid_json', i);
      }
    }
    if (x === 0x22) return string();
    if (x === 0x2d || (x >= 0x30 && x <= 0x39)) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (Buffer.from(b.subarray(i, i + literal.length)).toString('latin1') === literal) {
        const s = i;
        i += literal.length;
        return { t: 'l', s, e: i };
      }
    }
    return fail('invalid_json', i);
  }

  ws();
  if (i >= b.length) fail('invalid_json', i);
  const root = value();
  ws();
  if (i !== b.length) fail('invalid_json', i);
  return { root, depthOffset };
}

// ---------------------------------------------------------------------------------
// The filter

const NULL_BYTES = Buffer.from('null');

/**
 * Applies a compiled policy (from compilePolicy) to input bytes.
 * Returns { output: Buffer, ledger } or { error: { code, offset } } or { undecidable: true }.
 */
export function filter(policy, input) {
  const b = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (b.length > policy.maxInputBytes) return { error: { code: 'size_limit', offset: policy.maxInputBytes } };

  let parsed;
  try {
    parsed = parseJson(b, policy.maxDepth);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    let fault = { code: error.code, offset: error.offset };
    if (error.depthOffset !== null && error.depthOffset < fault.offset) {
      fault = { code: 'depth_limit', offset: error.depthOffset };
    }
    // A duplicate member before the fault might be a duplicate_key the filter reports first.
    if (error.firstDuplicate !== null && error.firstDuplicate < fault.offset) return { undecidable: true };
    return { error: fault };
  }

  const run = new Run(b);
  const root = { name: '', pred: null, whole: false, children: policy.rules };
  let out;
  if (parsed.root.t === 'a') {
    out = run.array([root], parsed.root, '');
  } else {
    out = run.value([root], parsed.root, '');
    if (out === null) {
      run.drop('');
      out = [NULL_BYTES];
    }
  }

  const faults = [...run.duplicates.map((offset) => ({ code: 'duplicate_key', offset }))];
  if (parsed.depthOffset !== null) faults.push({ code: 'depth_limit', offset: parsed.depthOffset });
  if (faults.length > 0) {
    faults.sort((x, y) => x.offset - y.offset);
    return { error: faults[0] };
  }

  // Top-level members of an object input that no rule names (a wildcard names them all).
  const unmatched = [];
  if (parsed.root.t === 'o') {
    for (const { name } of parsed.root.members) {
      const named = policy.rules.some((r) => r.name === null || r.name === name);
      if (!named && !unmatched.includes(name) && unmatched.length < MAX_UNMATCHED) unmatched.push(name);
    }
  }

  const output = Buffer.concat(out);
  const keptPaths = {};
  let fieldsKept = 0;
  for (const [path, count] of run.paths) {
    keptPaths[path] = count;
    fieldsKept += count;
  }
  return {
    output,
    ledger: {
      bytes_in: b.length,
      bytes_out: output.length,
      fields_kept: fieldsKept,
      fields_dropped: run.dropped,
      kept_paths: keptPaths,
      dropped_paths: Object.fromEntries(run.droppedPaths),
      // The model has no redaction rules: nothing is rewritten.
      redacted: {},
      unmatched,
    },
    // kept_paths in first-seen order (a plain object would move integer-like keys first).
    keptPathOrder: [...run.paths.keys()],
  };
}

const join = (path, name) => (path === '' ? name : `${path}.${name}`);

class Run {
  constructor(bytes) {
    this.b = bytes;
    this.dropped = 0;
    this.paths = new Map();
    this.droppedPaths = new Map();
    this.duplicates = [];
  }

  raw(node) {
    return this.b.subarray(node.s, node.e);
  }

  count(path) {
    this.paths.set(path, (this.paths.get(path) ?? 0) + 1);
  }

  // Records a duplicate_key at each second occurrence of a name in `names` in `object`.
  checkDuplicates(object, names) {
    const seen = new Set();
    for (const m of object.members) {
      if (!names(m.name)) continue;
      if (seen.has(m.name)) this.duplicates.push(m.ks);
      seen.add(m.name);
    }
  }

  matches(pred, object) {
    const m = object.members.find((x) => x.name === pred.key);
    if (m === undefined) return false;
    const v = m.value;
    if (v.t === 's') return pred.values.includes(decodeString(this.b, v.s + 1, v.e - 1));
    if (v.t === 'n' || v.t === 'l') return pred.values.includes(this.raw(v).toString('latin1'));
    return false;
  }

  // A non-array value under the candidate rules `rules` (those naming its member).
  // Returns the output chunks, or null when the value is dropped.
  value(rules, v, path) {
    const predKeys = new Set(rules.filter((r) => r.pred).map((r) => r.pred.key));
    if (predKeys.size > 0 && v.t === 'o') this.checkDuplicates(v, (name) => predKeys.has(name));
    const applicable = rules.filter((r) => r.pred === null || (v.t === 'o' && this.matches(r.pred, v)));
    if (applicable.length === 0) return null;
    if (applicable.some((r) => r.whole)) return this.whole(v, path);
    const children = applicable.flatMap((r) => r.children);
    if (v.t === 'o') return this.object(children, v, path);
    if (v.t === 'l' && this.b[v.s] === 0x6e) {
      this.count(path);
      return [this.raw(v)];
    }
    return null;
  }

  // An array under the candidate rules: element by element; always kept.
  array(rules, a, path) {
    const p = `${path}[]`;
    const out = [Buffer.from('[')];
    let first = true;
    for (const e of a.items) {
      const chunks = e.t === 'a' ? this.array(rules, e, p) : this.value(rules, e, p);
      if (chunks === null) {
        this.drop(p);
        continue;
      }
      if (!first) out.push(Buffer.from(','));
      first = false;
      out.push(...chunks);
    }
    out.push(Buffer.from(']'));
    return out;
  }

  // An object projected through `children` (the union of the applicable rules' children).
  object(children, o, path) {
    const named = (name) => children.some((r) => r.name === null || r.name === name);
    this.checkDuplicates(o, named);
    const out = [Buffer.from('{')];
    let first = true;
    for (const m of o.members) {
      const rules = children.filter((r) => r.name === null || r.name === m.name);
      const childPath = join(path, m.name);
      if (rules.length === 0) {
        this.drop(childPath);
        continue;
      }
      const chunks = m.value.t === 'a' ? this.array(rules, m.value, childPath) : this.value(rules, m.value, childPath);
      if (chunks === null) {
        this.drop(childPath);
        continue;
      }
      if (!first) out.push(Buffer.from(','));
      first = false;
      out.push(this.b.subarray(m.ks, m.ke), Buffer.from(':'), ...chunks);
    }
    out.push(Buffer.from('}'));
    return out;
  }

  // One removed member (at its own path) or array element (at the array's path).
  drop(path) {
    this.dropped++;
    this.droppedPaths.set(path, (this.droppedPaths.get(path) ?? 0) + 1);
  }

  // A value kept whole: compacted, every scalar counted, every object checked for duplicates.
  whole(v, path) {
    if (v.t === 'o') {
      this.checkDuplicates(v, () => true);
      const out = [Buffer.from('{')];
      v.members.forEach((m, k) => {
        if (k > 0) out.push(Buffer.from(','));
        out.push(this.b.subarray(m.ks, m.ke), Buffer.from(':'), ...this.whole(m.value, join(path, m.name)));
      });
      out.push(Buffer.from('}'));
      return out;
    }
    if (v.t === 'a') {
      const out = [Buffer.from('[')];
      v.items.forEach((e, k) => {
        if (k > 0) out.push(Buffer.from(','));
        out.push(...this.whole(e, `${path}[]`));
      });
      out.push(Buffer.from(']'));
      return out;
    }
    this.count(path);
    return [this.raw(v)];
  }
}

/** Convenience: compile + filter, returning the same shapes as filter(). */
export function run(policyDoc, input) {
  let policy;
  try {
    policy = compilePolicy(policyDoc);
  } catch (error) {
    if (error instanceof ModelError) return { error: { code: error.code, offset: error.offset } };
    throw error;
  }
  return filter(policy, input);
}
