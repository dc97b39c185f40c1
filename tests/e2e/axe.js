// Accessibility checks with axe-core (npm) in Chromium: the page and the app's frame are
// checked separately (the frame is cross-origin, so axe cannot reach into it from the page),
// axe's source is evaluated through the DevTools protocol, which the pages' strict CSPs do
// not govern. Every state the e2e suites walk must have no serious or critical violation;
// the counts of all violations, by impact, are kept for the report.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Every axe violation of `target` (a Page or a Frame), the app's iframe left out of the page. */
export async function axeViolations(target) {
  await target.evaluate(AXE_SOURCE);
  return target.evaluate(async () => {
    const result = await window.axe.run(document, { iframes: false, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

/** Counts by impact, e.g. { serious: 0, critical: 0, moderate: 1, minor: 0 }. */
export function byImpact(violations) {
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) counts[v.impact] = (counts[v.impact] ?? 0) + 1;
  return counts;
}

/** The violations that fail a state: serious and critical. */
export const blocking = (violations) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
