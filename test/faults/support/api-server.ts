import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logsDir, recordProcess, sleep } from './run-dir.js';

/** Built by global-setup.mjs into a folder of its own, so other builds never pull it away. */
export const FAULTS_ENTRY = join(
  process.env.EDP_FAULTS_DIST ?? join(process.cwd(), '.cache/faults-dist'),
  'apps/api/src/main.js',
);

/** The signing secret every fault-suite server shares, so tokens survive restarts and instances. */
export const FAULTS_JWT_SECRET = 'fault-suite-secret-0123456789-abcdefghijklmnop';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

let serial = 0;

/**
 * The real server as a child process (`node main.js`), its stdout and stderr appended to a
 * log file in the run folder (kept after SIGKILL, scanned for secrets at the end).
 */
export class ApiServer {
  readonly logFile: string;
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;
  private boundPort: number | null;
  /** Where this process's lines begin in its log file (appended to, never truncated). */
  private readonly logStart: number;

  /** `port` 0: the system picks a free one as the server binds it, and the server logs it. */
  private constructor(
    readonly name: string,
    port: number,
    env: Record<string, string>,
  ) {
    this.boundPort = port || null;
    this.logFile = join(logsDir(), `${name}.log`);
    this.logStart = existsSync(this.logFile) ? statSync(this.logFile).size : 0;
    if (!existsSync(FAULTS_ENTRY))
      throw new Error(`${FAULTS_ENTRY} is missing: run via npm run test:faults`);
    const fd = openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, [FAULTS_ENTRY], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        JWT_SECRET: FAULTS_JWT_SECRET,
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    recordProcess(`api ${name}`, this.child.pid);
    this.exited = new Promise<Exit>((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Starts a server and waits until `/api/health` answers 200. */
  static async start(
    name: string,
    env: Record<string, string>,
    options: { port?: number; timeoutMs?: number; until?: 'healthy' | 'listening' } = {},
  ): Promise<ApiServer> {
    const server = new ApiServer(`${name}-${++serial}`, options.port ?? 0, env);
    await server.waitHealthy(options.timeoutMs ?? 90000, options.until ?? 'healthy');
    return server;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The port it listens on (from its log line when it was started on port 0). */
  get port(): number {
    this.boundPort ??= existsSync(this.logFile)
      ? listeningPort(readFileSync(this.logFile).subarray(this.logStart).toString('utf8'))
      : null;
    if (this.boundPort === null) throw new Error(`${this.name} has not logged its port yet`);
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /**
   * 'healthy': `/api/health` answers 200. 'listening': it answers at all — a restarted
   * server whose clients are already back may be too busy for the health check's 2 s.
   */
  async waitHealthy(timeoutMs: number, until: 'healthy' | 'listening' = 'healthy'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit) {
        throw new Error(
          `${this.name} exited during start-up (${JSON.stringify(this.exit)}):\n${this.tail()}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(3000) });
        if (res.status === 200 || until === 'listening') return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms:\n${this.tail()}`);
  }

  tail(lines = 40): string {
    return this.log().split('\n').slice(-lines).join('\n');
  }

  /** Sends SIGTERM and waits for the process to end (SIGKILL after `graceMs`, reported as such). */
  async terminate(graceMs = 30000): Promise<Exit> {
    if (!this.exit) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<Exit> {
    if (!this.exit) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** The port from the server's "EDP Platform listening on http://localhost:<port>" line. */
function listeningPort(log: string): number | null {
  const match = /listening on http:\/\/localhost:(\d+)/.exec(log);
  return match ? Number(match[1]) : null;
}
