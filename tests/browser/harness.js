// Shared by the browser tests: a static server for the repository on 127.0.0.1 (with
// per-path response headers, e.g. a strict CSP) and headless Debian Chromium driven by
// playwright-core, started with the flags this environment needs and a fresh profile.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { inside, sendFile } from '../../demo/static-files.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Serves files under `root` (default: the repository) on 127.0.0.1 at a free port.
 * @param {{ root?: string, headers?: (path: string) => Record<string, string>,
 *           routes?: Record<string, (req: any, res: any) => void> }} [options]
 *   `headers` adds response headers per URL path; `routes` handles exact paths itself.
 */
export async function startServer(options = {}) {
  const root = options.root ?? ROOT;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const route = options.routes?.[url.pathname];
    if (route) return route(req, res);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // browsers ask for it; a 404 would show as a console error
      return;
    }
    const path = inside(root, decodeURIComponent(url.pathname));
    if (path === undefined) {
      res.writeHead(403).end();
      return;
    }
    await sendFile(res, path, options.headers?.(url.pathname) ?? {}, () =>
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Chromium flags for this environment: root (no sandbox), no GPU, and no background
 * traffic (the network is closed; Chromium would otherwise retry Google hosts).
 * Playwright adds --headless and a fresh, temporary --user-data-dir itself.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Debian's Chromium headless with a fresh profile; returns the Browser. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** Collects uncaught page errors and console errors of a page, for assertions. */
export function watchPage(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
