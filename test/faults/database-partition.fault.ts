import { afterAll, describe, expect, it } from '@jest/globals';
import { ApiServer } from './support/api-server.js';
import { postgresBackend, type Backend } from './support/backend.js';
import { LEAK, call, isUnavailableBody, type Reply } from './support/http.js';
import { sleep, waitFor } from './support/run-dir.js';
import { TcpProxy } from './support/tcp-proxy.js';

const STATEMENT_TIMEOUT_MS = 2000;
const PARTITION_MS = 12000;

/**
 * A variant of the database outage the server cannot see coming: the network to PostgreSQL
 * goes silent (packets dropped, connections left open), so no server-side timeout can fire.
 * Requests still answer 503 instead of hanging, pooled connections caught mid-query are
 * dropped rather than reused, and the pool is whole again once the network returns.
 */
describe('database behind a network partition (packets dropped)', () => {
  let backend: Backend | undefined;
  let proxy: TcpProxy | undefined;
  let api: ApiServer | undefined;

  afterAll(async () => {
    await api?.kill();
    await proxy?.close();
    backend?.dispose();
  });

  it('answers 503 during the partition, hangs nothing, and recovers a full pool after it', async () => {
    backend = await postgresBackend();
    const pgPort = backend.postgres!.port;
    proxy = await TcpProxy.create(pgPort);
    const url = backend.env.DATABASE_URL.replace(`:${pgPort}/`, `:${proxy.port}/`);
    api = await ApiServer.start('db-partition', {
      DATABASE_URL: url,
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    // Fill the pool with open connections, which the partition will catch.
    const warm = await Promise.all(
      Array.from({ length: 25 }, () => call(api!.url, 'GET', '/api/regions')),
    );
    expect(warm.every((r) => r.status === 200)).toBe(true);

    proxy.cut('blackhole');
    const during: Promise<{ kind: string; reply: Reply | null; error: string | null }>[] = [];
    const ask = (kind: 'read' | 'health') =>
      call(api!.url, 'GET', kind === 'read' ? '/api/regions' : '/api/health', {
        timeoutMs: 30000,
      }).then(
        (reply) => ({ kind, reply, error: null }),
        (error: unknown) => ({ kind, reply: null, error: String(error) }),
      );
    const until = Date.now() + PARTITION_MS;
    while (Date.now() < until) {
      during.push(ask('read'), ask('read'), ask('health'));
      await sleep(400);
    }
    const answers = await Promise.all(during);
    proxy.restore();
    const restoredAt = Date.now();
    const recoveredAt = await waitFor(
      'a whole pool of reads to succeed',
      async () => {
        const replies = await Promise.all(
          Array.from({ length: 40 }, () => call(api!.url, 'GET', '/api/regions')),
        );
        return replies.every((r) => r.status === 200) ? Date.now() : undefined;
      },
      15000,
      200,
    );
    const hung = answers.filter((a) => a.error !== null);
    console.log(
      `network partition: ${answers.length} requests during ${PARTITION_MS / 1000} s → ` +
        `${answers.filter((a) => a.reply?.status === 503).length} × 503, ${hung.length} without an answer, ` +
        `${answers.filter((a) => a.reply?.status === 500).length} × 500; 40 concurrent reads all 200 again ` +
        `${recoveredAt - restoredAt} ms after the network returned`,
    );
    expect(hung.map((a) => a.error)).toEqual([]);
    for (const a of answers) {
      expect(a.reply!.status).toBe(503);
      expect(a.reply!.text).not.toMatch(LEAK);
      if (a.kind === 'read') expect(isUnavailableBody(a.reply)).toBe(true);
    }
    expect(recoveredAt - restoredAt).toBeLessThanOrEqual(10000);
    expect((await call(api.url, 'GET', '/api/health')).status).toBe(200);
    expect(api.running).toBe(true);
  });
});
