import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { distribution, nowMs, round, type Distribution } from '../stats.js';

export interface HttpCall {
  method: string;
  path: string;
  token?: string;
  body?: unknown;
}

export interface HttpRun {
  requests: number;
  perSec: number;
  latencyMs: Distribution;
  statuses: Record<string, number>;
  errors: number;
  /** The runner's own event loop was the bottleneck. */
  generatorSaturated: boolean;
  responses: { status: number; body: unknown }[];
}

/** One HTTP request on a keep-alive agent; resolves with status and parsed JSON. */
export function call(
  agent: Agent,
  base: string,
  { method, path, token, body }: HttpCall,
  localAddress?: string,
): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `calls` with `concurrency` in flight (closed loop), or for `untilMs` repeating them. */
export async function runHttp(
  base: string,
  calls: HttpCall[],
  concurrency: number,
  options: { untilMs?: number; maxMs?: number; keepResponses?: boolean } = {},
): Promise<HttpRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const responses: { status: number; body: unknown }[] = [];
  let errors = 0;
  let next = 0;
  const start = nowMs();
  const elu = performance.eventLoopUtilization();
  // untilMs: repeat the calls for that long; maxMs: stop issuing the list after that long.
  const more = () =>
    options.untilMs
      ? nowMs() - start < options.untilMs
      : next < calls.length && !(options.maxMs && nowMs() - start > options.maxMs);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        const index = next++;
        const t = nowMs();
        try {
          const res = await call(agent, base, calls[index % calls.length]);
          latencies.push(nowMs() - t);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (options.keepResponses) responses[index] = { status: res.status, body: res.body };
        } catch {
          errors++;
        }
      }
    }),
  );
  const ms = nowMs() - start;
  agent.destroy();
  const count = latencies.length + errors;
  const d = distribution(latencies);
  return {
    requests: count,
    perSec: round((count * 1000) / ms, 0),
    latencyMs: { count: d.count, p50: round(d.p50, 1), p99: round(d.p99, 1), max: round(d.max, 1) },
    statuses,
    errors,
    generatorSaturated: performance.eventLoopUtilization(elu).utilization > 0.9,
    responses,
  };
}
