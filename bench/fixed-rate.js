// An open-loop load generator at a fixed request rate (Debian's wrk has no rate option;
// that is wrk2's -R). Request i is due at start + i / rate whether or not earlier ones
// have answered, and its latency is counted from that due time, not from when it was
// sent: a stalled server then shows as latency instead of silently lowering the rate
// (no coordinated omission). Requests go over a pool of keep-alive connections.
import { Agent, request } from 'node:http';

import { median, percentile } from './timing.js';

/**
 * @param {{ url: string, method: string, headers: Record<string, string>, body?: string,
 *           rate: number, durationMs: number, warmupMs: number, connections?: number }} options
 *   the first `warmupMs` of requests are sent but not counted
 * @returns {Promise<object>} achieved rate, latency percentiles (ms, from the due time),
 *   service-time percentiles (ms, from when a connection took the request), and the
 *   non-2xx / error counts
 */
export function fixedRate({ url, method, headers, body, rate, durationMs, warmupMs, connections = 64 }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const interval = 1000 / rate;
  const total = Math.round(((warmupMs + durationMs) / 1000) * rate);
  const counted = Math.round((warmupMs / 1000) * rate);
  const latencies = [];
  const service = [];
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  let lastEnd = 0;
  const requestHeaders = { ...headers, ...(body === undefined ? { 'content-length': '0' } : { 'content-length': String(Buffer.byteLength(body)) }) };

  return new Promise((resolve) => {
    const start = performance.now() + 50;
    const firstCountedDue = start + counted * interval;
    const finish = () => {
      agent.destroy();
      const seconds = (lastEnd - firstCountedDue) / 1000;
      resolve({
        rate_target: rate,
        rate_achieved: latencies.length / seconds,
        requests: latencies.length,
        duration_s: durationMs / 1000,
        warmup_s: warmupMs / 1000,
        connections,
        p50_ms: median(latencies),
        p90_ms: percentile(latencies, 90),
        p99_ms: percentile(latencies, 99),
        max_ms: Math.max(...latencies),
        service_p50_ms: median(service),
        service_p99_ms: percentile(service, 99),
        non_2xx: non2xx,
        errors,
      });
    };
    const fire = (index) => {
      const due = start + index * interval;
      let sent = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers: requestHeaders, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            const end = performance.now();
            if (index >= counted) {
              latencies.push(end - due);
              service.push(end - sent);
              if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
              lastEnd = Math.max(lastEnd, end);
            }
            if (++done === total) finish();
          });
        },
      );
      // Service time starts when a connection takes the request, not while it waits for one.
      req.on('socket', () => {
        sent = performance.now();
      });
      req.on('error', () => {
        errors++;
        if (++done === total) finish();
      });
      req.end(body);
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) fire(next++);
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, 50);
  });
}
