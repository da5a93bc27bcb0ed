import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CommentView } from '@edp/workshop';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

describe('comments', () => {
  let t: TestApp;
  let f: Factory;
  let w: WorkshopFactory;
  let company: MadeUser;
  let researcher: MadeUser;
  let skane: MadeUser;
  let stockholm: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    w = new WorkshopFactory(t);
    company = await f.user({ role: 'company' });
    researcher = await f.user({ role: 'researcher', displayName: 'Professor Ström' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    stockholm = await f.user({ role: 'region', regionCode: 'SE110' });
  });
  afterAll(async () => {
    await t.close();
  });

  const comment = (user: MadeUser, ideaId: string, body: object) =>
    t.http().post(`/api/ideas/${ideaId}/comments`).set(user.auth).send(body);
  const commentCount = async (ideaId: string, user?: MadeUser) => {
    const req = t.http().get(`/api/ideas/${ideaId}`);
    return (await (user ? req.set(user.auth) : req).expect(200)).body.commentCount as number;
  };

  it('threads replies under their parent, oldest first, and counts them', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    const root = await comment(company, idea.id, { body: 'Bra idé – vem vill vara med?' }).expect(
      201,
    );
    expect(root.body).toEqual({
      id: expect.any(String),
      ideaId: idea.id,
      parentId: null,
      body: 'Bra idé – vem vill vara med?',
      kind: 'comment',
      authorName: company.user.displayName,
      helix: 'industry',
      createdAt: expect.any(String),
    });
    const offer = await comment(researcher, idea.id, {
      body: 'Vi på Lunds universitet kan bidra.',
      parentId: root.body.id,
      kind: 'expertise',
    }).expect(201);
    expect(offer.body).toMatchObject({
      parentId: root.body.id,
      kind: 'expertise',
      helix: 'academia',
    });
    const deep = await comment(company, idea.id, { body: 'Tack!', parentId: offer.body.id }).expect(
      201,
    );
    const second = await comment(researcher, idea.id, { body: 'En fråga till' }).expect(201);

    const list = await t.http().get(`/api/ideas/${idea.id}/comments`).expect(200);
    expect(list.body.nextCursor).toBeNull();
    const items = list.body.items as CommentView[];
    expect(items.map((c) => c.id)).toEqual([root.body.id, second.body.id]);
    expect(items[0].replies!.map((c) => c.id)).toEqual([offer.body.id]);
    expect(items[0].replies![0].replies!.map((c) => c.id)).toEqual([deep.body.id]);
    expect(await commentCount(idea.id)).toBe(4);
  });

  it('keeps expertise for researchers and parents within the same idea', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    const other = await w.idea(company, process.id);
    const expertise = await comment(company, idea.id, { body: 'Jag är expert', kind: 'expertise' });
    expect(expertise.status).toBe(403);
    expect(expertise.body.code).toBe('EXPERTISE_RESEARCHERS_ONLY');
    const elsewhere = await comment(company, other.id, { body: 'På en annan idé' }).expect(201);
    const wrongParent = await comment(company, idea.id, {
      body: 'Svar',
      parentId: elsewhere.body.id,
    });
    expect(wrongParent.status).toBe(422);
    expect(wrongParent.body.code).toBe('INVALID_PARENT');
    expect(await commentCount(idea.id)).toBe(0);
  });

  it('returns the first comment for a repeated clientId and counts concurrent comments exactly', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    const first = await comment(company, idea.id, { body: 'En gång', clientId: 'k1' }).expect(201);
    const again = await comment(company, idea.id, { body: 'Två gånger', clientId: 'k1' }).expect(
      200,
    );
    expect(again.body.id).toBe(first.body.id);
    const users = await Promise.all(Array.from({ length: 10 }, () => f.user({ role: 'company' })));
    const results = await Promise.all(
      users.flatMap((u) => [1, 2, 3].map((n) => comment(u, idea.id, { body: `Kommentar ${n}` }))),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await commentCount(idea.id)).toBe(31);
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM comments WHERE idea_id = $1`,
      [idea.id],
    );
    expect(row.n).toBe(31);
  });

  it('lets the region’s staff hide a comment (and its replies) from everyone else, audited', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    const abusive = await comment(company, idea.id, { body: 'Otrevligt' }).expect(201);
    const reply = await comment(researcher, idea.id, {
      body: 'Svar',
      parentId: abusive.body.id,
    }).expect(201);
    await comment(researcher, idea.id, { body: 'Sakligt' }).expect(201);

    for (const user of [company, researcher]) {
      await t
        .http()
        .patch(`/api/comments/${abusive.body.id}`)
        .set(user.auth)
        .send({ hidden: true })
        .expect(403);
    }
    await t
      .http()
      .patch(`/api/comments/${abusive.body.id}`)
      .set(stockholm.auth)
      .send({ hidden: true })
      .expect(403);
    const hidden = await t
      .http()
      .patch(`/api/comments/${abusive.body.id}`)
      .set(skane.auth)
      .send({ hidden: true })
      .expect(200);
    expect(hidden.body).toMatchObject({ id: abusive.body.id, hidden: true });

    const publicList = await t.http().get(`/api/ideas/${idea.id}/comments`).expect(200);
    const ids = JSON.stringify(publicList.body);
    expect(ids).not.toContain(abusive.body.id);
    expect(ids).not.toContain(reply.body.id);
    expect(ids).not.toContain('"hidden"');
    const staffList = await t
      .http()
      .get(`/api/ideas/${idea.id}/comments`)
      .set(skane.auth)
      .expect(200);
    expect(staffList.body.items[0]).toMatchObject({ id: abusive.body.id, hidden: true });
    expect(await commentCount(idea.id)).toBe(1);
    // A reply to a hidden comment is refused.
    const late = await comment(company, idea.id, { body: 'Sent svar', parentId: abusive.body.id });
    expect(late.status).toBe(422);

    await t
      .http()
      .patch(`/api/comments/${abusive.body.id}`)
      .set(skane.auth)
      .send({ hidden: false })
      .expect(200);
    expect(await commentCount(idea.id)).toBe(3);
    const audit = await t
      .http()
      .get(`/api/processes/${process.id}/audit`)
      .set(skane.auth)
      .expect(200);
    expect(
      audit.body.items
        .slice(0, 2)
        .map((e: { action: string; objectId: string }) => [e.action, e.objectId]),
    ).toEqual([
      ['comment.unhidden', abusive.body.id],
      ['comment.hidden', abusive.body.id],
    ]);
  });

  it('takes comments while the process is open or in review, not when closed, and never on hidden ideas', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    await w.setPhase(process.id, 'review');
    await comment(researcher, idea.id, { body: 'Under granskning' }).expect(201);
    await w.setPhase(process.id, 'closed');
    const closed = await comment(researcher, idea.id, { body: 'Stängd' });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('COMMENTING_CLOSED');
    const open = await w.process();
    const hiddenIdea = await w.idea(company, open.id);
    await t
      .http()
      .patch(`/api/ideas/${hiddenIdea.id}`)
      .set(skane.auth)
      .send({ hidden: true })
      .expect(200);
    expect((await comment(researcher, hiddenIdea.id, { body: 'Dold' })).status).toBe(404);
    expect((await t.http().get(`/api/ideas/${hiddenIdea.id}/comments`)).status).toBe(404);
    const draft = await w.process({ phase: 'draft' });
    const staffIdea = await t.dataSource.query(
      `INSERT INTO ideas (process_id, author_user_id, author_name, title) VALUES ($1, $2, 'x', 'Utkastidé') RETURNING id`,
      [draft.id, company.user.id],
    );
    expect((await t.http().get(`/api/ideas/${staffIdea[0].id}/comments`)).status).toBe(404);
    expect((await comment(company, staffIdea[0].id, { body: 'Hej' })).status).toBe(404);
  });

  it('pages through threads, each with its replies', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    const roots: string[] = [];
    for (const n of [1, 2, 3]) {
      const root = await comment(company, idea.id, { body: `Tråd ${n}` }).expect(201);
      await comment(researcher, idea.id, { body: `Svar ${n}`, parentId: root.body.id }).expect(201);
      roots.push(root.body.id);
    }
    const seen: CommentView[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: CommentView[]; nextCursor: string | null } } = await t
        .http()
        .get(`/api/ideas/${idea.id}/comments?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map((c) => c.id)).toEqual(roots);
    expect(seen.map((c) => c.replies?.map((r) => r.body))).toEqual([
      ['Svar 1'],
      ['Svar 2'],
      ['Svar 3'],
    ]);
  });
});
