// The admin's settings: what every agent's sidebar reads. Both take something away — a
// setting turned off means the sidebar does not even ask Zendesk for that data — and both
// are the installation's settings (installation.js), so Admin Center shows the same values.
import { $ } from './dom.js';
import { saveInstallationSettings } from './installation.js';
import { sidebarOptions } from './ticket-data.js';

/**
 * @param {{ zaf: any, installationId: number, settings: Record<string, unknown>, part: import('./part.js').Part }} options
 */
export function wireSettings({ zaf, installationId, settings, part }) {
  const form = $('settings-form');
  const fill = (values) => {
    const options = sidebarOptions(values);
    $('show-conversation').checked = options.conversation;
    $('show-related-tickets').checked = options.relatedTickets;
  };
  fill(settings);
  // Always handled here: the page's CSP (form-action 'none') would block a real submission.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = { show_conversation: $('show-conversation').checked, show_related_tickets: $('show-related-tickets').checked };
    part.run(async () => {
      const saved = await saveInstallationSettings(zaf, installationId, values);
      fill({ ...values, ...saved });
      return 'Saved. Each agent\'s sidebar uses the new settings from the next ticket it opens.';
    });
  });
  return { fill };
}
