import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Runs inside every benchmarked server (bare and platform alike), so all are measured the
 * same way: the runner asks over the IPC channel and the server answers from its own process.
 */
export interface ProbeStats {
  /** user + system CPU of the whole server process since the last reset, µs. */
  cpuUs: number;
  wallMs: number;
  rss: number;
  heapUsed: number;
  external: number;
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

export type CommandHandler = (args: Record<string, unknown>) => unknown;

interface Request {
  id: number;
  cmd: string;
  args?: Record<string, unknown>;
}

export function installProbe(handlers: Record<string, CommandHandler> = {}): {
  ready(info: Record<string, unknown>): void;
} {
  if (!process.send) throw new Error('a benchmark server runs as a child with an IPC channel');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();

  const stats = (args: Record<string, unknown>): ProbeStats => {
    if (args.gc && typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    const cpu = process.cpuUsage(cpuMark);
    const memory = process.memoryUsage();
    const result: ProbeStats = {
      cpuUs: cpu.user + cpu.system,
      wallMs: performance.now() - wallMark,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      eventLoopP50Ms: loop.percentile(50) / 1e6,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      eventLoopMaxMs: loop.max / 1e6,
    };
    if (args.reset) {
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
      loop.reset();
    }
    return result;
  };
  // A CPU profile of one phase (not of start-up), for `BENCH_PROFILE=<dir>`.
  let session: Session | null = null;
  const profileStart = async () => {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    return true;
  };
  const profileStop = async (args: Record<string, unknown>) => {
    if (!session) return false;
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dirname(String(args.file)), { recursive: true });
    writeFileSync(String(args.file), JSON.stringify(profile));
    session.disconnect();
    session = null;
    return true;
  };
  const all: Record<string, CommandHandler> = { ...handlers, stats, profileStart, profileStop };

  process.on('message', (message: Request) => {
    if (!message || typeof message.id !== 'number') return;
    const handler = all[message.cmd];
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown command ${message.cmd}`);
        const result = await handler(message.args ?? {});
        process.send!({ id: message.id, ok: true, result });
      } catch (error) {
        process.send!({
          id: message.id,
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    })();
  });
  // The runner going away must never leave a server behind.
  process.on('disconnect', () => process.exit(0));
  return { ready: (info) => process.send!({ ready: true, ...info }) };
}
