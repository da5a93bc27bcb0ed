import { spawnSync } from 'node:child_process';
import { freePort } from './ports.js';
import { recordProcess, sleep } from './run-dir.js';

/** A Redis of its own for one test file (no persistence), stopped and started at will. */
export class RedisServer {
  private pid: number | null = null;

  private constructor(readonly port: number) {}

  static async create(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const result = spawnSync(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
        '--pidfile',
        `/tmp/edp-faults-redis-${this.port}.pid`,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`redis-server failed: ${result.stderr}`);
    for (let i = 0; i < 100; i++) {
      const ping = spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' });
      if (ping.stdout.trim() === 'PONG') {
        const info = spawnSync('redis-cli', ['-p', String(this.port), 'info', 'server'], {
          encoding: 'utf8',
        });
        this.pid = Number(/process_id:(\d+)/.exec(info.stdout)?.[1] ?? 0) || null;
        recordProcess('redis', this.pid ?? undefined);
        return;
      }
      await sleep(50);
    }
    throw new Error(`redis on ${this.port} did not answer`);
  }

  /** Kills our Redis by its pid (the machine's own Redis is never touched). */
  async stop(): Promise<void> {
    if (!this.pid) return;
    const pid = this.pid;
    this.pid = null;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(50);
    }
  }
}
