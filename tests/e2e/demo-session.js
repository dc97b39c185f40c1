// What the two e2e suites of the demo share: the demo started on free ports with its state
// in a temporary directory, Chromium, the app's frame, screenshots, signing in with Zendesk
// in the popup, and axe checks per state, recorded in test-results/demo/accessibility.json.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ENDPOINT_BIN, launchDemo } from '../../demo/launch.js';
import { ROOT, launchChromium, watchPage } from '../browser/harness.js';
import { axeViolations, blocking, byImpact } from './axe.js';

for (const file of [ENDPOINT_BIN, join(ROOT, 'apps/ticket-summary/assets/leastdata/browser.js'), join(ROOT, 'apps/ticket-summary/assets/zaf_sdk.js')]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/build all`);
}

export const SHOTS = join(ROOT, 'test-results', 'demo');
const AXE_LOG = join(SHOTS, 'accessibility.json');

export async function startSession() {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'leastdata-demo-'));
  const demo = await launchDemo({ port: 0, dataDir });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const session = {
    demo, browser, context, page,
    pageErrors: watchPage(page),
    popupErrors: [],
    requests: [],
    popupRequests: [],
    async close() {
      await browser.close();
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  page.on('request', (request) => session.requests.push(request.url()));
  context.on('page', (popup) => {
    if (popup === page) return;
    session.popupErrors.push(watchPage(popup));
    popup.on('request', (request) => session.popupRequests.push(request.url()));
  });
  return session;
}

/** The workspace at `query` (e.g. '?as=admin&view=admin'), and the app's frame once it started. */
export async function openApp(session, query = '') {
  await session.page.goto(`${session.demo.url}${query}`);
  return appFrame(session.page);
}

export async function appFrame(page) {
  const frame = await (await page.waitForSelector('iframe#app')).contentFrame();
  await frame.waitForSelector('body[data-ready]', { timeout: 60_000 });
  assert.equal(await frame.getAttribute('body', 'data-ready'), 'true', await frame.textContent('body'));
  return frame;
}

export async function shot(page, name, { app = false } = {}) {
  const path = join(SHOTS, `${name}.png`);
  if (app) await page.locator('iframe#app').screenshot({ path });
  else await page.screenshot({ path });
  return path;
}

/** The sidebar column at `width` px, as a narrower Zendesk sidebar would be. */
export async function setSidebarWidth(page, width) {
  await page.$eval('.apps', (el, w) => { el.style.width = `${w}px`; }, width);
}

// Signs in as the app does: the click opens Zendesk's consent page in a popup, Allow sends
// it to the endpoint's callback page, which hands the code to the app.
export async function signIn(session, frame, buttonSelector, { picture } = {}) {
  const [popup] = await Promise.all([session.context.waitForEvent('page'), frame.click(buttonSelector)]);
  await popup.waitForSelector('#allow');
  if (picture) await popup.screenshot({ path: join(SHOTS, picture) });
  await popup.click('#allow');
  return popup;
}

/**
 * axe on the workspace page and on the app's frame in the state `state`; fails on any
 * serious or critical violation, and records every count in accessibility.json.
 */
export async function assertAccessible(page, frame, state) {
  const results = { workspace: await axeViolations(page), app: await axeViolations(frame) };
  mkdirSync(SHOTS, { recursive: true });
  const log = existsSync(AXE_LOG) ? JSON.parse(readFileSync(AXE_LOG, 'utf8')) : {};
  log[state] = { workspace: byImpact(results.workspace), app: byImpact(results.app), violations: results };
  writeFileSync(AXE_LOG, `${JSON.stringify(log, null, 2)}\n`);
  for (const [where, violations] of Object.entries(results)) {
    assert.deepEqual(blocking(violations), [], `${state}, ${where}: serious or critical axe violations`);
  }
  return results;
}
