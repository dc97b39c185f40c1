// The session access report (ld.accessReport()) read for people: the share of what Zendesk
// sent that never reached the app, and per resource what reached it beside what did not.
// Pure functions of the report and the policy document, so the view and the tests agree.
import { DOCUMENTED_FIELDS } from './zendesk-fields.js';
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

/**
 * @param {ReturnType<import('./leastdata/browser.js').LeastData['accessReport']>} report
 * @param {object} policy the policy document the app compiled
 */
export function summarize(report, policy) {
  // Members a redaction rule masks (rule paths end in the member: ticket.description).
  const masked = new Set((policy.redact?.rules ?? []).map((rule) => rule.path.split('.').pop()));
  const resources = [];
  for (const [resource, { paths }] of Object.entries(report.by_resource)) {
    const policyResource = POLICY_RESOURCE[resource] ?? resource;
    const declared = selectedMembers(policy.resources?.[policyResource]);
    // Paths are envelope.member… (tickets[].subject, ticket.custom_fields[].value): the member
    // is the step after the envelope.
    const seen = [...new Set(Object.keys(paths).map((path) => path.split('.')[1]?.replace(/\[\]$/, '')).filter(Boolean))];
    const kept = seen.map((member) => {
      let label = words(member);
      if (declared.get(member)?.limited) label += ' (chosen ones only)';
      if (masked.has(member)) label += ' (masked)';
      return label;
    });
    const documented = DOCUMENTED_FIELDS[policyResource] ?? [];
    const notKept = documented.filter((member) => !declared.has(member)).map(words);
    resources.push({ resource, label: RESOURCE_WORDS[resource] ?? words(resource), kept, notKept, values: Object.values(paths).reduce((a, b) => a + b, 0) });
  }
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
    droppedWhole: Object.keys(report.unmatched ?? {}),
    zafRead: Object.keys(report.zaf?.read ?? {}),
    refused,
  };
}
