import { afterAll, describe, expect, it } from '@jest/globals';
import { ApiServer } from './support/api-server.js';
import { embeddedBackend, postgresBackend, type Backend } from './support/backend.js';
import {
  collectClientViews,
  inFlight,
  joinCrowd,
  settled,
  storedVotesByParticipant,
  viewsDiffering,
} from './support/crowd.js';
import { embeddedIndexProblems } from './support/integrity.js';
import { openVotingWorkshop, seededRandom, type Voter } from './support/live.js';
import { sleep, waitFor } from './support/run-dir.js';
import { describeCounts, reconcile } from './support/vote-ledger.js';

/**
 * Issue 8, scenarios 2 and 6: the server is SIGKILLed at random moments while 50 clients
 * dot-vote, and started again on the same port. Clients resend every vote whose ack never
 * came, with the same clientId. Afterwards: every acknowledged vote is stored, none twice,
 * budgets hold, and every client's view equals the database. On the embedded database the
 * same kills also prove that PGlite's files survive a crash mid-write.
 */
describe.each([
  { kind: 'postgresql', kills: 10, clients: 30, make: postgresBackend },
  { kind: 'embedded', kills: 3, clients: 15, make: embeddedBackend },
])(
  'SIGKILL during voting ($kind, $clients clients, $kills kills)',
  ({ kind, kills, clients, make }) => {
    let backend: Backend | undefined;
    const servers: ApiServer[] = [];
    let voters: Voter[] = [];

    afterAll(async () => {
      for (const voter of voters) {
        voter.stop();
        voter.client.close();
      }
      await Promise.all(servers.map((server) => server.kill()));
      backend?.dispose();
    });

    it('keeps every acknowledged vote, doubles none and holds the budgets', async () => {
      const seed = Number(process.env.EDP_FAULTS_SEED ?? Date.now() % 1_000_000);
      const random = seededRandom(seed);
      backend = await make();
      const env = { ...backend.env, DB_STATEMENT_TIMEOUT_MS: '5000' };
      const name = `sigkill-${kind}`;
      const start = async (port?: number) => {
        // A restart comes up under a room that is already reconnecting: wait for it to listen
        // (its health check may be slow while it serves the room).
        const server = await ApiServer.start(name, env, {
          port,
          until: port ? 'listening' : 'healthy',
        });
        servers.push(server);
        return server;
      };
      // Each kill is followed by a new process on the same port (as a supervisor would restart it).
      let server = await start();
      const workshop = await openVotingWorkshop(server.url, backend.staffToken, {
        ideas: 6,
        dotBudget: 100,
        maxDotsPerIdea: 20,
      });
      voters = await joinCrowd(
        server.url,
        workshop,
        clients,
        { votes: 1000, pause: [150, 350] },
        random,
      );
      const running = Promise.all(voters.map((voter) => voter.run()));
      let failed: unknown = null;
      running.catch((error: unknown) => (failed = error));

      const atKill: { settled: number; inFlight: number }[] = [];
      for (let round = 0; round < kills && failed === null; round++) {
        // Let the room reconnect and vote for a random while, then pull the plug.
        await Promise.all(voters.map((voter) => voter.client.ready(60000)));
        await sleep(300 + random() * 1200);
        // The plug is pulled while at least one vote is on its way through the server.
        await waitFor(
          'a vote in flight',
          async () => (inFlight(voters) > 0 ? true : undefined),
          10000,
          1,
        );
        atKill.push({ settled: settled(voters), inFlight: inFlight(voters) });
        if (process.env.EDP_FAULTS_TRACE) {
          console.log(
            `kill ${round}: connected ${voters.filter((v) => v.client.connected).length}, ` +
              `transient ${JSON.stringify(voters.map((v) => v.transient))}`,
          );
        }
        const exit = await server.kill();
        expect(exit.signal).toBe('SIGKILL');
        server = await start(server.port);
      }
      // Done killing: each client settles the vote in hand (resending it if need be) and stops.
      for (const voter of voters) voter.finish();
      await running;
      const views = await collectClientViews(voters);
      const results = await fetch(`${server.url}/api/workshops/${workshop.id}/results`, {
        headers: { authorization: `Bearer ${backend.staffToken}` },
      });
      const ranked = (await results.json()) as { idea: { id: string }; voteCount: number }[];
      // Stopped cleanly before the files are read (PGlite's files belong to one process).
      for (const voter of voters) voter.client.close();
      expect((await server.terminate()).code).toBe(0);
      const { counts, stored } = await backend.withQuery(async (query) => ({
        counts: await reconcile(query, workshop, voters),
        stored: await storedVotesByParticipant(query, workshop.id),
      }));
      const differing = viewsDiffering(views, counts.dbTallies, stored);
      // After crashes mid-write the embedded files must still be consistent, indexes included.
      const integrity = backend.dataDir ? await embeddedIndexProblems(backend.dataDir) : null;

      console.log(
        `${describeCounts(`SIGKILL ×${atKill.length} (${kind}, seed ${seed})`, counts)}; ` +
          `votes settled before each kill: ${atKill.map((k) => k.settled).join(', ')}; ` +
          `clients with a vote in flight at each kill: ${atKill.map((k) => k.inFlight).join(', ')}; ` +
          `client views differing from the database: ${differing.length}` +
          (integrity
            ? `; B-tree indexes checked ${integrity.indexes}, problems ${integrity.problems.length}`
            : ''),
      );
      expect(integrity?.problems ?? []).toEqual([]);
      expect(atKill).toHaveLength(kills);
      // Every kill landed during the voting, with votes in flight.
      for (const kill of atKill) {
        expect(kill.inFlight).toBeGreaterThan(0);
      }
      expect(counts.acknowledged).toBeGreaterThan(0);
      expect(counts.lost).toBe(0);
      expect(counts.doubled).toBe(0);
      expect(counts.budgetViolations).toEqual([]);
      expect(counts.requestRows).toBe(counts.acknowledged);
      expect(differing).toEqual([]);
      for (const row of ranked) expect(row.voteCount).toBe(counts.dbTallies.get(row.idea.id));
      expect(ranked).toHaveLength(workshop.ideaIds.length);
    });
  },
);
