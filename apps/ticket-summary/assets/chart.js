// A small inline SVG chart of the session access report: bytes received vs kept and
// fields kept vs dropped, as horizontal bars on a shared scale per row. Built with DOM
// calls (no inline styles), so it renders under the app's strict CSP.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 280;
const LABEL = 92;
const BAR = 14;

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatBytes(n) {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/** @param {{ bytes_in: number, bytes_out: number, fields_kept: number, fields_dropped: number }} report */
export function accessChart(report) {
  const rows = [
    { label: 'Bytes in', value: report.bytes_in, max: report.bytes_in, text: formatBytes(report.bytes_in), kind: 'in' },
    { label: 'Bytes kept', value: report.bytes_out, max: report.bytes_in, text: formatBytes(report.bytes_out), kind: 'kept' },
    { label: 'Fields dropped', value: report.fields_dropped, max: Math.max(report.fields_dropped, report.fields_kept), text: String(report.fields_dropped), kind: 'dropped' },
    { label: 'Fields kept', value: report.fields_kept, max: Math.max(report.fields_dropped, report.fields_kept), text: String(report.fields_kept), kind: 'kept' },
  ];
  const height = rows.length * (BAR + 10) + 4;
  const title = `Bytes: ${formatBytes(report.bytes_in)} received, ${formatBytes(report.bytes_out)} kept. ` +
    `Fields: ${report.fields_kept} kept, ${report.fields_dropped} dropped.`;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: 'img', 'aria-labelledby': 'access-chart-title', class: 'chart__svg' });
  root.append(svg('title', { id: 'access-chart-title' }, title));
  rows.forEach((row, i) => {
    const y = 2 + i * (BAR + 10);
    const span = WIDTH - LABEL - 56;
    const width = row.max > 0 ? Math.max(2, Math.round((span * row.value) / row.max)) : 2;
    root.append(svg('text', { x: 0, y: y + BAR - 3, class: 'chart__label' }, row.label));
    root.append(svg('rect', { x: LABEL, y, width: span, height: BAR, rx: 3, class: 'chart__track' }));
    root.append(svg('rect', { x: LABEL, y, width, height: BAR, rx: 3, class: `chart__bar chart__bar--${row.kind}` }));
    root.append(svg('text', { x: LABEL + width + 4, y: y + BAR - 3, class: 'chart__value' }, row.text));
  });
  return root;
}
