import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SIMILARITY_THRESHOLD } from '@edp/insight';
import { Factory, type MadeUser } from '../support/factories.js';
import { InsightFactory } from '../support/insight-factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const set = JSON.parse(
  readFileSync(join(process.cwd(), 'test/insight/fixtures/labelled-pairs.json'), 'utf8'),
) as { ideas: Record<string, { title: string; body: string }> };
const text = (key: string) => set.ideas[key];

describe('GET /api/ideas/:id/similar and /api/processes/:id/similar', () => {
  let t: TestApp;
  let company: MadeUser;
  let agency: MadeUser;
  let skane: MadeUser;
  let vg: MadeUser;
  const ids: Record<string, string> = {};
  const processes: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    const data = new InsightFactory(t.dataSource);
    company = await f.user({ role: 'company' });
    agency = await f.user({ role: 'agency' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    vg = await f.user({ role: 'region', regionCode: 'SE232' });
    processes.skane = await data.process('SE224', 'open');
    processes.stockholm = await data.process('SE110', 'review');
    processes.vgDraft = await data.process('SE232', 'draft');
    processes.vg = await data.process('SE232', 'open');
    ids.skane = await data.idea(processes.skane, { ...text('sv-h2-e4-a'), author: company });
    ids.stockholm = await data.idea(processes.stockholm, {
      ...text('sv-h2-e4-b'),
      author: company,
    });
    // The same proposal, but in a draft process and hidden: never shown to anyone.
    ids.draft = await data.idea(processes.vgDraft, { ...text('sv-h2-e4-b'), author: company });
    ids.hidden = await data.idea(processes.vg, { ...text('sv-h2-e4-a'), hidden: true });
    ids.related = await data.idea(processes.vg, { ...text('sv-h2-bus'), author: company });
    ids.unrelated = await data.idea(processes.vg, { ...text('sv-therapydogs'), author: company });
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists published ideas of other regions above the threshold, never the idea itself', async () => {
    const res = await t.http().get(`/api/ideas/${ids.skane}/similar`).set(company.auth).expect(200);
    expect(res.body).toEqual([
      {
        idea: expect.objectContaining({
          id: ids.stockholm,
          processId: processes.stockholm,
          title: text('sv-h2-e4-b').title,
          body: text('sv-h2-e4-b').body,
        }),
        score: expect.any(Number),
        regionCode: 'SE110',
        processId: processes.stockholm,
      },
    ]);
    expect(res.body[0].score).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(res.body[0].idea.hidden).toBeUndefined();
  });

  it('never shows drafts or hidden ideas, even to the staff of their region', async () => {
    for (const user of [vg, agency, skane]) {
      const res = await t
        .http()
        .get(`/api/ideas/${ids.stockholm}/similar`)
        .set(user.auth)
        .expect(200);
      const found = res.body.map((item: { idea: { id: string } }) => item.idea.id);
      expect(found).toEqual([ids.skane]);
    }
  });

  it('lets staff ask about their own draft idea, and answers with published ideas only', async () => {
    const res = await t.http().get(`/api/ideas/${ids.draft}/similar`).set(vg.auth).expect(200);
    const found = res.body.map((item: { idea: { id: string } }) => item.idea.id).sort();
    expect(found).toEqual([ids.skane, ids.stockholm].sort());
  });

  it('answers 404 for an idea the caller may not see (draft, hidden, unknown) and 400 for a bad id', async () => {
    for (const id of [ids.draft, ids.hidden, '6f1c3c1e-2b7a-4f4e-9a55-0d2f1c9a8b11']) {
      const res = await t.http().get(`/api/ideas/${id}/similar`).set(company.auth).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    const bad = await t.http().get('/api/ideas/not-a-uuid/similar').set(company.auth).expect(400);
    expect(bad.body.code).toBe('INVALID_ID');
  });

  it('needs a signed-in user', async () => {
    await t.http().get(`/api/ideas/${ids.skane}/similar`).expect(401);
    await t.http().get(`/api/processes/${processes.skane}/similar?title=x`).expect(401);
  });

  it('finds similar published ideas for text being written, including its own process', async () => {
    const draft = text('sv-h2-e4-b');
    const res = await t
      .http()
      .get(`/api/processes/${processes.vg}/similar`)
      .query({ title: draft.title, body: draft.body })
      .set(company.auth)
      .expect(200);
    const found = res.body.map((item: { idea: { id: string } }) => item.idea.id).sort();
    expect(found).toEqual([ids.skane, ids.stockholm].sort());
    expect(res.body[0].score).toBeGreaterThanOrEqual(res.body[1].score);
    for (const item of res.body) expect(item.regionCode).toMatch(/^SE(224|110)$/);
  });

  it('finds nothing for unrelated text, and respects limit', async () => {
    const res = await t
      .http()
      .get(`/api/processes/${processes.skane}/similar`)
      .query({ title: 'Öppna data om kollektivtrafiken', body: 'Realtidsdata om förseningar.' })
      .set(company.auth)
      .expect(200);
    expect(res.body).toEqual([]);
    const one = await t
      .http()
      .get(`/api/processes/${processes.skane}/similar`)
      .query({ title: text('sv-h2-e4-a').title, body: text('sv-h2-e4-a').body, limit: 1 })
      .set(company.auth)
      .expect(200);
    expect(one.body).toHaveLength(1);
  });

  it.each([
    ['no title', {}],
    ['empty title', { title: '' }],
    ['title too long', { title: 'x'.repeat(201) }],
    ['NUL in body', { title: 'Vätgas', body: 'a\u0000b' }],
    ['unknown field', { title: 'Vätgas', region: 'SE224' }],
    ['limit out of range', { title: 'Vätgas', limit: 0 }],
  ])('refuses %s with 400', async (_name, query) => {
    const res = await t
      .http()
      .get(`/api/processes/${processes.skane}/similar`)
      .query(query)
      .set(company.auth)
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 for another region’s draft process', async () => {
    await t
      .http()
      .get(`/api/processes/${processes.vgDraft}/similar`)
      .query({ title: 'Vätgas' })
      .set(skane.auth)
      .expect(404);
    await t
      .http()
      .get(`/api/processes/${processes.vgDraft}/similar`)
      .query({ title: 'Vätgas' })
      .set(vg.auth)
      .expect(200);
  });

  it('returns Swedish text byte-identically', async () => {
    const res = await t.http().get(`/api/ideas/${ids.skane}/similar`).set(agency.auth).expect(200);
    expect(Buffer.from(res.body[0].idea.title).equals(Buffer.from(text('sv-h2-e4-b').title))).toBe(
      true,
    );
  });
});
