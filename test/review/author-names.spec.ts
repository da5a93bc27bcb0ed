import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

/**
 * A display name may hold 60 characters (code points). Emoji take two UTF-16 units each, so
 * cutting the name at 60 units split the last one and stored U+FFFD instead of the name.
 */
describe('author names are stored byte-identically', () => {
  let t: TestApp;
  const name = `Åsa ${'🌲'.repeat(29)}`; // 33 code points, 62 UTF-16 units
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('keeps an emoji display name whole on ideas, comments and the audit trail', async () => {
    expect([...name].length).toBeLessThanOrEqual(60);
    expect(name.length).toBeGreaterThan(60);
    const f = new Factory(t);
    const w = new WorkshopFactory(t);
    const author = await f.user({ role: 'researcher', displayName: name });
    const staff = await f.user({ role: 'region', regionCode: 'SE224', displayName: name });
    const process = await w.process();

    const idea = await w.idea(author, process.id, { title: 'Skogens framtid' });
    expect(idea.authorName).toBe(name);
    const read = await t.http().get(`/api/ideas/${idea.id}`).expect(200);
    expect(read.body.authorName).toBe(name);

    const comment = await t
      .http()
      .post(`/api/ideas/${idea.id}/comments`)
      .set(author.auth)
      .send({ body: 'Jag kan bidra' })
      .expect(201);
    expect(comment.body.authorName).toBe(name);

    await t
      .http()
      .patch(`/api/ideas/${idea.id}`)
      .set(staff.auth)
      .send({ status: 'shortlisted' })
      .expect(200);
    const audit = await t
      .http()
      .get(`/api/processes/${process.id}/audit`)
      .set(staff.auth)
      .expect(200);
    expect(audit.body.items[0].actor.name).toBe(name);
  });
});
