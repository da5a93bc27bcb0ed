import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CommentView } from '@edp/workshop';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

/**
 * Hiding a comment hides its whole thread from participants, so the idea's public
 * `commentCount` must drop by the thread, and nobody may reply further down a hidden thread:
 * otherwise the count tells participants how much hidden discussion there is.
 */
describe('commentCount equals the comments participants can see', () => {
  let t: TestApp;
  let company: MadeUser;
  let researcher: MadeUser;
  let staff: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    company = await f.user({ role: 'company' });
    researcher = await f.user({ role: 'researcher' });
    staff = await f.user({ role: 'region', regionCode: 'SE224' });
  });
  afterAll(async () => t.close());

  const comment = (user: MadeUser, ideaId: string, body: object) =>
    t.http().post(`/api/ideas/${ideaId}/comments`).set(user.auth).send(body);
  const visibleInThread = (items: CommentView[]): number =>
    items.reduce((sum, item) => sum + 1 + visibleInThread(item.replies ?? []), 0);

  it('counts only comments outside hidden threads, and refuses replies inside them', async () => {
    const w = new WorkshopFactory(t);
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    const abusive = await comment(company, idea.id, { body: 'Otrevligt' }).expect(201);
    const reply = await comment(researcher, idea.id, {
      body: 'Svar',
      parentId: abusive.body.id,
    }).expect(201);
    await comment(company, idea.id, { body: 'Svar på svaret', parentId: reply.body.id }).expect(
      201,
    );
    await comment(researcher, idea.id, { body: 'Sakligt' }).expect(201);

    await t
      .http()
      .patch(`/api/comments/${abusive.body.id}`)
      .set(staff.auth)
      .send({ hidden: true })
      .expect(200);
    const thread = await t.http().get(`/api/ideas/${idea.id}/comments`).expect(200);
    const shown = visibleInThread(thread.body.items);
    expect(shown).toBe(1);
    const read = await t.http().get(`/api/ideas/${idea.id}`).expect(200);
    expect(read.body.commentCount).toBe(shown);

    // A reply further down the hidden thread is refused like a reply to the hidden comment.
    const late = await comment(company, idea.id, { body: 'Sent', parentId: reply.body.id });
    expect({ status: late.status, code: late.body.code }).toEqual({
      status: 422,
      code: 'INVALID_PARENT',
    });
    expect((await t.http().get(`/api/ideas/${idea.id}`).expect(200)).body.commentCount).toBe(1);

    await t
      .http()
      .patch(`/api/comments/${abusive.body.id}`)
      .set(staff.auth)
      .send({ hidden: false })
      .expect(200);
    expect((await t.http().get(`/api/ideas/${idea.id}`).expect(200)).body.commentCount).toBe(4);
  });
});
