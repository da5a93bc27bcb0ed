import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IdeaView } from '@edp/workshop';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

describe('ideas', () => {
  let t: TestApp;
  let f: Factory;
  let w: WorkshopFactory;
  let admin: MadeUser;
  let skane: MadeUser;
  let facilitator: MadeUser;
  let stockholm: MadeUser;
  let company: MadeUser;
  let researcher: MadeUser;
  let agency: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    w = new WorkshopFactory(t);
    admin = await f.user({ role: 'admin' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    facilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    stockholm = await f.user({ role: 'region', regionCode: 'SE110' });
    company = await f.user({
      role: 'company',
      organisationName: 'Öresund Bioteknik AB',
      displayName: 'Åsa Öberg',
    });
    researcher = await f.user({ role: 'researcher' });
    agency = await f.user({ role: 'agency' });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (user: MadeUser, processId: string, body: object) =>
    t.http().post(`/api/processes/${processId}/ideas`).set(user.auth).send(body);

  describe('submitting', () => {
    it('stores the idea with the author’s organisation and helix snapshot', async () => {
      const area = await w.priorityArea('SE224');
      const process = await w.process({ priorityAreaIds: [area.id] });
      const res = await post(company, process.id, {
        title: 'Cirkulära förpackningar',
        body: 'Återbruk av glas i Skåne',
        priorityAreaIds: [area.id],
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        processId: process.id,
        workshopId: null,
        title: 'Cirkulära förpackningar',
        body: 'Återbruk av glas i Skåne',
        status: 'submitted',
        mergedIntoId: null,
        authorName: 'Åsa Öberg',
        organisationName: 'Öresund Bioteknik AB',
        helix: 'industry',
        priorityAreaIds: [area.id],
        voteCount: 0,
        commentCount: 0,
        votedByMe: false,
        createdAt: expect.any(String),
      });
      const read = await t.http().get(`/api/ideas/${res.body.id}`).expect(200);
      expect(read.body).toEqual(res.body);
      const processView = await t.http().get(`/api/processes/${process.id}`).expect(200);
      expect(processView.body.ideaCount).toBe(1);
    });

    it('normalises to NFC and returns text byte-identical, never interpreting HTML', async () => {
      const process = await w.process();
      const decomposed = 'Sa\u0308ker la\u030Agenergi'; // "Säker lågenergi" typed on a Mac
      const html = '<script>alert("x")</script> & <b>fet</b> 🚀 ÅÄÖ';
      const res = await post(researcher, process.id, { title: decomposed, body: html }).expect(201);
      expect(res.body.title).toBe('Säker lågenergi');
      expect(
        Buffer.from(res.body.title).equals(Buffer.from('Säker lågenergi'.normalize('NFC'))),
      ).toBe(true);
      expect(res.body.body).toBe(html);
      const raw = await t.http().get(`/api/ideas/${res.body.id}`).expect(200);
      expect(raw.headers['content-type']).toMatch(/application\/json/);
      expect(raw.text).toContain('<script>alert(\\"x\\")</script>');
    });

    it('counts characters, not UTF-16 units: 200 emoji fit, 201 do not', async () => {
      const process = await w.process();
      await post(company, process.id, { title: '🌱'.repeat(200) }).expect(201);
      const long = await post(company, process.id, { title: '🌱'.repeat(201) });
      expect(long.status).toBe(400);
      await post(company, process.id, { title: 'abc', body: 'x'.repeat(10000) }).expect(201);
      const body = await post(company, process.id, { title: 'abc', body: 'x'.repeat(10001) });
      expect(body.status).toBe(400);
      expect(body.body.code).toBe('VALIDATION_FAILED');
    });

    it('returns the first idea, with 200, for a repeated clientId — also under a burst of retries', async () => {
      const process = await w.process();
      const first = await post(company, process.id, { title: 'Första', clientId: 'c-1' }).expect(
        201,
      );
      const again = await post(company, process.id, {
        title: 'Annan titel',
        clientId: 'c-1',
      }).expect(200);
      expect(again.body.id).toBe(first.body.id);
      expect(again.body.title).toBe('Första');
      // Another author may use the same key.
      await post(researcher, process.id, { title: 'Forskarens', clientId: 'c-1' }).expect(201);

      const burst = await Promise.all(
        Array.from({ length: 10 }, () =>
          post(company, process.id, { title: 'Nätverksfel', clientId: 'burst' }),
        ),
      );
      expect(burst.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
      expect(burst.every((r) => r.status === 201 || r.status === 200)).toBe(true);
      expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
      const rows = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM ideas WHERE client_id = 'burst'`,
      );
      expect(rows[0].n).toBe(1);
    });

    it('accepts only the process’s priority areas', async () => {
      const listed = await w.priorityArea('SE224');
      const unlisted = await w.priorityArea('SE224');
      const foreign = await w.priorityArea('SE110');
      const process = await w.process({ priorityAreaIds: [listed.id] });
      for (const id of [unlisted.id, foreign.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await post(company, process.id, { title: 'Taggad', priorityAreaIds: [id] });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('INVALID_PRIORITY_AREA');
      }
      // A process that names no areas takes any of its region's.
      const open = await w.process();
      await post(company, open.id, { title: 'Taggad', priorityAreaIds: [unlisted.id] }).expect(201);
      const res = await post(company, open.id, { title: 'Taggad', priorityAreaIds: [foreign.id] });
      expect(res.status).toBe(422);
    });

    it('accepts ideas only while the process is open', async () => {
      for (const phase of ['review', 'closed'] as const) {
        const process = await w.process({ phase });
        const res = await post(company, process.id, { title: 'För sent' });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('PROCESS_NOT_OPEN');
      }
      const draft = await w.process({ phase: 'draft' });
      expect((await post(company, draft.id, { title: 'Utkast' })).status).toBe(404);
      const staffDraft = await post(skane, draft.id, { title: 'Utkast' });
      expect(staffDraft.status).toBe(409);
    });

    it('lets staff submit in their own region only, and not the agency', async () => {
      const process = await w.process();
      await post(skane, process.id, { title: 'Regionens idé' }).expect(201);
      await post(facilitator, process.id, { title: 'Processledarens idé' }).expect(201);
      expect((await post(stockholm, process.id, { title: 'Fel region' })).status).toBe(403);
      expect((await post(agency, process.id, { title: 'Myndighet' })).status).toBe(403);
      expect(
        (await t.http().post(`/api/processes/${process.id}/ideas`).send({ title: 'Anonym' }))
          .status,
      ).toBe(401);
    });
  });

  describe('editing and moderating', () => {
    it('lets the author edit while submitted and open, nobody else', async () => {
      const process = await w.process();
      const idea = await w.idea(company, process.id, { title: 'Utkast', body: 'före' });
      const edited = await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(company.auth)
        .send({ title: 'Bättre titel', body: 'efter' })
        .expect(200);
      expect(edited.body).toMatchObject({ title: 'Bättre titel', body: 'efter' });
      await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(researcher.auth)
        .send({ title: 'Kapad' })
        .expect(403);
      await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(skane.auth)
        .send({ title: 'Staben skriver om' })
        .expect(403);

      await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(skane.auth)
        .send({ status: 'shortlisted' })
        .expect(200);
      const locked = await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(company.auth)
        .send({ title: 'För sent' });
      expect(locked.status).toBe(409);
      expect(locked.body.code).toBe('IDEA_LOCKED');

      const other = await w.idea(company, process.id);
      await w.setPhase(process.id, 'review');
      const closed = await t
        .http()
        .patch(`/api/ideas/${other.id}`)
        .set(company.auth)
        .send({ title: 'För sent' });
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe('PROCESS_NOT_OPEN');
    });

    it('lets only the region’s staff set the status, and audits it', async () => {
      const process = await w.process();
      const idea = await w.idea(company, process.id);
      for (const user of [company, researcher]) {
        const res = await t
          .http()
          .patch(`/api/ideas/${idea.id}`)
          .set(user.auth)
          .send({ status: 'prioritised' });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      expect(
        (
          await t
            .http()
            .patch(`/api/ideas/${idea.id}`)
            .set(stockholm.auth)
            .send({ status: 'rejected' })
        ).status,
      ).toBe(403);
      expect(
        (
          await t
            .http()
            .patch(`/api/ideas/${idea.id}`)
            .set(agency.auth)
            .send({ status: 'rejected' })
        ).status,
      ).toBe(403);
      for (const status of ['shortlisted', 'prioritised'] as const) {
        const res = await t
          .http()
          .patch(`/api/ideas/${idea.id}`)
          .set(facilitator.auth)
          .send({ status })
          .expect(200);
        expect(res.body.status).toBe(status);
      }
      await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(admin.auth)
        .send({ status: 'rejected' })
        .expect(200);
      const audit = await t
        .http()
        .get(`/api/processes/${process.id}/audit`)
        .set(skane.auth)
        .expect(200);
      expect(
        audit.body.items
          .filter((e: { action: string }) => e.action === 'idea.status-changed')
          .map((e: { details: object; actor: { id: string } }) => [e.details, e.actor.id])
          .reverse(),
      ).toEqual([
        [{ from: 'submitted', to: 'shortlisted' }, facilitator.user.id],
        [{ from: 'shortlisted', to: 'prioritised' }, facilitator.user.id],
        [{ from: 'prioritised', to: 'rejected' }, admin.user.id],
      ]);
    });

    it('hides abusive ideas from everyone but staff, and audits it', async () => {
      const process = await w.process();
      const idea = await w.idea(company, process.id, { title: 'Spam spam spam' });
      const hidden = await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(skane.auth)
        .send({ hidden: true })
        .expect(200);
      expect(hidden.body.hidden).toBe(true);
      await t.http().get(`/api/ideas/${idea.id}`).expect(404);
      await t.http().get(`/api/ideas/${idea.id}`).set(company.auth).expect(404);
      const publicList = await t.http().get(`/api/processes/${process.id}/ideas`).expect(200);
      expect(publicList.body.items.map((i: IdeaView) => i.id)).not.toContain(idea.id);
      expect(publicList.body.items.every((i: IdeaView) => !('hidden' in i))).toBe(true);
      const staffList = await t
        .http()
        .get(`/api/processes/${process.id}/ideas`)
        .set(skane.auth)
        .expect(200);
      expect(staffList.body.items).toContainEqual(
        expect.objectContaining({ id: idea.id, hidden: true }),
      );
      expect((await t.http().get(`/api/processes/${process.id}`).expect(200)).body.ideaCount).toBe(
        0,
      );
      await t.http().put(`/api/ideas/${idea.id}/vote`).set(researcher.auth).expect(404);
      await t
        .http()
        .patch(`/api/ideas/${idea.id}`)
        .set(skane.auth)
        .send({ hidden: false })
        .expect(200);
      await t.http().get(`/api/ideas/${idea.id}`).expect(200);
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
        ['idea.unhidden', idea.id],
        ['idea.hidden', idea.id],
      ]);
    });
  });

  describe('merging', () => {
    it('moves the votes of voters not already on the target, recounts exactly and records it', async () => {
      const process = await w.process();
      const source = await w.idea(company, process.id, { title: 'Dubblett' });
      const target = await w.idea(company, process.id, { title: 'Originalet' });
      const voters = await Promise.all(
        Array.from({ length: 4 }, () => f.user({ role: 'researcher' })),
      );
      const vote = (user: MadeUser, id: string) =>
        t.http().put(`/api/ideas/${id}/vote`).set(user.auth).expect(200);
      for (const v of voters.slice(0, 3)) await vote(v, source.id); // v0 v1 v2 on the source
      for (const v of voters.slice(2)) await vote(v, target.id); // v2 v3 on the target

      const merged = await t
        .http()
        .patch(`/api/ideas/${source.id}`)
        .set(skane.auth)
        .send({ status: 'merged', mergedIntoId: target.id })
        .expect(200);
      expect(merged.body).toMatchObject({
        status: 'merged',
        mergedIntoId: target.id,
        voteCount: 0,
      });
      const after = await t.http().get(`/api/ideas/${target.id}`).set(voters[0].auth).expect(200);
      expect(after.body.voteCount).toBe(4);
      expect(after.body.votedByMe).toBe(true);
      const rows = await t.dataSource.query(
        `SELECT idea_id, count(*)::int AS n FROM idea_votes WHERE idea_id = ANY($1) GROUP BY idea_id`,
        [[source.id, target.id]],
      );
      expect(rows).toEqual([{ idea_id: target.id, n: 4 }]);

      const audit = await t
        .http()
        .get(`/api/processes/${process.id}/audit`)
        .set(skane.auth)
        .expect(200);
      expect(audit.body.items[0]).toMatchObject({
        action: 'idea.merged',
        objectId: source.id,
        actor: { id: skane.user.id },
        details: {
          from: 'submitted',
          mergedIntoId: target.id,
          sourceVotes: 3,
          movedVotes: 2,
          alreadyOnTarget: 1,
          targetVoteCount: 4,
        },
      });

      const revote = await t.http().put(`/api/ideas/${source.id}/vote`).set(voters[3].auth);
      expect(revote.status).toBe(409);
      expect(revote.body.code).toBe('IDEA_MERGED');
      const again = await t
        .http()
        .patch(`/api/ideas/${source.id}`)
        .set(skane.auth)
        .send({ status: 'shortlisted' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('IDEA_MERGED');
    });

    it('refuses targets outside the process, merged targets and the idea itself', async () => {
      const process = await w.process();
      const elsewhere = await w.process();
      const a = await w.idea(company, process.id);
      const b = await w.idea(company, process.id);
      const c = await w.idea(company, process.id);
      const foreign = await w.idea(company, elsewhere.id);
      const merge = (id: string, into: string) =>
        t
          .http()
          .patch(`/api/ideas/${id}`)
          .set(skane.auth)
          .send({ status: 'merged', mergedIntoId: into });
      for (const into of [a.id, foreign.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await merge(a.id, into);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('INVALID_MERGE_TARGET');
      }
      await merge(b.id, c.id).expect(200);
      expect((await merge(a.id, b.id)).body.code).toBe('INVALID_MERGE_TARGET');
      const noTarget = await t
        .http()
        .patch(`/api/ideas/${a.id}`)
        .set(skane.auth)
        .send({ status: 'merged' });
      expect(noTarget.status).toBe(400);
      const mismatch = await t
        .http()
        .patch(`/api/ideas/${a.id}`)
        .set(skane.auth)
        .send({ status: 'shortlisted', mergedIntoId: c.id });
      expect(mismatch.status).toBe(400);
      const byCompany = await t
        .http()
        .patch(`/api/ideas/${a.id}`)
        .set(company.auth)
        .send({ status: 'merged', mergedIntoId: c.id });
      expect(byCompany.status).toBe(403);
    });
  });

  describe('lists and search', () => {
    it('lists a draft process’s ideas to its own region’s staff only; to anyone else it does not exist', async () => {
      const draft = await w.process({ phase: 'draft' });
      const list = (user?: MadeUser) => {
        const request = t.http().get(`/api/processes/${draft.id}/ideas`);
        return user ? request.set(user.auth) : request;
      };
      expect((await list(skane)).status).toBe(200);
      for (const outsider of [company, stockholm, agency, undefined]) {
        const res = await list(outsider);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    });

    it('pages by top and new without gaps or repeats, and marks votedByMe', async () => {
      const process = await w.process();
      const ideas: IdeaView[] = [];
      for (let i = 0; i < 7; i++)
        ideas.push(await w.idea(company, process.id, { title: `Idé ${i}` }));
      const voters = await Promise.all(
        Array.from({ length: 3 }, () => f.user({ role: 'company' })),
      );
      // idea 2: 3 votes, idea 5: 2 votes, idea 0: 1 vote; the rest tie at 0.
      for (const [index, count] of [
        [2, 3],
        [5, 2],
        [0, 1],
      ] as const) {
        for (const v of voters.slice(0, count))
          await t.http().put(`/api/ideas/${ideas[index].id}/vote`).set(v.auth).expect(200);
      }
      const walk = async (sort: string) => {
        const seen: IdeaView[] = [];
        let cursor: string | null = null;
        do {
          const res: { body: { items: never[]; nextCursor: string | null } } = await t
            .http()
            .get(
              `/api/processes/${process.id}/ideas?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
            )
            .set(voters[0].auth)
            .expect(200);
          expect(res.body.items.length).toBeLessThanOrEqual(2);
          seen.push(...res.body.items);
          cursor = res.body.nextCursor;
        } while (cursor);
        return seen;
      };
      const top = await walk('top');
      expect(top.map((i) => i.title).slice(0, 3)).toEqual(['Idé 2', 'Idé 5', 'Idé 0']);
      expect(new Set(top.map((i) => i.id)).size).toBe(7);
      expect(top.map((i) => i.voteCount)).toEqual([3, 2, 1, 0, 0, 0, 0]);
      expect(
        top
          .filter((i) => i.votedByMe)
          .map((i) => i.title)
          .sort(),
      ).toEqual(['Idé 0', 'Idé 2', 'Idé 5']);
      const newest = await walk('new');
      expect(newest.map((i) => i.title)).toEqual([
        'Idé 6',
        'Idé 5',
        'Idé 4',
        'Idé 3',
        'Idé 2',
        'Idé 1',
        'Idé 0',
      ]);
      // A cursor of one sort is refused by the other.
      const first = await t
        .http()
        .get(`/api/processes/${process.id}/ideas?sort=top&limit=2`)
        .expect(200);
      const crossed = await t
        .http()
        .get(`/api/processes/${process.id}/ideas?sort=new&cursor=${first.body.nextCursor}`);
      expect(crossed.status).toBe(400);
      expect(crossed.body.code).toBe('INVALID_CURSOR');
    });

    it('filters by status and priority area', async () => {
      const area = await w.priorityArea('SE224');
      const process = await w.process({ priorityAreaIds: [area.id] });
      const tagged = await w.idea(company, process.id, {
        title: 'Taggad idé',
        priorityAreaIds: [area.id],
      });
      const plain = await w.idea(company, process.id, { title: 'Otaggad idé' });
      await t
        .http()
        .patch(`/api/ideas/${plain.id}`)
        .set(skane.auth)
        .send({ status: 'shortlisted' })
        .expect(200);
      const byArea = await t
        .http()
        .get(`/api/processes/${process.id}/ideas?priorityArea=${area.id}`)
        .expect(200);
      expect(byArea.body.items.map((i: IdeaView) => i.id)).toEqual([tagged.id]);
      const byStatus = await t
        .http()
        .get(`/api/processes/${process.id}/ideas?status=shortlisted`)
        .expect(200);
      expect(byStatus.body.items.map((i: IdeaView) => i.id)).toEqual([plain.id]);
    });

    it('searches with Swedish stemming over title and body', async () => {
      const process = await w.process();
      const a = await w.idea(company, process.id, {
        title: 'Specialiseringen av Skånes näringsliv',
        body: 'Vi behöver fler samarbeten.',
      });
      const b = await w.idea(company, process.id, {
        title: 'Laddinfrastruktur',
        body: 'Elektrifieringen av tunga transporter i regionerna',
      });
      await w.idea(company, process.id, {
        title: 'Något helt annat',
        body: 'Turism och besöksnäring',
      });
      const search = async (q: string) => {
        const res = await t
          .http()
          .get(`/api/processes/${process.id}/ideas`)
          .query({ q })
          .expect(200);
        return res.body.items.map((i: IdeaView) => i.id);
      };
      expect(await search('specialisering')).toEqual([a.id]);
      expect(await search('region')).toEqual([b.id]);
      expect(await search('elektrifiering transport')).toEqual([b.id]);
      expect(await search('"tunga transporter"')).toEqual([b.id]);
      expect(await search('samarbete')).toEqual([a.id]);
      expect(await search('specialisering -näringsliv')).toEqual([]);
      expect(await search("'; DROP TABLE ideas; --")).toEqual([]);
      expect(await search('och')).toEqual([]);
      const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM ideas`);
      expect(rows[0].n).toBeGreaterThan(0);
    });
  });
});
