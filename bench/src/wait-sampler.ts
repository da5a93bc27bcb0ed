import pg from 'pg';

/**
 * Samples what this run's PostgreSQL backends are doing (pg_stat_activity) every 50 ms
 * during a step: running, waiting on a lock, or idle inside a transaction — that last one
 * means PostgreSQL is waiting for the Node process to send the next statement.
 */
export class WaitSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private client: pg.Client | null = null;
  private busy = false;

  constructor(private readonly database: string | null) {}

  async start(): Promise<void> {
    const server = process.env.DATABASE_URL;
    if (!this.database || !server) return;
    const url = new URL(server);
    url.pathname = '/postgres';
    this.client = new pg.Client({ connectionString: url.toString() });
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), 50);
  }

  private async sample(): Promise<void> {
    if (this.busy || !this.client) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ what: string; n: number }>(
        `SELECT CASE
                  WHEN state = 'active' AND wait_event IS NULL THEN 'running'
                  WHEN state = 'active' THEN wait_event_type || ':' || wait_event
                  ELSE state END AS what, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'
         GROUP BY 1`,
        [this.database],
      );
      this.samples++;
      for (const row of rows) this.counts.set(row.what, (this.counts.get(row.what) ?? 0) + row.n);
    } catch {
      /* a sample lost is not an error */
    } finally {
      this.busy = false;
    }
  }

  /** Average number of backends in each state over the step, busiest first. */
  async stop(): Promise<Record<string, number> | null> {
    if (this.timer) clearInterval(this.timer);
    await this.client?.end().catch(() => undefined);
    if (!this.client || this.samples === 0) return null;
    return Object.fromEntries(
      [...this.counts]
        .sort((a, b) => b[1] - a[1])
        .map(([what, n]) => [what, Math.round((n / this.samples) * 10) / 10]),
    );
  }
}
