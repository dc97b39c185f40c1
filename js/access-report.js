// The session access report: every ledger of this session, aggregated by path and by
// resource. Counts only — a ledger never holds values, and neither does this.

// Top-level members Zendesk uses, by the resource they carry (DESIGN §2.2).
const RESOURCE_OF_MEMBER = {
  ticket: 'ticket', tickets: 'ticket',
  user: 'user', users: 'user',
  organization: 'organization', organizations: 'organization',
  comment: 'comment', comments: 'comment',
  results: 'search_results',
};

function resourceOf(path) {
  const first = path.replace(/^\[\]\.?/, '').split(/[.[]/, 1)[0];
  return RESOURCE_OF_MEMBER[first] ?? 'other';
}

export class AccessReport {
  constructor() {
    this.reset();
  }

  reset() {
    this.calls = 0;
    this.bytesIn = 0;
    this.bytesOut = 0;
    this.fieldsKept = 0;
    this.fieldsDropped = 0;
    this.paths = new Map();
    this.zafGets = new Map();
    this.zafRefused = new Map();
  }

  /** @param {{bytes_in:number,bytes_out:number,fields_kept:number,fields_dropped:number,kept_paths:Record<string,number>}} ledger */
  addLedger(ledger) {
    this.calls += 1;
    this.bytesIn += ledger.bytes_in;
    this.bytesOut += ledger.bytes_out;
    this.fieldsKept += ledger.fields_kept;
    this.fieldsDropped += ledger.fields_dropped;
    for (const [path, count] of Object.entries(ledger.kept_paths)) {
      this.paths.set(path, (this.paths.get(path) ?? 0) + count);
    }
  }

  /** A ZAF `get` path, allowed (read) or refused. */
  addZafGet(path, allowed) {
    const map = allowed ? this.zafGets : this.zafRefused;
    map.set(path, (map.get(path) ?? 0) + 1);
  }

  toJSON() {
    const byResource = {};
    for (const [path, count] of this.paths) {
      const resource = resourceOf(path);
      byResource[resource] ??= { fields_kept: 0, paths: {} };
      byResource[resource].fields_kept += count;
      byResource[resource].paths[path] = count;
    }
    return {
      calls: this.calls,
      bytes_in: this.bytesIn,
      bytes_out: this.bytesOut,
      fields_kept: this.fieldsKept,
      fields_dropped: this.fieldsDropped,
      kept_paths: Object.fromEntries(this.paths),
      by_resource: byResource,
      zaf: { read: Object.fromEntries(this.zafGets), refused: Object.fromEntries(this.zafRefused) },
    };
  }
}
