import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiServer } from './support/api-server.js';
import { register, type Registration } from './support/accounts.js';
import { LEAK, call, isUnavailableBody, withoutTokens, type Reply } from './support/http.js';
import { postgresBackend, type Backend } from './support/backend.js';
import { LiveClient, joinAsGuest, openVotingWorkshop } from './support/live.js';
import type { PostgresServer } from './support/postgres-server.js';
import { sleep, waitFor } from './support/run-dir.js';

const OUTAGE_MS = 30000;
const RECOVERY_LIMIT_MS = 10000;

interface Probe {
  kind: 'health' | 'read';
  reply: Reply | null;
  error: string | null;
  startedAt: number;
  endedAt: number;
}

/**
 * Issue 8, scenario 3: the real PostgreSQL server goes away for 30 s under a running api,
 * then comes back. The api answers 503 in the error format, stores nothing half, and
 * recovers by itself.
 */
describe('database outage (dedicated PostgreSQL stopped for 30 s)', () => {
  let backend: Backend;
  let pg: PostgresServer;
  let api: ApiServer;
  let live: LiveClient | undefined;

  beforeAll(async () => {
    backend = await postgresBackend();
    pg = backend.postgres!;
    api = await ApiServer.start('db-outage', { ...backend.env, DB_STATEMENT_TIMEOUT_MS: '3000' });
  });

  afterAll(async () => {
    live?.close();
    await api?.terminate();
    backend?.dispose();
  });

  it('answers 503 during the outage, writes nothing half, and recovers without a restart', async () => {
    const before = await Promise.all(Array.from({ length: 5 }, () => register(api.url, 'before')));
    expect(before.map((r) => r.reply?.status)).toEqual([201, 201, 201, 201, 201]);
    // A participant in a live workshop, connected before the outage.
    const workshop = await openVotingWorkshop(api.url, backend.staffToken, {
      ideas: 2,
      dotBudget: 5,
      maxDotsPerIdea: 5,
    });
    const guest = await joinAsGuest(api.url, workshop.joinCode, 'Gäst under avbrottet');
    live = new LiveClient(api.url, guest.token, workshop.id);
    await live.ready();
    const vote = (clientId: string) =>
      live!.emit('vote:cast', {
        workshopId: workshop.id,
        ideaId: workshop.ideaIds[0],
        dots: 1,
        clientId,
      });
    expect((await vote(randomUUID())).ok).toBe(true);

    const writes: Registration[] = [];
    const probes: Probe[] = [];
    let traffic = true;
    const probe = async (kind: Probe['kind']) => {
      const startedAt = Date.now();
      try {
        const reply = await call(
          api.url,
          'GET',
          kind === 'health' ? '/api/health' : '/api/regions',
        );
        probes.push({ kind, reply, error: null, startedAt, endedAt: Date.now() });
      } catch (error) {
        probes.push({ kind, reply: null, error: String(error), startedAt, endedAt: Date.now() });
      }
    };
    const loop = (async () => {
      while (traffic) {
        await Promise.all([
          register(api.url, 'during').then((w) => writes.push(w)),
          probe('health'),
          probe('read'),
        ]);
        await sleep(150);
      }
    })();

    await sleep(1500);
    const stopRequested = Date.now();
    pg.stop('fast');
    const downAt = Date.now();
    await sleep(OUTAGE_MS / 2);
    // Mid-outage the socket stays up; its events are answered UNAVAILABLE, not dropped.
    const duringVoteId = randomUUID();
    const socketAcks = [
      await vote(duringVoteId),
      await live.emit('workshop:join', { workshopId: workshop.id }),
    ];
    await sleep(OUTAGE_MS / 2);
    const restartRequested = Date.now();
    pg.start();
    const upAt = Date.now();

    const recoveredAt = await waitFor(
      'health 200 after the database returned',
      async () =>
        (await call(api.url, 'GET', '/api/health')).status === 200 ? Date.now() : undefined,
      RECOVERY_LIMIT_MS + 5000,
      100,
    );
    await sleep(2000);
    traffic = false;
    await loop;
    // The vote refused during the outage, sent again with its clientId, counts once.
    const retried = await vote(duringVoteId);
    const replayed = await vote(duringVoteId);

    const all = [...writes.map((w) => ({ reply: w.reply, error: w.error })), ...probes];
    const recoveryMs = recoveredAt - upAt;
    const during = <T extends { startedAt: number; endedAt: number }>(list: T[]) =>
      list.filter((x) => x.startedAt > downAt && x.endedAt < restartRequested);
    const outageWrites = during(writes);
    const outageProbes = during(probes);

    // What the database holds now, for every write attempted.
    const emails = [...before, ...writes].map((w) => w.email);
    const orgNames = [...before, ...writes].map((w) => w.organisation);
    const users = new Set(
      (
        await pg.query<{ email: string }>(
          'SELECT email FROM users WHERE email = ANY($1)',
          [emails],
          'edp_faults',
        )
      ).map((row) => row.email),
    );
    const orgs = new Set(
      (
        await pg.query<{ name: string }>(
          'SELECT name FROM organisations WHERE name = ANY($1)',
          [orgNames],
          'edp_faults',
        )
      ).map((row) => row.name),
    );
    const acknowledged = [...before, ...writes].filter((w) => w.reply?.status === 201);
    const lost = acknowledged.filter((w) => !users.has(w.email) || !orgs.has(w.organisation));
    const partial = [...before, ...writes].filter(
      (w) => users.has(w.email) !== orgs.has(w.organisation),
    );
    const refusedButStored = outageWrites.filter(
      (w) => users.has(w.email) || orgs.has(w.organisation),
    );

    console.log(
      `database outage: ${writes.length} writes and ${probes.length} reads during the run ` +
        `(${outageWrites.length} writes, ${outageProbes.length} reads wholly inside the ${OUTAGE_MS / 1000} s outage); ` +
        `writes acknowledged ${acknowledged.length}, lost ${lost.length}, partial ${partial.length}, ` +
        `refused-but-stored ${refusedButStored.length}; 500s ${all.filter((x) => x.reply?.status === 500).length}; ` +
        `recovered ${recoveryMs} ms after the database returned (stop took ${downAt - stopRequested} ms)`,
    );

    // Never a 500, never a dropped connection, never SQL or driver text.
    expect(all.filter((x) => x.error !== null).map((x) => x.error)).toEqual([]);
    for (const x of all) {
      expect([200, 201, 503]).toContain(x.reply!.status);
      expect(withoutTokens(x.reply!.text)).not.toMatch(LEAK);
    }
    // Inside the outage every answer is a 503: the error format for routes, the health shape for health.
    expect(outageWrites.length).toBeGreaterThan(20);
    for (const w of outageWrites) expect(isUnavailableBody(w.reply)).toBe(true);
    for (const p of outageProbes) {
      expect(p.reply!.status).toBe(503);
      if (p.kind === 'health')
        expect(p.reply!.body).toMatchObject({ status: 'unavailable', database: 'down' });
      else expect(isUnavailableBody(p.reply)).toBe(true);
    }
    // Acknowledged = stored, nothing half-stored, nothing refused and yet stored.
    expect(lost).toEqual([]);
    expect(partial).toEqual([]);
    expect(refusedButStored).toEqual([]);
    // Socket events during the outage: UNAVAILABLE acks; afterwards the retried vote is stored once.
    expect(socketAcks.map((ack) => (ack.ok ? 'ok' : ack.error.code))).toEqual([
      'UNAVAILABLE',
      'UNAVAILABLE',
    ]);
    expect(retried.ok && replayed.ok).toBe(true);
    const dots = await pg.query<{ dots: number }>(
      'SELECT dots FROM workshop_votes WHERE workshop_id = $1',
      [workshop.id],
      'edp_faults',
    );
    expect(dots.map((row) => row.dots)).toEqual([2]);
    // The same process recovered by itself, within the limit.
    expect(api.running).toBe(true);
    expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    const after = await register(api.url, 'after');
    expect(after.reply?.status).toBe(201);
    expect((await call(api.url, 'GET', '/api/regions')).status).toBe(200);
  });
});
