// A ticket status as Zendesk shows it: a coloured tag per status (new yellow, open red,
// pending blue, on-hold dark, solved grey, closed light), drawn with Garden's tag hues, whose
// text colours keep at least 4.5:1 contrast on each background.
import { element } from './dom.js';

const HUE = { new: 'c-tag--yellow', open: 'c-tag--red', pending: 'c-tag--blue', hold: 'c-tag--dark', solved: 'c-tag--grey', closed: '' };
const LABEL = { hold: 'on-hold' };

export function statusTag(status) {
  const tag = element('span', `c-tag c-tag--sm status-tag ${HUE[status] ?? ''}`.trim(), LABEL[status] ?? status);
  tag.title = `Status: ${LABEL[status] ?? status}`;
  return tag;
}
