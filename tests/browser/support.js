// Helpers shared by the browser test files (on top of harness.js): build-output checks,
// the CSP under test, and a page factory that records page errors, console errors and
// Content-Security-Policy violations from the very first script of the document on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { launchChromium, ROOT, startServer, watchPage } from './harness.js';

/** The CSP a Zendesk app page is expected to run under (DESIGN §4). */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
/** The same without 'wasm-unsafe-eval': compiling wasm must be refused under it. */
export const NO_WASM_CSP = "default-src 'self'; script-src 'self'";

/** Fails early, with the command that makes them, when build outputs are missing. */
export function requireBuilt(relativePaths, hint) {
  const missing = relativePaths.filter((path) => !existsSync(join(ROOT, path)));
  if (missing.length) {
    throw new Error(`missing build output ${missing.join(', ')}: run ${hint}`);
  }
}

export const PACKAGE_HINT = '`bash scripts/build package`';

// Runs before any script of every document of the context (CDP
// addScriptToEvaluateOnNewDocument, which the page's CSP does not govern), so no
// violation can happen before the listener exists.
function recordViolations() {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push({
      directive: event.violatedDirective,
      effective: event.effectiveDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      disposition: event.disposition,
    });
  });
}

/**
 * A fresh context (own storage, cookies, cache) and page. `errors` collects page errors
 * and console errors; `violations()` reads the page's securitypolicyviolation events.
 */
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  await context.addInitScript(recordViolations);
  const page = await context.newPage();
  const errors = watchPage(page);
  return {
    context,
    page,
    errors,
    violations: () => page.evaluate(() => window.__violations ?? []),
    close: () => context.close(),
  };
}

/** Errors other than those matching one of `expected` (regular expressions). */
export function unexpected(errors, expected = []) {
  return errors.filter((error) => !expected.some((pattern) => pattern.test(error)));
}

/**
 * Loads the package's browser entry and the page helpers into the page as `window.t`
 * ({ load, LeastDataError, ...pages/util.js, ld: a loaded instance }).
 */
export async function installPackage(page) {
  await page.evaluate(async () => {
    const [leastdata, util] = await Promise.all([import('/dist/browser.js'), import('/tests/browser/pages/util.js')]);
    util.useErrorClass(leastdata.LeastDataError);
    window.t = { ...leastdata, ...util, ld: await leastdata.load() };
  });
}

/**
 * Runs `fn(t, arg)` in the page, `t` being what installPackage set up. `fn` must be
 * self-contained (it is sent as source text); `arg` must be serialisable.
 */
export function runInPage(page, fn, arg) {
  return page.evaluate(
    async ([source, value]) => {
      // Test-side only (the test pages have no CSP): rebuilds the test's function in the page.
      const body = new Function(`return (${source})`)();
      return body(window.t, value);
    },
    [fn.toString(), arg],
  );
}

/**
 * For a test file whose tests share one page with the package installed (like one app
 * session): before them, starts the test server (`serverOptions`, e.g. extra routes) and
 * Chromium and installs the package in a blank page; after them, closes all three.
 * @returns {{ server(): object, session(): ReturnType<typeof openPage> extends Promise<infer S> ? S : never,
 *             inPage(fn: Function, arg?: unknown): Promise<any> }}
 */
export function usePackagePage(serverOptions = {}) {
  const state = {};
  before(async () => {
    requireBuilt(['dist/browser.js', 'dist/leastdata.mjs', 'dist/leastdata.wasm'], PACKAGE_HINT);
    [state.server, state.browser] = await Promise.all([startServer(serverOptions), launchChromium()]);
    state.session = await openPage(state.browser);
    await state.session.page.goto(`${state.server.origin}/tests/browser/pages/blank.html`);
    await installPackage(state.session.page);
  });
  after(async () => {
    await state.session?.close();
    await state.browser?.close();
    await state.server?.close();
  });
  return {
    server: () => state.server,
    session: () => state.session,
    inPage: (fn, arg) => runInPage(state.session.page, fn, arg),
  };
}
