// Renders the session access report into the sidebar: one plain line of what never reached
// the app (always visible), and the report itself one click away (a disclosure button):
// the share first, then the chart, then per resource what reached the app beside what did
// not, what was read through ZAF, and what was refused before it left the page.
import { $, element } from './dom.js';
import { count, formatBytes, listInWords } from './format.js';
import { accessChart } from './chart.js';
import { summarize } from './access-summary.js';

function line(label, text) {
  const p = element('p', 'report__line');
  p.append(element('strong', '', `${label}: `), element('span', '', text));
  return p;
}

/** The always-visible line. */
function renderHeadline(s) {
  $('never-reached').replaceChildren(element('strong', 'never-reached__share', `${s.neverReachedPercent} %`),
    ' of what Zendesk sent never reached this app.');
  const masked = s.redacted.length ? `, and ${listInWords(s.redacted)} inside the fields it kept were masked` : '';
  $('never-reached-detail').textContent = s.calls === 0
    ? 'Nothing was read from Zendesk yet.'
    : `${count(s.fieldsDropped, ['field was', 'fields were'])} dropped before the app ran${masked}.`;
}

function renderReport(s) {
  const panel = $('access-report');
  panel.replaceChildren();
  panel.append(element('p', 'report__lead',
    `Zendesk sent ${formatBytes(s.bytesIn)} in ${count(s.calls, ['answer', 'answers'])}; ${formatBytes(s.bytesOut)} of it reached the app.`));
  panel.append(accessChart([
    { label: 'Bytes', reached: s.bytesOut, total: s.bytesIn, words: `${formatBytes(s.bytesOut)} of ${formatBytes(s.bytesIn)} reached the app` },
    { label: 'Fields', reached: s.fieldsKept, total: s.fieldsKept + s.fieldsDropped,
      words: `${count(s.fieldsKept, ['value', 'values'])} reached it, ${count(s.fieldsDropped, ['field', 'fields'])} were dropped` },
  ]));
  for (const r of s.resources) {
    const block = element('section', 'report__resource');
    block.append(element('h3', 'report__heading', r.label));
    block.append(line('Reached the app', r.kept.length ? listInWords(r.kept) : 'nothing'));
    if (r.notKept.length) block.append(line('Never reached it', listInWords(r.notKept)));
    panel.append(block);
  }
  if (s.droppedWhole.length) panel.append(line('Dropped whole from answers', listInWords(s.droppedWhole.map((n) => n.replace(/_/g, ' ')))));
  panel.append(line('Read through Zendesk\'s app framework', s.zafRead.length ? listInWords(s.zafRead) : 'nothing'));
  panel.append(line('Refused before leaving this page', s.refused.length ? listInWords(s.refused) : 'nothing'));
  panel.append(element('p', 'muted small',
    'Counted in this page\'s memory by the filter itself, never values: "Never reached it" names the fields Zendesk ' +
    'sent that the app\'s policy removed before the app ran.'));
}

/** Shows the session's report; `policy` is the document the app compiled. */
export function renderAccess(report, policy) {
  const s = summarize(report, policy);
  renderHeadline(s);
  renderReport(s);
  return s;
}

/** The disclosure: the report opens and closes under its button, which says its state. */
export function wireAccessToggle() {
  const toggle = $('access-toggle');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide what this app read' : 'Show what this app read';
    $('access-report').hidden = !open;
  });
}
