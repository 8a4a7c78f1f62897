/* Timed JSON GETs against the router on its loopback server, and their percentiles. */
import http from 'http';
import { now, percentile } from './util';

/** GET url; resolves with the parsed body, rejects unless the status is 200. */
export function getJson(agent: http.Agent, url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, res => {
        const chunks: Buffer[] = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200)
            reject(new Error(`GET ${url}: ${res.statusCode} ${body}`));
          else resolve(JSON.parse(body));
        });
      })
      .on('error', reject);
  });
}

/** `warmup` untimed calls, then `calls` timed ones (ms each); call i gets its index. */
export async function sample(
  fn: (i: number) => Promise<unknown>,
  calls: number,
  warmup = Math.ceil(calls / 10),
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = now();
    await fn(i);
    out.push(now() - t0);
  }
  return out;
}

export const stats = (xs: number[]) => ({
  calls: xs.length,
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  max: Math.max(...xs),
});
