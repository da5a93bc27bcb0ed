import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { InsightFactory } from '../support/insight-factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('research ↔ business matching and invitations', () => {
  let t: TestApp;
  let company: MadeUser;
  let otherCompany: MadeUser;
  let hydrogen: MadeUser;
  let care: MadeUser;
  let noProfile: MadeUser;
  let agency: MadeUser;
  let skaneStaff: MadeUser;
  let ideaId: string;
  let draftIdeaId: string;
  let careIdeaId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    const data = new InsightFactory(t.dataSource);
    company = await f.user({ role: 'company', displayName: 'Åkeri AB' });
    otherCompany = await f.user({ role: 'company' });
    hydrogen = await f.user({
      role: 'researcher',
      displayName: 'Dr Väte',
      organisationName: 'Luleå tekniska universitet',
    });
    care = await f.user({ role: 'researcher', displayName: 'Dr Omsorg' });
    noProfile = await f.user({ role: 'researcher' });
    agency = await f.user({ role: 'agency' });
    skaneStaff = await f.user({ role: 'region', regionCode: 'SE224' });
    const open = await data.process('SE224', 'open');
    const draft = await data.process('SE224', 'draft');
    ideaId = await data.idea(open, {
      title: 'Vätgastankstationer för tunga transporter längs E4',
      body: 'Åkerier vill köra vätgasdrivna lastbilar men det saknas tankstationer. Vi söker forskare inom elektrolys och vätgaslagring.',
      author: company,
    });
    draftIdeaId = await data.idea(draft, {
      title: 'Vätgas och elektrolys i utkast',
      author: company,
    });
    careIdeaId = await data.idea(open, {
      title: 'Välfärdsteknik i hemtjänsten',
      body: 'Digital tillsyn och trygghetslarm för äldre.',
      author: otherCompany,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('stores a researcher’s expertise profile, Swedish text intact', async () => {
    const res = await t
      .http()
      .put('/api/auth/me/expertise')
      .set(hydrogen.auth)
      .send({
        keywords: ['vätgas', 'elektrolys', 'Vätgas', 'bränsleceller'],
        text: 'Jag forskar om vätgaslagring och elektrolysörer för industrin och tunga transporter.',
      })
      .expect(200);
    expect(res.body).toEqual({
      keywords: ['vätgas', 'elektrolys', 'bränsleceller'],
      text: 'Jag forskar om vätgaslagring och elektrolysörer för industrin och tunga transporter.',
      updatedAt: expect.any(String),
    });
    await t
      .http()
      .put('/api/auth/me/expertise')
      .set(care.auth)
      .send({ keywords: ['välfärdsteknik', 'äldreomsorg'], text: 'Digital tillsyn i hemtjänsten.' })
      .expect(200);
    const mine = await t.http().get('/api/auth/me/expertise').set(hydrogen.auth).expect(200);
    expect(mine.body.keywords).toEqual(['vätgas', 'elektrolys', 'bränsleceller']);
    const empty = await t.http().get('/api/auth/me/expertise').set(noProfile.auth).expect(200);
    expect(empty.body).toEqual({ keywords: [], text: '', updatedAt: null });
  });

  it.each([
    ['31 keywords', { keywords: Array.from({ length: 31 }, (_, n) => `ord${n}`), text: '' }],
    ['a text over 2000', { keywords: [], text: 'x'.repeat(2001) }],
    ['an empty keyword', { keywords: [''], text: '' }],
    ['NUL in a keyword', { keywords: ['a\u0000b'], text: '' }],
    ['keywords not a list', { keywords: 'vätgas', text: '' }],
    ['an unknown field', { keywords: [], text: '', userId: 'x' }],
  ])('refuses %s with 400 and keeps the profile', async (_name, body) => {
    const res = await t
      .http()
      .put('/api/auth/me/expertise')
      .set(hydrogen.auth)
      .send(body)
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const mine = await t.http().get('/api/auth/me/expertise').set(hydrogen.auth).expect(200);
    expect(mine.body.keywords).toEqual(['vätgas', 'elektrolys', 'bränsleceller']);
  });

  it('lets only researchers keep a profile', async () => {
    for (const user of [company, agency, skaneStaff]) {
      await t
        .http()
        .put('/api/auth/me/expertise')
        .set(user.auth)
        .send({ keywords: [], text: '' })
        .expect(403);
    }
    await t.http().put('/api/auth/me/expertise').send({ keywords: [], text: '' }).expect(401);
  });

  it('suggests researchers for an idea with the shared terms as the reason', async () => {
    const res = await t.http().get(`/api/ideas/${ideaId}/matches`).set(company.auth).expect(200);
    expect(res.body).toEqual([
      {
        researcher: {
          id: hydrogen.user.id,
          displayName: 'Dr Väte',
          organisation: {
            id: expect.any(String),
            name: 'Luleå tekniska universitet',
            helix: 'academia',
          },
        },
        score: expect.any(Number),
        terms: expect.arrayContaining(['vätgas', 'elektrolys', 'transporter']),
      },
    ]);
    const careMatch = await t
      .http()
      .get(`/api/ideas/${careIdeaId}/matches`)
      .set(agency.auth)
      .expect(200);
    expect(careMatch.body.map((m: { researcher: { id: string } }) => m.researcher.id)).toEqual([
      care.user.id,
    ]);
  });

  it('suggests published ideas to a researcher, never drafts', async () => {
    const res = await t.http().get('/api/auth/me/matches').set(hydrogen.auth).expect(200);
    expect(res.body.map((m: { idea: { id: string } }) => m.idea.id)).toEqual([ideaId]);
    expect(res.body[0].terms).toEqual(expect.arrayContaining(['vätgas', 'elektrolys']));
    const none = await t.http().get('/api/auth/me/matches').set(noProfile.auth).expect(200);
    expect(none.body).toEqual([]);
    await t.http().get('/api/auth/me/matches').set(company.auth).expect(403);
  });

  it('answers 404 for matches of an idea the caller may not see, 400 for a bad id', async () => {
    await t.http().get(`/api/ideas/${draftIdeaId}/matches`).set(company.auth).expect(404);
    await t.http().get('/api/ideas/nope/matches').set(company.auth).expect(400);
    await t.http().get(`/api/ideas/${ideaId}/matches`).expect(401);
  });

  it('lets the author invite a researcher, once; the researcher sees it and answers once', async () => {
    const created = await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(company.auth)
      .send({ researcherId: hydrogen.user.id })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      ideaId,
      researcherId: hydrogen.user.id,
      status: 'pending',
      createdAt: expect.any(String),
      respondedAt: null,
    });
    const again = await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(company.auth)
      .send({ researcherId: hydrogen.user.id })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_INVITED');

    const list = await t.http().get('/api/auth/me/invitations').set(hydrogen.auth).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: created.body.id,
        status: 'pending',
        idea: {
          id: ideaId,
          title: 'Vätgastankstationer för tunga transporter längs E4',
          processId: expect.any(String),
        },
        invitedBy: { id: company.user.id, displayName: 'Åkeri AB' },
      }),
    ]);
    const other = await t.http().get('/api/auth/me/invitations').set(care.auth).expect(200);
    expect(other.body).toEqual([]);

    // Someone else's invitation does not exist for you.
    await t
      .http()
      .patch(`/api/invitations/${created.body.id}`)
      .set(care.auth)
      .send({ status: 'accepted' })
      .expect(404);
    const bad = await t
      .http()
      .patch(`/api/invitations/${created.body.id}`)
      .set(hydrogen.auth)
      .send({ status: 'maybe' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    const before = await t.http().get(`/api/ideas/${ideaId}/contributors`).expect(200);
    expect(before.body).toEqual([]);
    const accepted = await t
      .http()
      .patch(`/api/invitations/${created.body.id}`)
      .set(hydrogen.auth)
      .send({ status: 'accepted' })
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', respondedAt: expect.any(String) });
    const twice = await t
      .http()
      .patch(`/api/invitations/${created.body.id}`)
      .set(hydrogen.auth)
      .send({ status: 'declined' })
      .expect(409);
    expect(twice.body.code).toBe('INVITATION_ANSWERED');

    const contributors = await t.http().get(`/api/ideas/${ideaId}/contributors`).expect(200);
    expect(contributors.body).toEqual([
      {
        id: hydrogen.user.id,
        displayName: 'Dr Väte',
        organisation: { name: 'Luleå tekniska universitet', helix: 'academia' },
        acceptedAt: expect.any(String),
      },
    ]);
  });

  it('keeps a declined researcher off the contributors', async () => {
    const created = await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(company.auth)
      .send({ researcherId: care.user.id })
      .expect(201);
    await t
      .http()
      .patch(`/api/invitations/${created.body.id}`)
      .set(care.auth)
      .send({ status: 'declined' })
      .expect(200);
    const contributors = await t.http().get(`/api/ideas/${ideaId}/contributors`).expect(200);
    expect(contributors.body.map((c: { id: string }) => c.id)).toEqual([hydrogen.user.id]);
  });

  it('refuses invitations by anyone but the author, and of non-researchers', async () => {
    const notAuthor = await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(otherCompany.auth)
      .send({ researcherId: noProfile.user.id })
      .expect(403);
    expect(notAuthor.body.code).toBe('NOT_AUTHOR');
    // The agency reads everything and writes nothing.
    await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(agency.auth)
      .send({ researcherId: noProfile.user.id })
      .expect(403);
    await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(company.auth)
      .send({ researcherId: otherCompany.user.id })
      .expect(404);
    await t
      .http()
      .post(`/api/ideas/${ideaId}/invitations`)
      .set(company.auth)
      .send({ researcherId: 'not-a-uuid' })
      .expect(400);
    await t
      .http()
      .post(`/api/ideas/${draftIdeaId}/invitations`)
      .set(otherCompany.auth)
      .send({ researcherId: noProfile.user.id })
      .expect(404);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM research_invitations WHERE researcher_id = $1`,
      [noProfile.user.id],
    );
    expect(n).toBe(0);
  });

  it('records exactly one invitation and one answer under 20 concurrent requests', async () => {
    const posts = await Promise.all(
      Array.from({ length: 20 }, () =>
        t
          .http()
          .post(`/api/ideas/${careIdeaId}/invitations`)
          .set(otherCompany.auth)
          .send({ researcherId: noProfile.user.id }),
      ),
    );
    expect(posts.filter((res) => res.status === 201)).toHaveLength(1);
    expect(posts.filter((res) => res.status === 409)).toHaveLength(19);
    const id = posts.find((res) => res.status === 201)!.body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        t
          .http()
          .patch(`/api/invitations/${id}`)
          .set(noProfile.auth)
          .send({ status: n % 2 ? 'accepted' : 'declined' }),
      ),
    );
    expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
    expect(answers.filter((res) => res.status === 409)).toHaveLength(19);
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n, min(status) AS status FROM research_invitations WHERE idea_id = $1`,
      [careIdeaId],
    );
    expect(row.n).toBe(1);
    expect(row.status).toBe(answers.find((res) => res.status === 200)!.body.status);
  });
});
