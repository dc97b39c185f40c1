// Grouped bar charts as standalone SVG text, written by hand (no chart dependency): one
// group per x label, one bar per series, a value on each bar, a legend, y grid lines and
// an optional dashed target line.

const PALETTE = ['#1f73b7', '#5eae91', '#f79a3e', '#cc3340', '#8a5cb5', '#68737d'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function niceStep(max, ticks = 5) {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

function formatValue(value) {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * @param {{ title: string, subtitle?: string, unit: string, groups: string[],
 *           series: { name: string, values: (number | null)[] }[],
 *           line?: { value: number, label: string } }} chart
 *   a null value leaves its bar out (the contender did not run there)
 * @returns {string} SVG document
 */
export function barChart({ title, subtitle, unit, groups, series, line }) {
  const width = 860;
  const legendRows = Math.ceil((series.length + (line ? 1 : 0)) / 2);
  const top = 64;
  const plotHeight = 300;
  const bottom = top + plotHeight;
  const height = bottom + 40 + legendRows * 20 + 16;
  const left = 64;
  const right = width - 20;
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && Number.isFinite(v));
  const max = Math.max(...values, line?.value ?? 0, 1e-9) * 1.1;
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (v) => bottom - (v / yMax) * plotHeight;
  const groupWidth = (right - left) / groups.length;
  const barWidth = Math.min(36, (groupWidth * 0.8) / series.length);

  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="26" font-size="16" font-weight="600" fill="#2f3941">${escape(title)}</text>`);
  if (subtitle) out.push(`<text x="${left}" y="46" font-size="12" fill="#68737d">${escape(subtitle)}</text>`);
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    out.push(`<line x1="${left}" x2="${right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e9ebed"/>`);
    const tick = Number.isInteger(Math.round(v * 1e6) / 1e6) ? String(Math.round(v)) : formatValue(v);
    out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" fill="#68737d" text-anchor="end">${tick}</text>`);
  }
  out.push(`<text x="14" y="${(top + bottom) / 2}" font-size="11" fill="#68737d" transform="rotate(-90 14 ${(top + bottom) / 2})" text-anchor="middle">${escape(unit)}</text>`);
  groups.forEach((group, g) => {
    const x0 = left + g * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((s, i) => {
      const v = s.values[g];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const x = x0 + i * barWidth;
      out.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(bottom - y(v)).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${escape(`${s.name}, ${group}: ${formatValue(v)} ${unit}`)}</title></rect>`);
      out.push(`<text x="${(x + (barWidth - 2) / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" font-size="9" fill="#2f3941" text-anchor="middle">${formatValue(v)}</text>`);
    });
    out.push(`<text x="${(left + (g + 0.5) * groupWidth).toFixed(1)}" y="${bottom + 18}" font-size="12" fill="#2f3941" text-anchor="middle">${escape(group)}</text>`);
  });
  out.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#87929d"/>`);
  const legend = (i) => ({ lx: left + (i % 2) * 390, ly: bottom + 40 + Math.floor(i / 2) * 20 });
  series.forEach((s, i) => {
    const { lx, ly } = legend(i);
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 18}" y="${ly}" font-size="12" fill="#2f3941">${escape(s.name)}</text>`);
  });
  if (line) {
    // The target line's label goes in the legend, where no bar can hide it.
    out.push(`<line x1="${left}" x2="${right}" y1="${y(line.value).toFixed(1)}" y2="${y(line.value).toFixed(1)}" stroke="#cc3340" stroke-dasharray="6 4"/>`);
    const { lx, ly } = legend(series.length);
    out.push(`<line x1="${lx}" x2="${lx + 12}" y1="${ly - 4}" y2="${ly - 4}" stroke="#cc3340" stroke-width="2" stroke-dasharray="4 2"/>`);
    out.push(`<text x="${lx + 18}" y="${ly}" font-size="12" fill="#cc3340">${escape(line.label)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
