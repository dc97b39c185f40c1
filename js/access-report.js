// The session access report: every ledger of this session, aggregated by path and by
// resource, and every request the app made or was refused, by pattern. Counts, paths and
// patterns only — a ledger never holds values, a pattern never holds IDs or parameter
// values, and neither does this.

export class AccessReport {
  /**
   * @param {Record<string, string>} resourceOfMember the core's table of Zendesk envelopes
   *   (`tickets` → `ticket`), so paths are grouped as the policy compiler expands resources
   */
  constructor(resourceOfMember) {
    this.resourceOfMember = resourceOfMember;
    this.reset();
  }

  resourceOf(path) {
    const first = path.replace(/^\[\]\.?/, '').split(/[.[]/, 1)[0];
    if (first === 'results') return 'search_results';
    return this.resourceOfMember[first] ?? 'other';
  }

  reset() {
    this.calls = 0;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.fieldsKept = 0;
    this.fieldsDropped = 0;
    this.paths = new Map();
    this.droppedPaths = new Map();
    this.redacted = new Map();
    this.unmatched = new Map();
    this.zafGets = new Map();
    this.zafRefused = new Map();
    this.requestsMade = new Map();
    this.requestsRefused = new Map();
  }

  /** @param {object} ledger one filter call's ledger (DESIGN §2.4, Ledger in index.d.ts): counts and paths, never values */
  addLedger(ledger) {
    this.calls += 1;
    this.bytesIn += ledger.bytes_in;
    this.bytesOut += ledger.bytes_out;
    this.fieldsKept += ledger.fields_kept;
    this.fieldsDropped += ledger.fields_dropped;
    for (const [path, count] of Object.entries(ledger.kept_paths)) {
      this.paths.set(path, (this.paths.get(path) ?? 0) + count);
    }
    for (const [path, count] of Object.entries(ledger.dropped_paths)) {
      this.droppedPaths.set(path, (this.droppedPaths.get(path) ?? 0) + count);
    }
    for (const [type, count] of Object.entries(ledger.redacted)) {
      this.redacted.set(type, (this.redacted.get(type) ?? 0) + count);
    }
    for (const name of ledger.unmatched) add(this.unmatched, name);
  }

  /** A request through the ZAF adapter, by its pattern (RequestRules::pattern_of), made or refused. */
  addRequest(pattern, allowed) {
    add(allowed ? this.requestsMade : this.requestsRefused, pattern);
  }

  /** A ZAF `get` path, allowed (read) or refused. */
  addZafGet(path, allowed) {
    add(allowed ? this.zafGets : this.zafRefused, path);
  }

  toJSON() {
    const byResource = {};
    const group = (path) => {
      const resource = this.resourceOf(path);
      byResource[resource] ??= { fields_kept: 0, paths: {}, fields_dropped: 0, dropped_paths: {} };
      return byResource[resource];
    };
    for (const [path, count] of this.paths) {
      const entry = group(path);
      entry.fields_kept += count;
      entry.paths[path] = count;
    }
    for (const [path, count] of this.droppedPaths) {
      const entry = group(path);
      entry.fields_dropped += count;
      entry.dropped_paths[path] = count;
    }
    return {
      calls: this.calls,
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
      fields_kept: this.fieldsKept,
      fields_dropped: this.fieldsDropped,
      kept_paths: Object.fromEntries(this.paths),
      dropped_paths: Object.fromEntries(this.droppedPaths),
      redacted: Object.fromEntries(this.redacted),
      by_resource: byResource,
      unmatched: Object.fromEntries(this.unmatched),
      zaf: { read: Object.fromEntries(this.zafGets), refused: Object.fromEntries(this.zafRefused) },
      requests: { made: Object.fromEntries(this.requestsMade), refused: Object.fromEntries(this.requestsRefused) },
    };
  }
}

function add(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}
