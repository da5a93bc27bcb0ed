import { afterAll, describe, expect, it } from '@jest/globals';
import { ApiServer } from './support/api-server.js';
import { register, type Registration } from './support/accounts.js';
import { embeddedBackend, type Backend } from './support/backend.js';
import { call } from './support/http.js';
import { embeddedIndexProblems } from './support/integrity.js';
import { seededRandom } from './support/live.js';
import { sleep, waitFor } from './support/run-dir.js';

const KILLS = 3;
const WRITERS = 4;

/**
 * Issue 8, scenario 6: the server on the embedded database (PGlite in DATA_DIR) is SIGKILLed
 * while it writes, again and again. Each time it must start on the same files with every
 * acknowledged write present, nothing half-written, and indexes that match their tables.
 */
describe('embedded database: SIGKILL during writes', () => {
  let backend: Backend | undefined;
  let server: ApiServer | undefined;

  afterAll(async () => {
    await server?.kill();
    backend?.dispose();
  });

  it('restarts on the same DATA_DIR with all acknowledged data, uncorrupted', async () => {
    const seed = Number(process.env.EDP_FAULTS_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    backend = await embeddedBackend();
    // The first start binds a port of the system's choosing; every restart takes it again.
    let port: number | undefined;
    const attempts: Registration[] = [];
    const inFlightAtKill: number[] = [];

    for (let round = 0; round < KILLS; round++) {
      server = await ApiServer.start('embedded-crash', backend.env, { port });
      port = server.port;
      let writing = true;
      let inFlight = 0;
      const writers = Array.from({ length: WRITERS }, async () => {
        while (writing) {
          inFlight++;
          attempts.push(await register(server!.url, `crash${round}`));
          inFlight--;
        }
      });
      // Some writes of this round acknowledged, then a kill at a random moment among the next ones.
      await waitFor(
        'writes to be acknowledged',
        async () =>
          attempts.filter((a) => a.email.startsWith(`crash${round}-`) && a.reply?.status === 201)
            .length >= 3
            ? true
            : undefined,
        60000,
        20,
      );
      await sleep(random() * 1000);
      inFlightAtKill.push(inFlight);
      writing = false;
      expect((await server.kill()).signal).toBe('SIGKILL');
      await Promise.all(writers);
    }

    // One more start on the crashed files: it must come up and serve what it acknowledged.
    server = await ApiServer.start('embedded-crash', backend.env, { port });
    const acknowledged = attempts.filter((a) => a.reply?.status === 201);
    const sample = acknowledged.filter((_, i) => i % Math.ceil(acknowledged.length / 20) === 0);
    const logins = await Promise.all(
      sample.map((a) =>
        call(server!.url, 'POST', '/api/auth/login', {
          body: { email: a.email, password: 'Fault-suite-lösenord-42' },
        }),
      ),
    );
    expect(logins.map((l) => l.status)).toEqual(sample.map(() => 200));
    expect((await server.terminate()).code).toBe(0);

    const emails = attempts.map((a) => a.email);
    const names = attempts.map((a) => a.organisation);
    const stored = await backend.withQuery(async (query) => ({
      users: new Set(
        (
          await query<{ email: string }>('SELECT email FROM users WHERE email = ANY($1)', [emails])
        ).map((r) => r.email),
      ),
      orgs: new Set(
        (
          await query<{ name: string }>('SELECT name FROM organisations WHERE name = ANY($1)', [
            names,
          ])
        ).map((r) => r.name),
      ),
    }));
    const lost = acknowledged.filter(
      (a) => !stored.users.has(a.email) || !stored.orgs.has(a.organisation),
    );
    const partial = attempts.filter(
      (a) => stored.users.has(a.email) !== stored.orgs.has(a.organisation),
    );
    const unanswered = attempts.filter((a) => a.reply === null);
    const integrity = await embeddedIndexProblems(backend.dataDir!);

    console.log(
      `embedded SIGKILL ×${KILLS} (seed ${seed}): writes acknowledged ${acknowledged.length}, lost ${lost.length}, ` +
        `partial ${partial.length}; cut off by the kill ${unanswered.length} ` +
        `(stored anyway ${unanswered.filter((a) => stored.users.has(a.email)).length}); ` +
        `writes in flight at each kill: ${inFlightAtKill.join(', ')}; ` +
        `B-tree indexes checked ${integrity.indexes}, problems ${integrity.problems.length}`,
    );
    expect(acknowledged.length).toBeGreaterThan(KILLS);
    for (const n of inFlightAtKill) expect(n).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(partial).toEqual([]);
    expect(integrity.indexes).toBeGreaterThan(5);
    expect(integrity.problems).toEqual([]);
  });
});
