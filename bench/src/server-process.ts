import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ProbeStats } from './probe.js';

const BUILD = process.env.BENCH_BUILD_DIR ?? join(process.cwd(), '.cache', 'bench-build');

/** A benchmarked server in its own process, so its CPU and memory are its own. */
export class ServerProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private stderr = '';
  /** The loopback port the server listens on. */
  port = 0;
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-8000);
    });
    child.on(
      'message',
      (message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
        if (typeof message?.id !== 'number') return;
        const waiter = this.pending.get(message.id);
        if (!waiter) return;
        this.pending.delete(message.id);
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(new Error(`${this.name}: ${message.error}`));
      },
    );
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`${this.name} exited (${code ?? signal}): ${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Starts `bench/src/servers/<entry>.js` and waits for it to listen. */
  static async start(
    name: string,
    entry: string,
    env: Record<string, string | undefined>,
    timeoutMs = 90_000,
  ): Promise<{ server: ServerProcess; info: Record<string, unknown> }> {
    const child = spawn(
      process.execPath,
      ['--expose-gc', join(BUILD, 'bench/src/servers', `${entry}.js`)],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { ...process.env, NODE_OPTIONS: '', ...env },
      },
    );
    const server = new ServerProcess(name, child);
    const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start in ${timeoutMs} ms: ${server.stderr}`));
      }, timeoutMs);
      child.on('message', (message: Record<string, unknown>) => {
        if (message?.ready) {
          clearTimeout(timer);
          resolve(message);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before listening: ${server.stderr}`));
      });
    });
    server.port = Number(info.port);
    return { server, info };
  }

  request<T = unknown>(
    cmd: string,
    args: Record<string, unknown> = {},
    timeoutMs = 120_000,
  ): Promise<T> {
    if (this.exited)
      return Promise.reject(new Error(`${this.name} is not running: ${this.stderr}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, cmd, args });
    });
  }

  /** With `BENCH_PROFILE=<dir>`, profiles what `phase` does into <dir>/<server>-<label>.cpuprofile. */
  async profiled<T>(label: string, phase: () => Promise<T>): Promise<T> {
    const dir = process.env.BENCH_PROFILE;
    if (!dir) return phase();
    await this.request('profileStart');
    try {
      return await phase();
    } finally {
      await this.request('profileStop', { file: join(dir, `${this.name}-${label}.cpuprofile`) });
    }
  }

  stats(options: { reset?: boolean; gc?: boolean } = {}): Promise<ProbeStats> {
    return this.request<ProbeStats>('stats', options);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
