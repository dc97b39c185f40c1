// The few DOM helpers both pages use. Text goes in through textContent only, never HTML:
// what Zendesk or the endpoint sends can never become markup.

export const $ = (id) => document.getElementById(id);

/** A new element with an optional class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Fills a <dl> with [term, value] pairs; a missing value shows as a dash. */
export function facts(list, entries) {
  list.replaceChildren();
  for (const [term, value] of entries) list.append(element('dt', '', term), element('dd', '', value ?? '–'));
  return list;
}

/** A button of Garden's with `label`, calling `onClick`. */
export function button(label, onClick, variant = 'basic') {
  const node = element('button', `c-btn c-btn--sm${variant ? ` c-btn--${variant}` : ''}`, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}
