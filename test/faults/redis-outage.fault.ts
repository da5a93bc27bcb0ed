import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ApiServer } from './support/api-server.js';
import { postgresBackend, type Backend } from './support/backend.js';
import { call } from './support/http.js';
import { LiveClient, joinAsGuest, openVotingWorkshop, type LiveWorkshop } from './support/live.js';
import { RedisServer } from './support/redis-server.js';
import { sleep, waitFor } from './support/run-dir.js';

const WATCHERS = 5;
const BROADCAST_WAIT_MS = 5000;

/** How many of the clients see `ideaId` at `count` within the wait. */
async function seeing(
  clients: LiveClient[],
  ideaId: string,
  count: number,
  waitMs = BROADCAST_WAIT_MS,
) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const n = clients.filter((c) => c.tallies.get(ideaId) === count).length;
    if (n === clients.length || Date.now() > deadline) return n;
    await sleep(25);
  }
}

/**
 * Issue 8, scenario 4: two instances share broadcasts through Redis. Redis dies: neither
 * instance crashes, votes are still acknowledged, each instance still broadcasts to its own
 * clients. Redis returns: broadcasts cross between the instances again.
 */
describe('Redis outage with two instances', () => {
  let backend: Backend | undefined;
  let redis: RedisServer | undefined;
  const servers: ApiServer[] = [];
  const clients: LiveClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(servers.map((server) => server.terminate()));
    await redis?.stop();
    backend?.dispose();
  });

  it('keeps both instances serving, broadcasts locally during the outage, and across again after it', async () => {
    backend = await postgresBackend();
    redis = await RedisServer.create();
    const env = { ...backend.env, REDIS_URL: redis.url };
    const [a, b] = await Promise.all([
      ApiServer.start('redis-a', env),
      ApiServer.start('redis-b', env),
    ]);
    servers.push(a, b);
    const workshop: LiveWorkshop = await openVotingWorkshop(a.url, backend.staffToken, {
      ideas: 3,
      dotBudget: 30,
      // All on one idea: each retry below of "A reaches B again" spends one of voterA's dots.
      maxDotsPerIdea: 30,
    });
    const connect = async (server: ApiServer, name: string) => {
      const guest = await joinAsGuest(server.url, workshop.joinCode, name);
      const client = new LiveClient(server.url, guest.token, workshop.id);
      clients.push(client);
      await client.ready();
      return client;
    };
    const voterA = await connect(a, 'Röstare A');
    const voterB = await connect(b, 'Röstare B');
    const onA: LiveClient[] = [];
    const onB: LiveClient[] = [];
    for (let i = 0; i < WATCHERS; i++) onA.push(await connect(a, `Åskådare A${i}`));
    for (let i = 0; i < WATCHERS; i++) onB.push(await connect(b, `Åskådare B${i}`));
    const idea = workshop.ideaIds[0];
    const vote = async (voter: LiveClient) => {
      const ack = await voter.emit<{ voteCount: number }>('vote:cast', {
        workshopId: workshop.id,
        ideaId: idea,
        dots: 1,
        clientId: randomUUID(),
      });
      if (!ack.ok) throw new Error(`vote refused: ${ack.error.code}`);
      return ack.data.voteCount;
    };

    // Redis up: a vote on A reaches B's clients, and the other way round.
    let count = await vote(voterA);
    const crossBefore = await seeing(onB, idea, count);
    count = await vote(voterB);
    const crossBeforeBack = await seeing(onA, idea, count);

    // Redis gone.
    await redis.stop();
    await sleep(1000);
    const healthDuring = await Promise.all([a, b].map((s) => call(s.url, 'GET', '/api/health')));
    const readsDuring = await Promise.all([a, b].map((s) => call(s.url, 'GET', '/api/regions')));
    const localDuring: number[] = [];
    const crossDuring: number[] = [];
    for (let i = 0; i < 3; i++) {
      count = await vote(voterA);
      localDuring.push(await seeing(onA, idea, count));
      crossDuring.push(await seeing(onB, idea, count, 500));
    }
    count = await vote(voterB);
    const localDuringB = await seeing(onB, idea, count);

    // Redis back on the same port: the adapters reconnect and resubscribe by themselves.
    await redis.start();
    await waitFor(
      'both instances to report Redis up',
      async () => {
        const health = await Promise.all([a, b].map((s) => call(s.url, 'GET', '/api/health')));
        return health.every((h) => h.status === 200 && h.body.redis === 'up') ? true : undefined;
      },
      15000,
      200,
    );
    const crossAfter = await waitFor(
      'a vote on A to reach B again',
      async () => {
        const n = await vote(voterA);
        return (await seeing(onB, idea, n, 1000)) === WATCHERS ? n : undefined;
      },
      15000,
      0,
    );
    count = await vote(voterB);
    const crossAfterBack = await seeing(onA, idea, count);

    console.log(
      `Redis outage: before — A→B ${crossBefore}/${WATCHERS}, B→A ${crossBeforeBack}/${WATCHERS}; ` +
        `during — health ${healthDuring.map((h) => `${h.status} ${JSON.stringify(h.body)}`).join(' / ')}, ` +
        `reads ${readsDuring.map((r) => r.status).join('/')}, same-instance ${localDuring.join(',')} (A) ${localDuringB} (B) of ${WATCHERS}, ` +
        `cross-instance ${crossDuring.join(',')} of ${WATCHERS}; after — A→B back at tally ${crossAfter}, B→A ${crossAfterBack}/${WATCHERS}; ` +
        `instances running: ${[a, b].filter((s) => s.running).length}/2`,
    );
    expect(crossBefore).toBe(WATCHERS);
    expect(crossBeforeBack).toBe(WATCHERS);
    expect(a.running && b.running).toBe(true);
    expect(readsDuring.map((r) => r.status)).toEqual([200, 200]);
    for (const h of healthDuring) expect(h.body).toMatchObject({ database: 'up', redis: 'down' });
    expect(localDuring).toEqual([WATCHERS, WATCHERS, WATCHERS]);
    expect(localDuringB).toBe(WATCHERS);
    expect(crossAfterBack).toBe(WATCHERS);
    // Every vote cast through the outage is in the database exactly once.
    const stored = await backend.withQuery((query) =>
      query<{ total: string }>(
        `SELECT COALESCE(SUM(dots), 0) AS total FROM workshop_votes WHERE workshop_id = $1 AND idea_id = $2`,
        [workshop.id, idea],
      ),
    );
    expect(Number(stored[0].total)).toBe(count);
  });
});
