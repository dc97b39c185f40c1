// The session access report (ld.accessReport()) read for people: the share of what Zendesk
// sent that never reached the app, and per resource what reached it beside what did not —
// both as the filter recorded them (kept_paths, dropped_paths), and what the redaction rules
// masked inside the fields that did reach it (redacted). Pure functions of the report and
// the policy document, so the view and the tests agree.
import { percent } from './format.js';

// The report's resources (the core's table of envelopes) in words.
const RESOURCE_WORDS = {
  ticket: 'This ticket', user: 'People', organization: 'Organization', comment: 'Comments',
  search_results: 'Other tickets (search)', other: 'Paging and error details',
};
// Which policy resource (and so which documented fields) each report resource stands for.
const POLICY_RESOURCE = { search_results: 'ticket' };

/** The top-level members a selection names, with whether a predicate limits them: "a,b[id=1](x)". */
export function selectedMembers(selection = '') {
  const members = new Map();
  let depth = 0;
  let item = '';
  const flush = () => {
    const match = /^\s*([^[(\s]+)\s*(\[)?/.exec(item);
    if (match) members.set(match[1], { limited: Boolean(match[2]) || members.get(match[1])?.limited === true });
    item = '';
  };
  for (const ch of selection) {
    if (ch === '(' || ch === '[') depth += 1;
    if (ch === ')' || ch === ']') depth -= 1;
    if (ch === ',' && depth === 0) flush();
    else item += ch;
  }
  flush();
  return members;
}

const words = (name) => name.replace(/_/g, ' ');

// The detectors' findings in words, for "… in the description were masked".
const DETECTOR_WORDS = {
  email: ['email address', 'email addresses'], phone: ['phone number', 'phone numbers'],
  credit_card: ['card number', 'card numbers'], iban: ['IBAN', 'IBANs'], ip: ['IP address', 'IP addresses'],
  url_secret: ['secret in a link', 'secrets in links'], jwt: ['access token', 'access tokens'],
};

// The members (the step after the envelope) that paths name, once each, in order:
// tickets[].subject → subject, ticket.custom_fields[].value → custom_fields.
const membersOf = (paths) =>
  [...new Set(Object.keys(paths).map((path) => path.split('.')[1]?.replace(/\[\]$/, '')).filter(Boolean))];

/**
 * @param {ReturnType<import('./leastdata/browser.js').LeastData['accessReport']>} report
 * @param {object} policy the policy document the app compiled
 */
export function summarize(report, policy) {
  // Members a redaction rule masks (rule paths end in the member: ticket.description).
  const masked = new Set((policy.redact?.rules ?? []).map((rule) => rule.path.split('.').pop()));
  const resources = [];
  for (const [resource, { paths, dropped_paths: droppedPaths }] of Object.entries(report.by_resource)) {
    const policyResource = POLICY_RESOURCE[resource] ?? resource;
    const declared = selectedMembers(policy.resources?.[policyResource]);
    const keptMembers = membersOf(paths);
    const kept = keptMembers.map((member) => {
      let label = words(member);
      if (declared.get(member)?.limited) label += ' (chosen ones only)';
      if (masked.has(member)) label += ' (masked)';
      return label;
    });
    // A member some of whose parts reached the app (custom_fields: the chosen ones) is listed
    // as kept; what is left never reached the app at all.
    const notKept = membersOf(droppedPaths).filter((member) => !keptMembers.includes(member)).map(words);
    resources.push({ resource, label: RESOURCE_WORDS[resource] ?? words(resource), kept, notKept, values: Object.values(paths).reduce((a, b) => a + b, 0) });
  }
  const redacted = Object.entries(report.redacted ?? {}).map(([type, n]) => {
    const [one, many] = DETECTOR_WORDS[type] ?? [words(type), words(type)];
    return `${n === 1 ? 'one' : n} ${n === 1 ? one : many}`;
  });
  const refused = [...Object.keys(report.requests?.refused ?? {}), ...Object.keys(report.zaf?.refused ?? {})];
  return {
    calls: report.calls,
    bytesIn: report.bytes_in,
    bytesOut: report.bytes_out,
    neverReachedPercent: percent(report.bytes_in - report.bytes_out, report.bytes_in),
    fieldsKept: report.fields_kept,
    fieldsDropped: report.fields_dropped,
    keptNames: Object.keys(report.kept_paths).length,
    resources,
    redacted,
    droppedWhole: Object.keys(report.unmatched ?? {}),
    zafRead: Object.keys(report.zaf?.read ?? {}),
    refused,
  };
}
