import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { GuestActor, UserActor } from '@edp/auth';
import {
  CommentsService,
  IdeasService,
  ProcessesService,
  WorkshopEvent,
  type IdeaView,
} from '@edp/workshop';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

interface Seen {
  name: string;
  payload: Record<string, unknown>;
  /** Whether a separate connection could already read the idea when the event fired. */
  committed: Promise<boolean>;
}

describe('domain events and the services libs/realtime calls', () => {
  let t: TestApp;
  let f: Factory;
  let w: WorkshopFactory;
  let company: MadeUser;
  let researcher: MadeUser;
  let skane: MadeUser;
  let seen: Seen[];

  const ideaIdOf = (name: string, payload: Record<string, unknown>): string =>
    name === WorkshopEvent.IdeaVotesChanged
      ? (payload.ideaId as string)
      : name === WorkshopEvent.CommentCreated
        ? (payload.comment as { ideaId: string }).ideaId
        : (payload.idea as IdeaView).id;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    w = new WorkshopFactory(t);
    company = await f.user({ role: 'company' });
    researcher = await f.user({ role: 'researcher' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    const emitter = t.app.get(EventEmitter2);
    for (const name of Object.values(WorkshopEvent)) {
      emitter.on(name, (payload: Record<string, unknown>) => {
        const ideaId = ideaIdOf(name, payload);
        // On PostgreSQL this reads through another pooled connection: an event sent from
        // inside the transaction would not see the vote counter or the comment yet.
        const committed = t.dataSource
          .query(`SELECT vote_count, comment_count, hidden, status FROM ideas WHERE id = $1`, [
            ideaId,
          ])
          .then((rows: { vote_count: number; comment_count: number }[]) => {
            const row = rows[0];
            if (!row) return false;
            if (name === WorkshopEvent.IdeaVotesChanged)
              return row.vote_count === payload.voteCount;
            if (name === WorkshopEvent.CommentCreated) return row.comment_count > 0;
            const idea = payload.idea as IdeaView;
            return row.vote_count === idea.voteCount;
          });
        seen.push({ name, payload, committed });
      });
    }
  });
  beforeEach(() => {
    seen = [];
  });
  afterAll(async () => {
    await t.close();
  });

  async function expectAllCommitted(): Promise<void> {
    for (const event of seen) expect(await event.committed).toBe(true);
  }

  it('sends idea.created with the staff view and the region after commit', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id, { title: 'Händelse' });
    expect(seen.map((e) => e.name)).toEqual(['idea.created']);
    expect(seen[0].payload).toEqual({ idea: { ...idea, hidden: false }, regionCode: 'SE224' });
    await expectAllCommitted();
    // A retried clientId creates nothing and announces nothing.
    seen = [];
    await t
      .http()
      .post(`/api/processes/${process.id}/ideas`)
      .set(company.auth)
      .send({ title: 'Abc', clientId: 'x1' })
      .expect(201);
    await t
      .http()
      .post(`/api/processes/${process.id}/ideas`)
      .set(company.auth)
      .send({ title: 'Abc', clientId: 'x1' })
      .expect(200);
    expect(seen.map((e) => e.name)).toEqual(['idea.created']);
  });

  it('sends idea.votes-changed only when the count changed', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    seen = [];
    await t.http().put(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(200);
    await t.http().put(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(200);
    await t.http().delete(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(200);
    await t.http().delete(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(200);
    expect(seen.map((e) => e.payload)).toEqual([
      { ideaId: idea.id, processId: process.id, workshopId: null, voteCount: 1 },
      { ideaId: idea.id, processId: process.id, workshopId: null, voteCount: 0 },
    ]);
    await expectAllCommitted();
    await w.setPhase(process.id, 'closed');
    await t.http().put(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(409);
    expect(seen).toHaveLength(2);
  });

  it('sends idea.updated for edits, status, hiding and both sides of a merge', async () => {
    const process = await w.process();
    const a = await w.idea(company, process.id);
    const b = await w.idea(company, process.id);
    await t.http().put(`/api/ideas/${a.id}/vote`).set(researcher.auth).expect(200);
    seen = [];
    await t
      .http()
      .patch(`/api/ideas/${a.id}`)
      .set(company.auth)
      .send({ title: 'Ny titel' })
      .expect(200);
    await t
      .http()
      .patch(`/api/ideas/${b.id}`)
      .set(skane.auth)
      .send({ status: 'shortlisted' })
      .expect(200);
    await t.http().patch(`/api/ideas/${b.id}`).set(skane.auth).send({ hidden: true }).expect(200);
    await t
      .http()
      .patch(`/api/ideas/${a.id}`)
      .set(skane.auth)
      .send({ status: 'merged', mergedIntoId: b.id })
      .expect(200);
    const summary = seen.map((e) =>
      e.name === WorkshopEvent.IdeaUpdated
        ? [
            e.name,
            (e.payload.idea as IdeaView).id,
            (e.payload.idea as IdeaView).status,
            (e.payload.idea as IdeaView).hidden,
          ]
        : [e.name, e.payload.ideaId, e.payload.voteCount],
    );
    expect(summary).toEqual([
      ['idea.updated', a.id, 'submitted', false],
      ['idea.updated', b.id, 'shortlisted', false],
      ['idea.updated', b.id, 'shortlisted', true],
      ['idea.updated', a.id, 'merged', false],
      ['idea.updated', b.id, 'shortlisted', true],
      ['idea.votes-changed', a.id, 0],
      ['idea.votes-changed', b.id, 1],
    ]);
    expect(seen[0].payload.regionCode).toBe('SE224');
    expect((seen[0].payload.idea as IdeaView).title).toBe('Ny titel');
    await expectAllCommitted();
  });

  it('sends comment.created with the process and workshop', async () => {
    const process = await w.process();
    const idea = await w.idea(company, process.id);
    seen = [];
    const res = await t
      .http()
      .post(`/api/ideas/${idea.id}/comments`)
      .set(researcher.auth)
      .send({ body: 'Intressant' })
      .expect(201);
    expect(seen).toHaveLength(1);
    expect(seen[0].name).toBe('comment.created');
    expect(seen[0].payload).toEqual({
      comment: res.body,
      workshopId: null,
      processId: process.id,
    });
    await expectAllCommitted();
  });

  describe('services exported to libs/realtime', () => {
    it('lets a guest submit and comment only inside its own workshop', async () => {
      const process = await w.process();
      const workshopId = await w.workshop(process.id);
      const otherWorkshop = await w.workshop(process.id);
      const guest: GuestActor = {
        kind: 'guest',
        id: crypto.randomUUID(),
        workshopId,
        displayName: 'Gäst Göran',
      };
      const ideas = t.app.get(IdeasService);
      const comments = t.app.get(CommentsService);
      seen = [];
      const { idea, created } = await ideas.submit(
        guest,
        process.id,
        { title: 'Från verkstaden', clientId: 'g1' },
        { workshopId },
      );
      expect(created).toBe(true);
      expect(idea).toMatchObject({
        workshopId,
        authorName: 'Gäst Göran',
        helix: null,
        organisationName: null,
      });
      expect(seen[0].payload).toMatchObject({
        idea: { id: idea.id, workshopId },
        regionCode: 'SE224',
      });
      const retry = await ideas.submit(
        guest,
        process.id,
        { title: 'Från verkstaden', clientId: 'g1' },
        { workshopId },
      );
      expect(retry).toEqual({ idea, created: false });
      await expect(
        ideas.submit(guest, process.id, { title: 'Utan verkstad' }),
      ).rejects.toMatchObject({ status: 403 });
      await expect(
        ideas.submit(guest, process.id, { title: 'Fel verkstad' }, { workshopId: otherWorkshop }),
      ).rejects.toMatchObject({ status: 403 });
      await expect(
        ideas.submit(guest, process.id, { title: 'x' }, { workshopId }),
      ).rejects.toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      await expect(
        ideas.submit(guest, process.id, { title: 'NUL \u0000 här' }, { workshopId }),
      ).rejects.toMatchObject({ status: 400 });

      const { comment } = await comments.add(
        guest,
        idea.id,
        { body: 'Gästkommentar', clientId: 'gc1' },
        { workshopId },
      );
      expect(comment).toMatchObject({ ideaId: idea.id, authorName: 'Gäst Göran', kind: 'comment' });
      expect(seen.at(-1)!.payload).toMatchObject({ workshopId, processId: process.id });
      await expect(comments.add(guest, idea.id, { body: 'Utan verkstad' })).rejects.toMatchObject({
        status: 403,
      });
      await expect(
        comments.add(guest, idea.id, { body: 'Expert', kind: 'expertise' }, { workshopId }),
      ).rejects.toMatchObject({ status: 403 });

      const listed = await ideas.listForWorkshop(workshopId, null);
      expect(listed.map((i) => i.id)).toEqual([idea.id]);
      const staff: UserActor = {
        kind: 'user',
        id: skane.user.id,
        role: 'region',
        regionCode: 'SE224',
        displayName: skane.user.displayName,
        organisationId: null,
      };
      const hidden = await ideas.setHidden(staff, idea.id, true);
      expect(hidden.hidden).toBe(true);
      expect(await ideas.listForWorkshop(workshopId, null)).toEqual([]);
      await expect(ideas.setHidden(guest, idea.id, false)).rejects.toMatchObject({ status: 404 });
      expect((await ideas.view(staff, idea.id)).hidden).toBe(true);
      await expect(ideas.view(null, idea.id)).rejects.toMatchObject({ status: 404 });
    });

    it('accepts workshop input in a draft process, but not in a closed one', async () => {
      const ideas = t.app.get(IdeasService);
      const comments = t.app.get(CommentsService);
      const draft = await w.process({ phase: 'draft' });
      const workshopId = await w.workshop(draft.id);
      const guest: GuestActor = {
        kind: 'guest',
        id: crypto.randomUUID(),
        workshopId,
        displayName: 'Gäst',
      };
      const { idea } = await ideas.submit(
        guest,
        draft.id,
        { title: 'Tidigt förslag' },
        { workshopId },
      );
      const { comment } = await comments.add(
        guest,
        idea.id,
        { body: 'Och en kommentar' },
        { workshopId },
      );
      expect(comment.ideaId).toBe(idea.id);
      // Outside the workshop the draft stays invisible.
      await expect(ideas.view(null, idea.id)).rejects.toMatchObject({ status: 404 });
      await w.setPhase(draft.id, 'open');
      await w.setPhase(draft.id, 'closed');
      await expect(
        ideas.submit(guest, draft.id, { title: 'För sent' }, { workshopId }),
      ).rejects.toMatchObject({
        status: 409,
        code: 'PROCESS_NOT_OPEN',
      });
      await expect(
        comments.add(guest, idea.id, { body: 'För sent' }, { workshopId }),
      ).rejects.toMatchObject({ status: 409, code: 'COMMENTING_CLOSED' });
    });

    it('answers visibility and staff checks for a process', async () => {
      const processes = t.app.get(ProcessesService);
      const draft = await w.process({ phase: 'draft' });
      const open = await w.process();
      const actor = (user: MadeUser): UserActor => ({
        kind: 'user',
        id: user.user.id,
        role: user.user.role,
        regionCode: user.user.regionCode,
        displayName: user.user.displayName,
        organisationId: user.user.organisationId,
      });
      await expect(processes.getVisible(null, draft.id)).rejects.toMatchObject({ status: 404 });
      expect((await processes.getVisible(null, open.id)).phase).toBe('open');
      expect((await processes.requireStaff(actor(skane), draft.id)).id).toBe(draft.id);
      await expect(processes.requireStaff(actor(company), open.id)).rejects.toMatchObject({
        status: 403,
      });
      await expect(processes.requireStaff(actor(company), draft.id)).rejects.toMatchObject({
        status: 404,
      });
    });
  });
});
