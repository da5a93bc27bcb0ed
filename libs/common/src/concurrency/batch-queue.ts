/** What one item of a batch came to: its value, or the error that is its answer alone. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<I, R> {
  key: string | null;
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit (or group read): items submitted while `concurrency` batches are in flight
 * wait, and go together in the next batch. Under no load an item goes at once, alone; under
 * load one statement carries many items, so a round trip (and a commit) is paid per batch.
 * A batch never holds two items with the same key: the later one waits for the next. Items
 * with no key (null) may share a batch with any other.
 */
export class BatchQueue<I, R> {
  private waiting: Waiting<I, R>[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly run: (items: I[]) => Promise<Settled<R>[]>,
    private readonly options: { concurrency: number; maxBatch: number },
  ) {}

  submit(key: string | null, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ key, item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight.size < this.options.concurrency && this.waiting.length > 0) {
      const flight: Promise<void> = this.settle(this.take()).finally(() => {
        this.inFlight.delete(flight);
        this.drain();
      });
      this.inFlight.add(flight);
    }
  }

  /**
   * Resolves once the batches in flight now have settled (at once when none is); never
   * rejects, so a caller that waits on it (a tally window) cannot be stopped by a batch.
   */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private take(): Waiting<I, R>[] {
    const batch: Waiting<I, R>[] = [];
    const keys = new Set<string | null>();
    const later: Waiting<I, R>[] = [];
    for (const entry of this.waiting) {
      if (batch.length < this.options.maxBatch && (entry.key === null || !keys.has(entry.key))) {
        keys.add(entry.key);
        batch.push(entry);
      } else later.push(entry);
    }
    this.waiting = later;
    return batch;
  }

  private async settle(batch: Waiting<I, R>[]): Promise<void> {
    let outcomes: Settled<R>[];
    try {
      outcomes = await this.run(batch.map((entry) => entry.item));
    } catch (error) {
      // The whole transaction failed (a lost connection, a deadlock, a constraint nobody
      // expected): nothing of it was stored. Each item is tried again on its own, so one
      // item's failure is not another's, and a failure that repeats is that item's answer.
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await Promise.all(batch.map((entry) => this.settle([entry])));
      return;
    }
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}
