// One part of a page that loads on its own (the ticket, the endpoint's report, …) and says
// truthfully where it is: loading (a Garden-style skeleton, its form disabled, aria-busy),
// ready (its content), or failed (what happened, what to do next, and a Retry button). A
// part's failure never hides the others, and nothing claims "ready" while a part still loads.
//
// Markup: <section data-part> holding a `.part__body` (the content; a <fieldset> in it is
// disabled until the part is ready) and an empty `.part__status` (aria-live="polite") for the
// words, so a screen reader hears each change once.
import { button, element } from './dom.js';
import { explain } from './messages.js';

export class Part {
  /**
   * @param {HTMLElement} section
   * @param {{ loading: string, failed: string, from?: 'zendesk'|'endpoint' }} words
   *   `loading`: "Reading the ticket…"; `failed`: "The ticket could not be read."
   */
  constructor(section, words) {
    this.section = section;
    this.words = words;
    this.body = section.querySelector('.part__body');
    this.status = section.querySelector('.part__status');
    this.skeleton = element('div', 'skeleton');
    this.skeleton.setAttribute('aria-hidden', 'true');
    for (let i = 0; i < 3; i++) this.skeleton.append(element('span', 'skeleton__line'));
    this.state = 'idle';
  }

  /**
   * Runs `task` (which loads and renders) as this part's work; on failure shows why, with a
   * Retry that runs it again. A string the task resolves with is shown as the part's status.
   * Resolves true when it succeeded.
   * @param {() => Promise<unknown>} task
   */
  async run(task) {
    this.task = task;
    this.loading();
    try {
      const result = await task();
      this.ready(typeof result === 'string' ? result : '');
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  loading(text = this.words.loading) {
    this.state = 'loading';
    this.section.setAttribute('aria-busy', 'true');
    this.section.dataset.state = 'loading';
    this.setDisabled(true);
    if (this.body) this.body.hidden = true;
    this.status.className = 'part__status';
    this.status.replaceChildren(element('span', 'part__words', text), this.skeleton);
  }

  ready(text = '') {
    this.state = 'ready';
    this.section.setAttribute('aria-busy', 'false');
    this.section.dataset.state = 'ready';
    this.setDisabled(false);
    if (this.body) this.body.hidden = false;
    this.status.className = 'part__status';
    this.status.replaceChildren(...(text ? [element('span', 'part__words', text)] : []));
  }

  failed(error) {
    this.state = 'failed';
    this.error = error;
    this.section.setAttribute('aria-busy', 'false');
    this.section.dataset.state = 'failed';
    this.setDisabled(true);
    if (this.body) this.body.hidden = true;
    const { text, next, code } = explain(error, this.words.from);
    const alert = element('div', 'problem');
    alert.append(element('p', 'problem__title', `${this.words.failed} ${text}`), element('p', 'problem__next', next),
      element('p', 'problem__code', `Code: ${code}`));
    if (this.task) alert.append(button('Retry', () => this.run(this.task)));
    this.status.className = 'part__status part__status--failed';
    this.status.replaceChildren(alert);
  }

  setDisabled(disabled) {
    for (const fieldset of this.section.querySelectorAll('fieldset')) fieldset.disabled = disabled;
  }
}
