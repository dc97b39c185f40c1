// The access report's chart: one bar per measure (bytes, fields), the part that reached the
// app in green and the part that never did in grey, the same two colours on every bar. The
// bars are drawn in percent of their width, so the chart fills any sidebar (320 px down to
// 240 px) without scaling text: the words stay in HTML beside it, and the SVG is decoration
// for them (aria-hidden), so nothing is said twice to a screen reader. Built with DOM calls,
// no inline styles: it renders under the app's strict CSP.
import { element } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const BAR_HEIGHT = 12;

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function bar(reached, total) {
  const root = svg('svg', { width: '100%', height: BAR_HEIGHT, class: 'chart__bar', 'aria-hidden': 'true', focusable: 'false' });
  const share = total > 0 ? (100 * reached) / total : 0;
  // A part that exists stays visible (at least 1 %), however small.
  const shown = reached > 0 ? Math.max(share, 1) : 0;
  root.append(svg('rect', { x: 0, y: 0, width: '100%', height: BAR_HEIGHT, rx: 2, class: 'chart__never' }));
  if (shown > 0) root.append(svg('rect', { x: 0, y: 0, width: `${shown}%`, height: BAR_HEIGHT, rx: 2, class: 'chart__reached' }));
  return root;
}

/**
 * @param {{ label: string, reached: number, total: number, words: string }[]} rows
 *   e.g. { label: 'Bytes', reached: 1210, total: 48211, words: '1.2 KB of 47.1 KB reached the app' }
 */
export function accessChart(rows) {
  const figure = element('div', 'chart');
  for (const row of rows) {
    const item = element('div', 'chart__row');
    const caption = element('p', 'chart__caption');
    caption.append(element('span', 'chart__label', `${row.label}: `), element('span', '', row.words));
    item.append(caption, bar(row.reached, row.total));
    figure.append(item);
  }
  const legend = element('p', 'chart__legend');
  for (const [kind, words] of [['reached', 'reached the app'], ['never', 'never reached it']]) {
    const key = element('span', 'chart__key');
    key.append(element('span', `chart__swatch chart__swatch--${kind}`), words);
    legend.append(key);
  }
  legend.setAttribute('aria-hidden', 'true');
  figure.append(legend);
  return figure;
}
