// How numbers, sizes and dates read in both pages: in words a person uses, in UTC (the
// endpoint's clock and the certificate's), never the browser's guess of a locale.

export const formatBytes = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB`
  : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`);

/** "3 agents", "1 agent": `forms` is [singular, plural]. */
export const count = (n, [one, many]) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** A list in prose: "a", "a and b", "a, b and c". */
export function listInWords(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });

/** "2 May 2024" */
export const formatDay = (text) => DATE.format(new Date(text));
/** "2 May 2024 at 09:14:03 UTC" */
export const formatMoment = (text) => `${formatDay(text)} at ${TIME.format(new Date(text))} UTC`;
/** A share in whole percent, never 100 % unless it is all of it (and never 0 % unless none). */
export function percent(part, whole) {
  if (whole <= 0) return 0;
  const value = Math.round((100 * part) / whole);
  if (value === 100 && part < whole) return 99;
  if (value === 0 && part > 0) return 1;
  return value;
}
