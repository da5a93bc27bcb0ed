import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { InsightFactory } from '../support/insight-factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('stakeholder analytics', () => {
  let t: TestApp;
  let admin: MadeUser;
  let agency: MadeUser;
  let skane: MadeUser;
  let facilitator: MadeUser;
  let sthlm: MadeUser;
  let industry: MadeUser;
  let academia: MadeUser;
  let publicBody: MadeUser;
  let noOrg: MadeUser;
  let processId: string;
  let draftId: string;
  let otherPublished: string;
  let workshopId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    const data = new InsightFactory(t.dataSource);
    admin = await f.user({ role: 'admin' });
    agency = await f.user({ role: 'agency' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    facilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    sthlm = await f.user({ role: 'region', regionCode: 'SE110' });
    industry = await f.user({ role: 'company' });
    academia = await f.user({ role: 'researcher' });
    publicBody = await f.user({ role: 'company', helix: 'public' });
    noOrg = await f.user({ role: 'company', helix: null });

    processId = await data.process('SE224', 'open');
    draftId = await data.process('SE224', 'draft');
    otherPublished = await data.process('SE110', 'open');
    workshopId = await data.workshop(processId);

    const a = await data.idea(processId, { title: 'Vätgas i hamnen', author: industry });
    const b = await data.idea(processId, { title: 'Batterier', author: industry });
    const c = await data.idea(processId, { title: 'Forskningsnav', author: academia });
    const guest = await data.idea(processId, { title: 'Gästens idé', workshopId });
    await data.idea(processId, { title: 'Dold idé', author: publicBody, hidden: true });
    await data.vote(a, publicBody);
    await data.vote(a, academia);
    await data.vote(b, publicBody);
    await data.vote(c, noOrg);
    await data.comment(a, academia);
    await data.comment(b, academia, true); // hidden: not counted
    await data.comment(c, industry);
    await data.dots(workshopId, guest, null, 3);
    await data.dots(workshopId, guest, industry, 2);
  });

  afterAll(async () => {
    await t.close();
  });

  it('counts ideas, votes and comments per helix and names the missing helices', async () => {
    const res = await t
      .http()
      .get(`/api/processes/${processId}/analytics`)
      .set(skane.auth)
      .expect(200);
    expect(res.body).toEqual({
      ideas: { industry: 2, academia: 1, public: 0, civil: 0 },
      // Support votes (public 2, academia 1, one without organisation) and workshop dots.
      votes: { industry: 2, academia: 1, public: 2, civil: 0 },
      comments: { industry: 1, academia: 1, public: 0, civil: 0 },
      missing: ['civil'],
      unattributed: { ideas: 1, votes: 4, comments: 0 },
      shares: {
        ideas: { industry: 0.5, academia: 0.25, public: 0, civil: 0 },
        votes: { industry: 0.222, academia: 0.111, public: 0.222, civil: 0 },
        comments: { industry: 0.5, academia: 0.5, public: 0, civil: 0 },
      },
    });
  });

  it('gives a workshop its own figures (dots count per dot, guests unattributed)', async () => {
    const res = await t
      .http()
      .get(`/api/workshops/${workshopId}/analytics`)
      .set(facilitator.auth)
      .expect(200);
    expect(res.body.ideas).toEqual({ industry: 0, academia: 0, public: 0, civil: 0 });
    expect(res.body.votes).toEqual({ industry: 2, academia: 0, public: 0, civil: 0 });
    expect(res.body.unattributed).toEqual({ ideas: 1, votes: 3, comments: 0 });
    expect(res.body.missing).toEqual(['academia', 'public', 'civil']);
  });

  it('is included in the JSON exports of the process and of the workshop', async () => {
    const processFigures = await t
      .http()
      .get(`/api/processes/${processId}/analytics`)
      .set(skane.auth)
      .expect(200);
    const processExport = await t
      .http()
      .get(`/api/processes/${processId}/export?format=json`)
      .set(skane.auth)
      .expect(200);
    expect(processExport.body.analytics).toEqual(processFigures.body);
    expect(processExport.body.ideas.length).toBeGreaterThan(0);

    const workshopFigures = await t
      .http()
      .get(`/api/workshops/${workshopId}/analytics`)
      .set(facilitator.auth)
      .expect(200);
    const workshopExport = await t
      .http()
      .get(`/api/workshops/${workshopId}/results/export?format=json`)
      .set(facilitator.auth)
      .expect(200);
    expect(workshopExport.body.analytics).toEqual(workshopFigures.body);
    expect(workshopExport.body.analytics.unattributed.votes).toBe(3);
  });

  it('lets admin, agency (any region, drafts too) and the region’s own staff read', async () => {
    for (const user of [admin, agency, skane, facilitator]) {
      await t.http().get(`/api/processes/${processId}/analytics`).set(user.auth).expect(200);
      await t.http().get(`/api/workshops/${workshopId}/analytics`).set(user.auth).expect(200);
    }
    const draft = await t
      .http()
      .get(`/api/processes/${draftId}/analytics`)
      .set(agency.auth)
      .expect(200);
    expect(draft.body.missing).toEqual(['industry', 'academia', 'public', 'civil']);
    await t.http().get(`/api/processes/${otherPublished}/analytics`).set(agency.auth).expect(200);
  });

  it('hides another region’s figures: 403 for its published process, 404 for its draft or workshop', async () => {
    const published = await t
      .http()
      .get(`/api/processes/${processId}/analytics`)
      .set(sthlm.auth)
      .expect(403);
    expect(published.body.code).toBe('FORBIDDEN');
    await t.http().get(`/api/processes/${draftId}/analytics`).set(sthlm.auth).expect(404);
    await t.http().get(`/api/workshops/${workshopId}/analytics`).set(sthlm.auth).expect(404);
  });

  it('refuses participants, anonymous callers and bad ids', async () => {
    for (const user of [industry, academia]) {
      await t.http().get(`/api/processes/${processId}/analytics`).set(user.auth).expect(403);
      await t.http().get(`/api/workshops/${workshopId}/analytics`).set(user.auth).expect(403);
    }
    await t.http().get(`/api/processes/${processId}/analytics`).expect(401);
    const bad = await t.http().get('/api/processes/123/analytics').set(agency.auth).expect(400);
    expect(bad.body.code).toBe('INVALID_ID');
    await t
      .http()
      .get('/api/workshops/2b1d0c4e-5d4b-4d8e-9e39-3c7f0a1b2c3d/analytics')
      .set(agency.auth)
      .expect(404);
    await t
      .http()
      .get('/api/processes/2b1d0c4e-5d4b-4d8e-9e39-3c7f0a1b2c3d/analytics')
      .set(agency.auth)
      .expect(404);
  });
});
