import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { User } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * `IsOptional` lets an explicit `null` through every other validator; a PATCH that then
 * wrote it into a NOT NULL column answered 500. Absent means "unchanged", null is a 400.
 */
describe('an explicit null in an optional field is a 400, not a 500', () => {
  let t: TestApp;
  let admin: MadeUser;
  let staff: MadeUser;
  let facilitator: MadeUser;
  let company: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    admin = await f.user({ role: 'admin' });
    staff = await f.user({ role: 'region', regionCode: 'SE224' });
    facilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    company = await f.user({ role: 'company' });
  });
  afterAll(async () => t.close());

  const cases: [string, () => MadeUser, string, string, Record<string, unknown>][] = [
    ['user displayName', () => staff, 'patch', '/api/users/:facilitator', { displayName: null }],
    ['user disabled', () => staff, 'patch', '/api/users/:facilitator', { disabled: null }],
    ['user role', () => admin, 'patch', '/api/users/:facilitator', { role: null }],
    ['own displayName', () => company, 'patch', '/api/auth/me', { displayName: null }],
    [
      'region parentCode',
      () => admin,
      'post',
      '/api/regions',
      { code: 'FI1D', name: 'Pohjois-Karjala', kind: 'nuts2', parentCode: null },
    ],
  ];

  it.each(cases)('%s: null', async (_name, who, method, path, body) => {
    const before = await t.dataSource.manager.findOneByOrFail(User, { id: facilitator.user.id });
    const agent = t.http();
    const res = await agent[method as 'patch'](path.replace(':facilitator', facilitator.user.id))
      .set(who().auth)
      .send(body);
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const after = await t.dataSource.manager.findOneByOrFail(User, { id: facilitator.user.id });
    expect(after).toEqual(before);
  });

  it('still accepts regionCode: null (a participant without home region)', async () => {
    const res = await t
      .http()
      .patch(`/api/users/${company.user.id}`)
      .set(admin.auth)
      .send({ regionCode: null })
      .expect(200);
    expect(res.body.regionCode).toBeNull();
  });
});
