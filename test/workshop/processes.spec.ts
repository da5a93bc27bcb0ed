import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

describe('priority areas and discovery processes', () => {
  let t: TestApp;
  let w: WorkshopFactory;
  let admin: MadeUser;
  let skane: MadeUser;
  let skaneFacilitator: MadeUser;
  let stockholm: MadeUser;
  let company: MadeUser;
  let agency: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    w = new WorkshopFactory(t);
    admin = await f.user({ role: 'admin' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    skaneFacilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    stockholm = await f.user({ role: 'region', regionCode: 'SE110' });
    company = await f.user({ role: 'company' });
    agency = await f.user({ role: 'agency' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('priority areas', () => {
    it('lets the region’s staff add one and anyone list them', async () => {
      const res = await t
        .http()
        .post('/api/regions/SE224/priority-areas')
        .set(skane.auth)
        .send({
          name: 'Livsmedel & hälsa',
          description: 'Skånsk styrka',
          naceCodes: ['10.1', 'C21'],
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Livsmedel & hälsa',
        description: 'Skånsk styrka',
        naceCodes: ['10.1', 'C21'],
      });
      const list = await t.http().get('/api/regions/SE224/priority-areas').expect(200);
      expect(list.body).toContainEqual(res.body);
      const other = await t.http().get('/api/regions/SE110/priority-areas').expect(200);
      expect(other.body).not.toContainEqual(res.body);
    });

    it('lets admins add to any region', async () => {
      await t
        .http()
        .post('/api/regions/SE110/priority-areas')
        .set(admin.auth)
        .send({ name: 'Fintech' })
        .expect(201);
    });

    it('refuses another region’s staff, facilitators and participants', async () => {
      const body = { name: 'Inte min region' };
      const other = await t
        .http()
        .post('/api/regions/SE224/priority-areas')
        .set(stockholm.auth)
        .send(body);
      expect(other.status).toBe(403);
      const facilitator = await t
        .http()
        .post('/api/regions/SE224/priority-areas')
        .set(skaneFacilitator.auth)
        .send(body);
      expect(facilitator.status).toBe(403);
      await t
        .http()
        .post('/api/regions/SE224/priority-areas')
        .set(company.auth)
        .send(body)
        .expect(403);
      await t.http().post('/api/regions/SE224/priority-areas').send(body).expect(401);
    });

    it('refuses a duplicate name with 409 and an unknown region with 404', async () => {
      await t
        .http()
        .post('/api/regions/SE224/priority-areas')
        .set(skane.auth)
        .send({ name: 'Dubblett' })
        .expect(201);
      const dup = await t
        .http()
        .post('/api/regions/SE224/priority-areas')
        .set(skane.auth)
        .send({ name: 'Dubblett' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('PRIORITY_AREA_EXISTS');
      const unknown = await t.http().get('/api/regions/SE999/priority-areas');
      expect(unknown.status).toBe(404);
    });
  });

  describe('processes', () => {
    it('creates a draft only its region’s staff can see', async () => {
      const area = await w.priorityArea('SE224');
      const res = await t
        .http()
        .post('/api/processes')
        .set(skane.auth)
        .send({
          regionCode: 'SE224',
          title: 'Skånes EDP 2027',
          description: 'Vad ska vi satsa på?',
          priorityAreaIds: [area.id],
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        regionCode: 'SE224',
        title: 'Skånes EDP 2027',
        description: 'Vad ska vi satsa på?',
        phase: 'draft',
        priorityAreaIds: [area.id],
        ideaCount: 0,
        createdAt: expect.any(String),
      });
      const id = res.body.id as string;
      await t.http().get(`/api/processes/${id}`).set(skane.auth).expect(200);
      await t.http().get(`/api/processes/${id}`).set(skaneFacilitator.auth).expect(200);
      await t.http().get(`/api/processes/${id}`).set(admin.auth).expect(200);
      for (const outsider of [stockholm, company, agency]) {
        const hidden = await t.http().get(`/api/processes/${id}`).set(outsider.auth);
        expect(hidden.status).toBe(404);
        expect(hidden.body.code).toBe('NOT_FOUND');
      }
      await t.http().get(`/api/processes/${id}`).expect(404);
      // Another region's staff cannot change it either, and learn nothing: 404, not 403.
      const patch = await t
        .http()
        .patch(`/api/processes/${id}`)
        .set(stockholm.auth)
        .send({ phase: 'open' });
      expect(patch.status).toBe(404);
      const ideas = await t.http().get(`/api/processes/${id}/ideas`).set(stockholm.auth);
      expect(ideas.status).toBe(404);
    });

    it('takes the region from the token: staff cannot create in another region', async () => {
      const res = await t
        .http()
        .post('/api/processes')
        .set(stockholm.auth)
        .send({ regionCode: 'SE224', title: 'Kapning' });
      expect(res.status).toBe(403);
      const own = await t
        .http()
        .post('/api/processes')
        .set(stockholm.auth)
        .send({ title: 'Stockholms process' })
        .expect(201);
      expect(own.body.regionCode).toBe('SE110');
      await t
        .http()
        .post('/api/processes')
        .set(company.auth)
        .send({ regionCode: 'SE224', title: 'Nej' })
        .expect(403);
      await t
        .http()
        .post('/api/processes')
        .set(skaneFacilitator.auth)
        .send({ title: 'Nej' })
        .expect(403);
      const foreignArea = await w.priorityArea('SE110');
      const bad = await t
        .http()
        .post('/api/processes')
        .set(skane.auth)
        .send({ title: 'Fel område', priorityAreaIds: [foreignArea.id] });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('INVALID_PRIORITY_AREA');
    });

    it('moves draft → open → review → closed and reopens, auditing each step', async () => {
      const created = await t
        .http()
        .post('/api/processes')
        .set(skane.auth)
        .send({ title: 'Fasprocess' })
        .expect(201);
      const id = created.body.id as string;
      for (const phase of ['open', 'review', 'closed', 'open', 'closed'] as const) {
        const res = await t
          .http()
          .patch(`/api/processes/${id}`)
          .set(skane.auth)
          .send({ phase })
          .expect(200);
        expect(res.body.phase).toBe(phase);
      }
      const back = await t
        .http()
        .patch(`/api/processes/${id}`)
        .set(skane.auth)
        .send({ phase: 'draft' });
      expect(back.status).toBe(409);
      expect(back.body.code).toBe('INVALID_PHASE_TRANSITION');

      const audit = await t.http().get(`/api/processes/${id}/audit`).set(skane.auth).expect(200);
      const phases = (
        audit.body.items as { action: string; details: { from: string; to: string } }[]
      )
        .filter((item) => item.action === 'process.phase-changed')
        .map((item) => `${item.details.from}→${item.details.to}`)
        .reverse();
      expect(phases).toEqual([
        'draft→open',
        'open→review',
        'review→closed',
        'closed→open',
        'open→closed',
      ]);
      expect(audit.body.items[0]).toMatchObject({
        actor: { id: skane.user.id, kind: 'user', name: skane.user.displayName },
        objectType: 'process',
        objectId: id,
        createdAt: expect.any(String),
      });
      expect(audit.body.items.at(-1).action).toBe('process.created');
    });

    it('lets published processes be read by everyone but changed only by their staff', async () => {
      const process = await w.process({ regionCode: 'SE224', phase: 'open' });
      await t.http().get(`/api/processes/${process.id}`).expect(200);
      await t.http().get(`/api/processes/${process.id}`).set(stockholm.auth).expect(200);
      const other = await t
        .http()
        .patch(`/api/processes/${process.id}`)
        .set(stockholm.auth)
        .send({ title: 'Mitt nu' });
      expect(other.status).toBe(403);
      await t
        .http()
        .patch(`/api/processes/${process.id}`)
        .set(company.auth)
        .send({ title: 'Mitt nu' })
        .expect(403);
      const renamed = await t
        .http()
        .patch(`/api/processes/${process.id}`)
        .set(admin.auth)
        .send({ title: 'Omdöpt av admin', description: 'Ny beskrivning' })
        .expect(200);
      expect(renamed.body).toMatchObject({
        title: 'Omdöpt av admin',
        description: 'Ny beskrivning',
        phase: 'open',
      });
      const empty = await t.http().patch(`/api/processes/${process.id}`).set(admin.auth).send({});
      expect(empty.status).toBe(400);
    });

    it('lists published processes for all, drafts only for their own staff, with filters and pages', async () => {
      const draft = await w.process({ regionCode: 'SE224', phase: 'draft' });
      const open = await w.process({ regionCode: 'SE224', phase: 'open' });
      const sthlmDraft = await w.process({ regionCode: 'SE110', phase: 'draft' });
      const ids = async (auth: Record<string, string> | null, query = '') => {
        const req = t.http().get(`/api/processes?limit=100${query}`);
        const res = await (auth ? req.set(auth) : req).expect(200);
        return (res.body.items as { id: string }[]).map((p) => p.id);
      };
      const anonymous = await ids(null);
      expect(anonymous).toContain(open.id);
      expect(anonymous).not.toContain(draft.id);
      expect(anonymous).not.toContain(sthlmDraft.id);
      const own = await ids(skane.auth);
      expect(own).toEqual(expect.arrayContaining([draft.id, open.id]));
      expect(own).not.toContain(sthlmDraft.id);
      expect(await ids(admin.auth)).toEqual(expect.arrayContaining([draft.id, sthlmDraft.id]));
      expect(await ids(stockholm.auth, '&region=SE224')).not.toContain(draft.id);
      const openOnly = await t
        .http()
        .get('/api/processes?phase=open&region=SE224&limit=100')
        .expect(200);
      expect(
        openOnly.body.items.every(
          (p: { phase: string; regionCode: string }) =>
            p.phase === 'open' && p.regionCode === 'SE224',
        ),
      ).toBe(true);

      // Pages of 2 walk the whole list exactly once.
      const all = await ids(admin.auth);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: never[]; nextCursor: string | null } } = await t
          .http()
          .get(`/api/processes?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(admin.auth)
          .expect(200);
        seen.push(...res.body.items.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    });

    it('refuses reading the audit log to participants and other regions', async () => {
      const process = await w.process({ regionCode: 'SE224', phase: 'open' });
      await t.http().get(`/api/processes/${process.id}/audit`).set(company.auth).expect(403);
      await t.http().get(`/api/processes/${process.id}/audit`).set(stockholm.auth).expect(403);
      await t.http().get(`/api/processes/${process.id}/audit`).expect(401);
      await t.http().get(`/api/processes/${process.id}/audit`).set(admin.auth).expect(200);
      await t
        .http()
        .get(`/api/processes/${process.id}/audit`)
        .set(skaneFacilitator.auth)
        .expect(200);
      const draft = await w.process({ regionCode: 'SE224', phase: 'draft' });
      await t.http().get(`/api/processes/${draft.id}/audit`).set(stockholm.auth).expect(404);
    });
  });
});
