import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@edp/database';
import { VOTE_BATCH_SQL } from '../../libs/workshop/src/votes/vote.sql.js';
import { LiveFactory, clientId, connect, ok, send } from '../realtime/live-support.js';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

/**
 * A process closing while votes, comments and ideas arrive: a second session holds the
 * process row the way ProcessesService.update does, so these need PostgreSQL even in the
 * default (embedded) run, where one connection runs everything in turn and the race cannot
 * happen.
 */
const POSTGRES = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

describe('writes racing the close of their process (PostgreSQL)', () => {
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

  /** Comments stored on the idea, and its comment_count: they must agree. */
  async function comments(ideaId: string): Promise<{ counter: number; rows: number }> {
    const [row] = await t.dataSource.query(
      `SELECT comment_count AS counter, (SELECT count(*)::int FROM comments WHERE idea_id = $1) AS rows
       FROM ideas WHERE id = $1`,
      [ideaId],
    );
    return { counter: Number(row.counter), rows: Number(row.rows) };
  }

  async function ideasOf(processId: string): Promise<number> {
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ideas WHERE process_id = $1`,
      [processId],
    );
    return Number(row.n);
  }

  it('a comment that comes while the process is being closed waits, then is refused (409 COMMENTING_CLOSED) and stores nothing', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id, { title: 'Fossilfritt stål' });
    const { waited, answer } = await duringClose(process.id, () =>
      t
        .http()
        .post(`/api/ideas/${idea.id}/comments`)
        .set(researcher.auth)
        .send({ body: 'För sent – åäö' })
        .then((res) => res),
    );
    expect(waited).toBe(true);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('COMMENTING_CLOSED');
    expect(await comments(idea.id)).toEqual({ counter: 0, rows: 0 });
  });

  it('an idea submitted while the process is being closed waits, then is refused (409 PROCESS_NOT_OPEN) and is not stored', async () => {
    const process = await w.process();
    const { waited, answer } = await duringClose(process.id, () =>
      t
        .http()
        .post(`/api/processes/${process.id}/ideas`)
        .set(author.auth)
        .send({ title: 'Idé som kom för sent' })
        .then((res) => res),
    );
    expect(waited).toBe(true);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('PROCESS_NOT_OPEN');
    expect(await ideasOf(process.id)).toBe(0);
  });

  it('in a live workshop, a comment and an idea sent while the process is being closed wait, are refused and store nothing', async () => {
    const live = new LiveFactory(t);
    const process = await w.process();
    const { workshop, facilitator } = await live.workshop({ processId: process.id });
    const host = await connect(t.url, facilitator.token);
    const guestToken = (await live.guest(workshop.joinCode, 'Gäst Örjan')).token;
    const guest = await connect(t.url, guestToken);
    try {
      await ok(host, 'workshop:join', { workshopId: workshop.id });
      await ok(guest, 'workshop:join', { workshopId: workshop.id });
      await live.stage(host, workshop.id, 'ideation');
      const idea = await ok<{ id: string }>(host, 'idea:submit', {
        workshopId: workshop.id,
        title: 'Idé i rummet',
        clientId: clientId(),
      });
      const comment = await duringClose(process.id, () =>
        send(guest, 'comment:add', {
          workshopId: workshop.id,
          ideaId: idea.id,
          body: 'För sent i rummet',
          clientId: clientId(),
        }),
      );
      expect(comment.waited).toBe(true);
      expect(comment.answer).toMatchObject({ ok: false, error: { code: 'COMMENTING_CLOSED' } });
      expect(await comments(idea.id)).toEqual({ counter: 0, rows: 0 });

      await t.dataSource.query(`UPDATE processes SET phase = 'open' WHERE id = $1`, [process.id]);
      const submitted = await duringClose(process.id, () =>
        send(guest, 'idea:submit', {
          workshopId: workshop.id,
          title: 'Idé som kom för sent',
          clientId: clientId(),
        }),
      );
      expect(submitted.waited).toBe(true);
      expect(submitted.answer).toMatchObject({ ok: false, error: { code: 'PROCESS_NOT_OPEN' } });
      expect(await ideasOf(process.id)).toBe(1);
    } finally {
      host.close();
      guest.close();
    }
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
