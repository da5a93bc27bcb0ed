import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@edp/database';
import { VOTE_BATCH_SQL } from '../../libs/workshop/src/votes/vote.sql.js';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

/**
 * A process closing while votes arrive: a second session holds the process row the way
 * ProcessesService.update does, so these need PostgreSQL even in the default (embedded)
 * run, where one connection runs everything in turn and the race cannot happen.
 */
const POSTGRES = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

describe('support votes racing the close of their process (PostgreSQL)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let w: WorkshopFactory;
  let author: MadeUser;
  let researcher: MadeUser;
  let closer: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES);
    t = await createTestApp({}, { database });
    const f = new Factory(t);
    w = new WorkshopFactory(t);
    author = await f.user({ role: 'company' });
    researcher = await f.user({ role: 'researcher' });
    closer = new pg.Client({ connectionString: database.databaseUrl! });
    await closer.connect();
  });
  afterAll(async () => {
    await closer.end();
    await t.close();
    await database.drop();
  });

  const counts = (ideaId: string) => w.supportVotes(ideaId);

  /** Backends of this database waiting for a row lock (pg_stat_activity, from the pool). */
  async function lockWaiters(): Promise<number> {
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return Number(row.n);
  }

  /**
   * Starts `work` while the closer holds the process row, and says whether it waited for
   * that lock (it is seen waiting) or went ahead (it answered first). Then the closer closes
   * the process and commits, and `work`'s answer is returned.
   */
  async function duringClose<T>(processId: string, work: () => Promise<T>) {
    await closer.query('BEGIN');
    await closer.query('SELECT id FROM processes WHERE id = $1 FOR UPDATE', [processId]);
    let answered = false;
    const pending = work().finally(() => (answered = true));
    while (!answered && (await lockWaiters()) === 0) await new Promise((r) => setTimeout(r, 10));
    const waited = !answered;
    await closer.query(`UPDATE processes SET phase = 'closed' WHERE id = $1`, [processId]);
    await closer.query('COMMIT');
    return { waited, answer: await pending };
  }

  it('a vote that comes while the process is being closed waits for it, then is refused (409 VOTING_CLOSED) and stores nothing', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id, { title: 'Vätgas i Luleå' });
    const { waited, answer } = await duringClose(process.id, () =>
      t
        .http()
        .put(`/api/ideas/${idea.id}/vote`)
        .set(researcher.auth)
        .then((res) => res),
    );
    expect(waited).toBe(true);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('VOTING_CLOSED');
    expect(await counts(idea.id)).toEqual({ counter: 0, rows: 0 });
  });

  it('a retraction that comes while the process is being closed waits, is refused and keeps the vote', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id, { title: 'Skogsråvara i Jämtland' });
    await t.http().put(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(200);
    const { waited, answer } = await duringClose(process.id, () =>
      t
        .http()
        .delete(`/api/ideas/${idea.id}/vote`)
        .set(researcher.auth)
        .then((res) => res),
    );
    expect(waited).toBe(true);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('VOTING_CLOSED');
    expect(await counts(idea.id)).toEqual({ counter: 1, rows: 1 });
  });

  it('a group commit of votes waits for the close too, and inserts none', async () => {
    const process = await w.process();
    const ideas = [
      await w.idea(author, process.id, { title: 'Åtgärd ett' }),
      await w.idea(author, process.id, { title: 'Åtgärd två' }),
    ];
    // VOTE_BATCH_SQL as VotesService runs it for votes that arrive together, on its own session.
    const voter = new pg.Client({ connectionString: database.databaseUrl! });
    await voter.connect();
    try {
      const { waited, answer } = await duringClose(process.id, () =>
        voter.query<{ allowed: boolean; new_count: number | null }>(VOTE_BATCH_SQL, [
          ideas.map((idea) => idea.id),
          [false, false],
          [null, null],
          [researcher.user.id, researcher.user.id],
        ]),
      );
      expect(waited).toBe(true);
      expect(answer.rows.map((row) => [row.allowed, row.new_count])).toEqual([
        [false, null],
        [false, null],
      ]);
    } finally {
      await voter.end();
    }
    for (const idea of ideas) expect(await counts(idea.id)).toEqual({ counter: 0, rows: 0 });
  });

  it('counts every vote answered before the close and none after it, with 30 voters racing the close over HTTP', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id, { title: 'Batterier i Skellefteå' });
    const f = new Factory(t);
    const voters = await Promise.all(Array.from({ length: 30 }, () => f.user({ role: 'company' })));
    const region = await f.user({ role: 'region', regionCode: process.regionCode });
    const results = await Promise.all([
      ...voters.map((v) => t.http().put(`/api/ideas/${idea.id}/vote`).set(v.auth)),
      t.http().patch(`/api/processes/${process.id}`).set(region.auth).send({ phase: 'closed' }),
    ]);
    const close = results.pop()!;
    expect(close.status).toBe(200);
    expect(results.every((r) => r.status === 200 || r.body.code === 'VOTING_CLOSED')).toBe(true);
    const accepted = results.filter((r) => r.status === 200).length;
    expect(await counts(idea.id)).toEqual({ counter: accepted, rows: accepted });
    // After the close has answered, nothing more gets in.
    const late = await t.http().put(`/api/ideas/${idea.id}/vote`).set(researcher.auth);
    expect(late.body.code).toBe('VOTING_CLOSED');
    expect(await counts(idea.id)).toEqual({ counter: accepted, rows: accepted });
  });
});
