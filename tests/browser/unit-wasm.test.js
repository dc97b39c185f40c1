// The Catch2 unit suite compiled to wasm for the web (target leastdata_tests_web, see
// browser_tests.cmake), run inside a Chromium page: the same C++ tests as the native and
// the Node run, on the browser's WebAssembly engine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchChromium, startServer } from './harness.js';
import { openPage, requireBuilt } from './support.js';

const MODULE = 'build/wasm/leastdata_tests_web.mjs';
// Extra Catch2 arguments, to run part of the suite: LEASTDATA_UNIT_ARGS='[filter]' or a
// JSON array for names with spaces: LEASTDATA_UNIT_ARGS='["filter: *"]'.
const EXTRA_ARGS = (() => {
  const value = process.env.LEASTDATA_UNIT_ARGS?.trim();
  if (!value) return [];
  return value.startsWith('["') ? JSON.parse(value) : value.split(/\s+/);
})();

let server;
let browser;
before(async () => {
  requireBuilt([MODULE, 'build/wasm/leastdata_tests_web.wasm'],
    '`. scripts/env.sh && cmake --build --preset wasm --target leastdata_tests_web`');
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The failing test cases' sections of a Catch2 console report, for the assertion message. */
function failureSections(lines) {
  const rule = /^-{20,}$/;
  const sections = [];
  let current = null;
  for (let i = 0; i < lines.length; i++) {
    // A test case header: a rule, the name (one or more lines), a rule, its location, dots.
    if (rule.test(lines[i]) && current?.header !== true) {
      if (current && current.failed) sections.push(current.lines.join('\n'));
      current = { header: true, lines: [lines[i]], failed: false };
      continue;
    }
    if (current === null) continue;
    if (rule.test(lines[i])) current.header = false;
    current.lines.push(lines[i]);
    if (/FAILED:|due to unexpected exception/.test(lines[i])) current.failed = true;
    if (/^={20,}$/.test(lines[i])) break;
  }
  if (current && current.failed) sections.push(current.lines.join('\n'));
  return sections;
}

test('the Catch2 suite passes inside Chromium', { timeout: 120_000 }, async (t) => {
  const { page, errors, close } = await openPage(browser);
  await page.goto(`${server.origin}/tests/browser/pages/blank.html`);
  const run = await page.evaluate(async ({ url, args }) => {
    const { default: createUnitTests } = await import(url);
    const lines = [];
    const module = await createUnitTests({
      print: (line) => lines.push(line),
      printErr: (line) => lines.push(line),
    });
    const started = performance.now();
    let status;
    try {
      status = module.callMain(['--use-colour', 'no', ...args]);
    } catch (error) {
      lines.push(`callMain threw: ${error?.stack ?? error}`);
      status = -1;
    }
    return { status, lines, ms: Math.round(performance.now() - started), userAgent: navigator.userAgent };
  }, { url: `/${MODULE}`, args: EXTRA_ARGS });
  await close();

  const summary = run.lines.find((line) => /^All tests passed|^test cases:/.test(line)) ?? '(no summary)';
  const failures = failureSections(run.lines);
  const detail = failures.length ? failures.join('\n\n') : run.lines.slice(-40).join('\n');
  assert.match(run.userAgent, /HeadlessChrome|Chrome/);
  assert.deepEqual(errors, [], 'no page or console errors');
  assert.equal(run.status, 0, `Catch2 exit status ${run.status} in Chromium: ${summary}\n\n${detail}`);
  const passed = /^All tests passed \((\d+) assertions? in (\d+) test cases?\)/.exec(summary);
  assert.ok(passed, `Catch2 summary: ${summary}\n\n${detail}`);
  assert.ok(Number(passed[2]) > 0, 'some test cases ran');
  t.diagnostic(`${summary} in ${run.ms} ms`);
});
