import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the order of checks on every route: access, then the request’s shape', () => {
  let t: TestApp;
  let company: MadeUser;
  beforeAll(async () => {
    t = await createTestApp();
    company = await new Factory(t).user({ role: 'company' });
  });
  afterAll(async () => t.close());
  it('answers 401 or 403 before looking at unsafe keys (400), so an anonymous probe learns nothing about the body rules', async () => {
    const path = `/api/ideas/${randomUUID()}/vote?__proto__=x`;
    expect((await t.http().put(path)).status).toBe(401);
    const r = await t.http().put(path).set(company.auth);
    expect(r.status).toBe(400);
    const admin = await t
      .http()
      .post('/api/regions')
      .set(company.auth)
      .send(JSON.parse('{"__proto__":{"a":1}}'));
    expect(admin.status).toBe(403);
  });
});
