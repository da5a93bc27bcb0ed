import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './live-protocol.js';

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

/** The socket.io clients, spread over worker threads so one event loop is not the bottleneck. */
export class LoadGenerator {
  private readonly workers: Worker[];
  private readonly waiting: ((reply: WorkerReply) => void)[][];

  constructor(readonly threads: number) {
    this.workers = Array.from(
      { length: threads },
      (_, workerId) =>
        new Worker(new URL('./live-worker.js', import.meta.url), { workerData: { workerId } }),
    );
    this.waiting = this.workers.map(() => []);
    this.workers.forEach((worker, index) => {
      worker.on('message', (reply: WorkerReply) => {
        const next = this.waiting[index].shift();
        if (reply.type === 'error') throw new Error(`load thread ${index}: ${reply.message}`);
        next?.(reply);
      });
      worker.on('error', (error) => {
        throw error;
      });
    });
  }

  /** Sends one request to each thread (built per thread) and waits for every reply. */
  async all<T extends WorkerReply['type']>(
    expect: T,
    build: (thread: number) => WorkerRequest,
  ): Promise<ReplyOf<T>[]> {
    return Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise<ReplyOf<T>>((resolve, reject) => {
            this.waiting[index].push((reply) => {
              if (reply.type !== expect) reject(new Error(`expected ${expect}, got ${reply.type}`));
              else resolve(reply as ReplyOf<T>);
            });
            worker.postMessage(build(index));
          }),
      ),
    );
  }

  async deliveries(): Promise<number> {
    const counters = await this.all('counters', () => ({ type: 'counters' }));
    return counters.reduce((sum, c) => sum + c.events + c.acks, 0);
  }

  async close(): Promise<void> {
    await this.all('closed', () => ({ type: 'close' }));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
