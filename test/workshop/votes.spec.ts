import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

describe('support votes', () => {
  let t: TestApp;
  let f: Factory;
  let w: WorkshopFactory;
  let author: MadeUser;
  let researcher: MadeUser;
  let staff: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    w = new WorkshopFactory(t);
    author = await f.user({ role: 'company' });
    researcher = await f.user({ role: 'researcher' });
    staff = await f.user({ role: 'region', regionCode: 'SE224' });
  });
  afterAll(async () => {
    await t.close();
  });

  const vote = (user: MadeUser, ideaId: string) =>
    t.http().put(`/api/ideas/${ideaId}/vote`).set(user.auth);
  const retract = (user: MadeUser, ideaId: string) =>
    t.http().delete(`/api/ideas/${ideaId}/vote`).set(user.auth);

  const counts = (ideaId: string) => w.supportVotes(ideaId);

  it('votes and retracts idempotently', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    const first = await vote(researcher, idea.id).expect(200);
    expect(first.body).toEqual({ ideaId: idea.id, voteCount: 1, voted: true });
    expect((await vote(researcher, idea.id).expect(200)).body.voteCount).toBe(1);
    const mine = await t.http().get(`/api/ideas/${idea.id}`).set(researcher.auth).expect(200);
    expect(mine.body.votedByMe).toBe(true);
    const other = await t.http().get(`/api/ideas/${idea.id}`).set(author.auth).expect(200);
    expect(other.body.votedByMe).toBe(false);
    const gone = await retract(researcher, idea.id).expect(200);
    expect(gone.body).toEqual({ ideaId: idea.id, voteCount: 0, voted: false });
    expect((await retract(researcher, idea.id).expect(200)).body.voteCount).toBe(0);
    expect(await counts(idea.id)).toEqual({ counter: 0, rows: 0 });
  });

  it('takes support votes from companies and researchers only', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    for (const role of ['region', 'facilitator', 'agency'] as const) {
      const user = await f.user({ role, regionCode: role === 'agency' ? null : 'SE224' });
      const res = await vote(user, idea.id);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    await t.http().put(`/api/ideas/${idea.id}/vote`).expect(401);
    await vote(author, idea.id).expect(200);
    expect(await counts(idea.id)).toEqual({ counter: 1, rows: 1 });
  });

  it('refuses votes and retractions when the process is not open (409 VOTING_CLOSED)', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    await vote(researcher, idea.id).expect(200);
    for (const phase of ['review', 'closed'] as const) {
      await w.setPhase(process.id, phase);
      for (const res of [await vote(author, idea.id), await retract(researcher, idea.id)]) {
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('VOTING_CLOSED');
      }
    }
    await w.setPhase(process.id, 'draft');
    expect((await vote(author, idea.id)).status).toBe(404);
    expect(await counts(idea.id)).toEqual({ counter: 1, rows: 1 });
    // A reopened process takes votes again.
    await w.setPhase(process.id, 'open');
    await vote(author, idea.id).expect(200);
    expect(await counts(idea.id)).toEqual({ counter: 2, rows: 2 });
  });

  it('answers 404 for a hidden or unknown idea and stores nothing', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    await vote(researcher, idea.id).expect(200);
    await t.dataSource.query(`UPDATE ideas SET hidden = true WHERE id = $1`, [idea.id]);
    for (const res of [await vote(author, idea.id), await retract(researcher, idea.id)]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect(await counts(idea.id)).toEqual({ counter: 1, rows: 1 });
    const unknown = await vote(author, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });

  it('counts 50 users voting on one idea at once exactly: 50 votes, 50 rows', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    const voters = await Promise.all(
      Array.from({ length: 50 }, (_, i) => f.user({ role: i % 2 ? 'company' : 'researcher' })),
    );
    const results = await Promise.all(voters.map((v) => vote(v, idea.id)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(Math.max(...results.map((r) => r.body.voteCount as number))).toBe(50);
    expect(await counts(idea.id)).toEqual({ counter: 50, rows: 50 });
    const view = await t.http().get(`/api/ideas/${idea.id}`).expect(200);
    expect(view.body.voteCount).toBe(50);
  });

  it('answers each of a burst of mixed votes on its own: the allowed ones count, the rest are refused and store nothing', async () => {
    const open = await w.process();
    const closed = await w.process();
    const [a, b, hidden, merged] = await Promise.all(
      ['Alfa', 'Beta', 'Dold', 'Sammanslagen'].map((title) => w.idea(author, open.id, { title })),
    );
    const late = await w.idea(author, closed.id, { title: 'För sent' });
    await t.dataSource.query(`UPDATE ideas SET hidden = true WHERE id = $1`, [hidden.id]);
    await t.dataSource.query(
      `UPDATE ideas SET status = 'merged', merged_into_id = $2 WHERE id = $1`,
      [merged.id, a.id],
    );
    await t.dataSource.query(`UPDATE processes SET phase = 'closed' WHERE id = $1`, [closed.id]);
    const unknown = '00000000-0000-4000-8000-00000000beef';
    const expected: Record<string, [number, string | null]> = {
      [a.id]: [200, null],
      [b.id]: [200, null],
      [hidden.id]: [404, 'NOT_FOUND'],
      [unknown]: [404, 'NOT_FOUND'],
      [late.id]: [409, 'VOTING_CLOSED'],
      [merged.id]: [409, 'IDEA_MERGED'],
    };
    const voters = await Promise.all(Array.from({ length: 10 }, () => f.user({ role: 'company' })));
    const sent = voters.flatMap((voter) => Object.keys(expected).map((id) => ({ voter, id })));
    const results = await Promise.all(sent.map(({ voter, id }) => vote(voter, id)));
    results.forEach((res, i) => {
      const [status, code] = expected[sent[i].id];
      expect({ id: sent[i].id, status: res.status, code: res.body.code ?? null }).toEqual({
        id: sent[i].id,
        status,
        code,
      });
      if (status === 200) expect(res.body.voteCount).toBeGreaterThanOrEqual(1);
    });
    expect(await counts(a.id)).toEqual({ counter: 10, rows: 10 });
    expect(await counts(b.id)).toEqual({ counter: 10, rows: 10 });
    for (const refused of [hidden, late, merged]) {
      expect(await counts(refused.id)).toEqual({ counter: 0, rows: 0 });
    }
  });

  it('counts one user sending 20 concurrent votes once', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    const results = await Promise.all(Array.from({ length: 20 }, () => vote(researcher, idea.id)));
    expect(results.every((r) => r.status === 200 && r.body.voteCount === 1 && r.body.voted)).toBe(
      true,
    );
    expect(await counts(idea.id)).toEqual({ counter: 1, rows: 1 });
  });

  it('keeps the counter equal to the rows under racing votes and retractions', async () => {
    const process = await w.process();
    const idea = await w.idea(author, process.id);
    const voters = await Promise.all(Array.from({ length: 10 }, () => f.user({ role: 'company' })));
    for (let round = 0; round < 3; round++) {
      const requests = voters.flatMap((v, i) =>
        // Each voter sends a shuffled mix of votes and retractions at the same time.
        [
          vote(v, idea.id),
          retract(v, idea.id),
          vote(v, idea.id),
          (i + round) % 2 ? retract(v, idea.id) : vote(v, idea.id),
        ],
      );
      const results = await Promise.all(requests);
      expect(results.every((r) => r.status === 200)).toBe(true);
      const { counter, rows } = await counts(idea.id);
      expect(counter).toBe(rows);
      expect(rows).toBeLessThanOrEqual(10);
    }
    // A final settled state: everyone retracts, then half vote again.
    await Promise.all(voters.map((v) => retract(v, idea.id)));
    await Promise.all(voters.slice(0, 5).map((v) => vote(v, idea.id)));
    expect(await counts(idea.id)).toEqual({ counter: 5, rows: 5 });
  });

  it('keeps both counters equal to their rows when votes race a merge', async () => {
    const process = await w.process();
    const source = await w.idea(author, process.id, { title: 'Källa' });
    const target = await w.idea(author, process.id, { title: 'Mål' });
    const voters = await Promise.all(Array.from({ length: 20 }, () => f.user({ role: 'company' })));
    for (const v of voters.slice(0, 5)) await vote(v, target.id).expect(200);
    const merge = t
      .http()
      .patch(`/api/ideas/${source.id}`)
      .set(staff.auth)
      .send({ status: 'merged', mergedIntoId: target.id });
    const results = await Promise.all([
      ...voters.map((v) => vote(v, source.id)),
      merge,
      ...voters.slice(10).map((v) => vote(v, target.id)),
    ]);
    // A vote on the source lands before the merge (and moves) or after it (IDEA_MERGED).
    expect(results.every((r) => r.status === 200 || r.body.code === 'IDEA_MERGED')).toBe(true);
    expect(await counts(source.id)).toEqual({ counter: 0, rows: 0 });
    const onTarget = await counts(target.id);
    expect(onTarget.counter).toBe(onTarget.rows);
    const accepted = new Set<string>();
    voters.slice(0, 5).forEach((v) => accepted.add(v.user.id));
    voters.slice(10).forEach((v) => accepted.add(v.user.id));
    voters.forEach((v, i) => {
      if (results[i].status === 200) accepted.add(v.user.id);
    });
    expect(onTarget.rows).toBe(accepted.size);
  });
});
