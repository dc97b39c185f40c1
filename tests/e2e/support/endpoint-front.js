// A transparent HTTP front for the leastdata endpoint in the job tests: it forwards every
// request to the endpoint and records each one's method, path and body — so a test can show
// that no request body the endpoint received held personal data — and it can be taken down,
// refusing connections, to play an endpoint that is unavailable.
import { request as httpRequest, createServer } from 'node:http';

/**
 * @param {string | (() => string)} target the endpoint's origin (http://127.0.0.1:PORT), or a
 *   function giving it (the endpoint may start after the front)
 * @returns {Promise<{ origin: string, received: Array<{ method: string, path: string, body: string }>,
 *   down(): void, up(): void, close(): Promise<void> }>}
 */
export async function startEndpointFront(target) {
  const received = [];
  let available = true;
  const server = createServer((req, res) => {
    if (!available) {
      req.socket.destroy();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method, path: req.url, body: body.toString('utf8') });
      const to = new URL(req.url, typeof target === 'function' ? target() : target);
      const forward = httpRequest(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    received,
    down() {
      available = false;
    },
    up() {
      available = true;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
