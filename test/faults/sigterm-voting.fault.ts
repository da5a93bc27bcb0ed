import { afterAll, describe, expect, it } from '@jest/globals';
import { io } from 'socket.io-client';
import { ApiServer } from './support/api-server.js';
import { postgresBackend, type Backend } from './support/backend.js';
import {
  collectClientViews,
  inFlight,
  joinCrowd,
  settled,
  storedVotesByParticipant,
  viewsDiffering,
} from './support/crowd.js';
import { openVotingWorkshop, seededRandom, type Voter } from './support/live.js';
import { waitFor } from './support/run-dir.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { describeCounts, reconcile } from './support/vote-ledger.js';

const CLIENTS = 50;

/** Tries a fresh `/live` connection; true only if the server accepted it. */
async function acceptsConnection(url: string, token: string): Promise<boolean> {
  const socket = io(`${url}/live`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 3000,
  });
  try {
    return await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
    });
  } finally {
    socket.close();
  }
}

/**
 * Issue 8, scenario 1: SIGTERM while 50 clients dot-vote. The old process refuses new
 * connections, finishes and acks the votes it is handling, tells its clients it is going
 * away, and exits 0; a successor (behind the same proxy, as behind a load balancer) takes
 * over; clients reconnect, resync from a snapshot and carry on.
 */
describe('SIGTERM during voting (50 clients, PostgreSQL)', () => {
  let backend: Backend | undefined;
  const servers: ApiServer[] = [];
  let proxy: TcpProxy | undefined;
  let voters: Voter[] = [];

  afterAll(async () => {
    for (const voter of voters) {
      voter.stop();
      voter.client.close();
    }
    await Promise.all(servers.map((server) => server.kill()));
    await proxy?.close();
    backend?.dispose();
  });

  it('drains, acks, says goodbye, exits 0, and the successor carries on with nothing lost or doubled', async () => {
    const seed = Number(process.env.EDP_FAULTS_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    backend = await postgresBackend();
    const env = { ...backend.env, DB_STATEMENT_TIMEOUT_MS: '5000' };
    const old = await ApiServer.start('sigterm-old', env);
    servers.push(old);
    proxy = await TcpProxy.create(old.port);
    const workshop = await openVotingWorkshop(proxy.url, backend.staffToken, {
      ideas: 5,
      dotBudget: 20,
      maxDotsPerIdea: 6,
    });
    voters = await joinCrowd(
      proxy.url,
      workshop,
      CLIENTS,
      { votes: 24, pause: [150, 350] },
      random,
    );
    const successor = await ApiServer.start('sigterm-successor', env);
    servers.push(successor);
    const planned = CLIENTS * 24;
    const running = Promise.all(voters.map((voter) => voter.run()));
    let failed: unknown = null;
    running.catch((error: unknown) => (failed = error));

    await waitFor(
      'a quarter of the votes',
      async () => (settled(voters) >= planned / 4 || failed ? true : undefined),
      90000,
    ).catch((error: Error) => {
      const joined = voters.filter((v) => v.client.connected).length;
      throw new Error(
        `${error.message} (settled ${settled(voters)}, connected ${joined}/${CLIENTS})`,
      );
    });
    const before = { settled: settled(voters), inFlight: inFlight(voters) };
    const unansweredBefore = voters.reduce(
      (n, v) => n + v.intents.reduce((m, i) => m + i.unanswered, 0),
      0,
    );
    // The load balancer sends new connections to the successor; then the old process is told to stop.
    proxy.retarget(successor.port);
    old.child.kill('SIGTERM');
    await waitFor(
      'the going-away notice',
      async () =>
        voters.some((v) => v.client.notices.some((n) => n.event === 'server:shutdown'))
          ? true
          : undefined,
      10000,
      5,
    );
    // While it drains, the old process takes no new connection.
    const acceptedWhileClosing = old.running
      ? await acceptsConnection(old.url, backend.staffToken)
      : false;
    const exit = await old.terminate(30000);
    await running;
    const unansweredAtShutdown =
      voters.reduce((n, v) => n + v.intents.reduce((m, i) => m + i.unanswered, 0), 0) -
      unansweredBefore;
    const told = voters.filter((v) =>
      v.client.notices.some((n) => n.event === 'server:shutdown'),
    ).length;
    const rejoined = voters.filter((v) => v.client.joins >= 2).length;

    const total = voters.reduce((n, voter) => n + voter.intents.length, 0);
    const views = await collectClientViews(voters);
    const { counts, stored } = await backend.withQuery(async (query) => ({
      counts: await reconcile(query, workshop, voters),
      stored: await storedVotesByParticipant(query, workshop.id),
    }));
    const differing = viewsDiffering(views, counts.dbTallies, stored);
    console.log(
      `${describeCounts(`SIGTERM (seed ${seed})`, counts)}; ${total} votes cast, ${before.settled} settled and ` +
        `${before.inFlight} in flight at SIGTERM; exit ${JSON.stringify(exit)}; clients told it was going away ${told}/${CLIENTS}, ` +
        `votes left without an ack by the shutdown ${unansweredAtShutdown}, new connection accepted while closing ${acceptedWhileClosing}, ` +
        `clients resynced on the successor ${rejoined}/${CLIENTS}, client views differing from the database ${differing.length}`,
    );

    expect(before.settled).toBeLessThan(total);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(acceptedWhileClosing).toBe(false);
    expect(told).toBe(CLIENTS);
    expect(unansweredAtShutdown).toBe(0);
    expect(rejoined).toBe(CLIENTS);
    expect(counts.lost).toBe(0);
    expect(counts.doubled).toBe(0);
    expect(counts.budgetViolations).toEqual([]);
    expect(counts.requestRows).toBe(counts.acknowledged);
    expect(counts.acknowledged + counts.refused).toBe(total);
    expect(differing).toEqual([]);
    expect(successor.running).toBe(true);
  });
});
