import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_ENTRY = 'dist/apps/api/apps/api/src/main.js';

function newest(dir: string): number {
  let mtime = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    mtime = Math.max(mtime, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return mtime;
}

/** Builds the api when its output is missing or older than the sources. */
export function ensureBuilt(): void {
  const built = existsSync(SERVER_ENTRY) ? statSync(SERVER_ENTRY).mtimeMs : 0;
  if (built > Math.max(newest('apps/api/src'), newest('libs'))) return;
  const result = spawnSync('npx', ['nest', 'build', 'api'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface ServerProcess {
  child: ChildProcess;
  /** The server's address, from its "listening" log line (throws before that line). */
  readonly url: string;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built server as a real process with the given environment. PORT is 0 unless
 * `env` sets it: the server binds a port the system picks and logs it, so no other process
 * can take a port between a test choosing it and the server binding it.
 */
export function startServer(env: Record<string, string>): ServerProcess {
  return startProcess([SERVER_ENTRY], env);
}

/** Starts what `npm start` runs: build what is missing or stale, then serve. */
export function startScript(env: Record<string, string>): ServerProcess {
  return startProcess(['scripts/start.mjs'], env);
}

function startProcess(args: string[], env: Record<string, string>): ServerProcess {
  let output = '';
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    get url() {
      const port = listeningPort(output);
      if (port === null) throw new Error(`the server has not said where it listens:\n${output}`);
      return `http://127.0.0.1:${port}`;
    },
    output: () => output,
    exited,
  };
}

/** The port from the server's "EDP Platform listening on http://localhost:<port>" line. */
function listeningPort(output: string): number | null {
  const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
  return match ? Number(match[1]) : null;
}

/** Polls until `GET /api/health` answers 200, or fails after `timeoutMs`. */
export async function waitForHealthy(server: ServerProcess, timeoutMs = 30000): Promise<number> {
  const started = Date.now();
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`server exited during start-up:\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}/api/health`);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not healthy within ${timeoutMs} ms:\n${server.output()}`);
}
