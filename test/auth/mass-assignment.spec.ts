import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { User } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Fields a caller must never set on themselves: each in a body is a 400 and changes nothing. */
const FORBIDDEN_FIELDS: [string, unknown][] = [
  ['role', 'admin'],
  ['regionCode', 'SE224'],
  ['id', '00000000-0000-4000-8000-000000000001'],
  ['disabled', false],
  ['passwordHash', '$argon2id$v=19$m=19456,t=2,p=1$x$y'],
  ['organisationId', '00000000-0000-4000-8000-000000000002'],
  ['email', 'annan@exempel.se'],
];

describe('mass assignment', () => {
  let t: TestApp;
  let company: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    company = await new Factory(t).user({ role: 'company', regionCode: 'SE224' });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(FORBIDDEN_FIELDS.filter(([field]) => field !== 'email'))(
    'registration with %s is a 400 and creates no account',
    async (field, value) => {
      const address = `mass-${randomUUID().slice(0, 8)}@exempel.se`;
      const body: Record<string, unknown> = {
        email: address,
        password: 'ett-långt-lösenord',
        displayName: 'Massa',
        role: field === 'role' ? value : 'company',
      };
      if (field !== 'role') body[field] = value;
      const res = await t.http().post('/api/auth/register').send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(await t.dataSource.manager.countBy(User, { email: address })).toBe(0);
    },
  );

  it.each(FORBIDDEN_FIELDS)(
    'a profile update (PATCH /api/auth/me) with %s is a 400 and changes nothing',
    async (field, value) => {
      const before = await t.dataSource.manager.findOneByOrFail(User, { id: company.user.id });
      const res = await t
        .http()
        .patch('/api/auth/me')
        .set(company.auth)
        .send({ displayName: 'Ändrat Namn', [field]: value })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const after = await t.dataSource.manager.findOneByOrFail(User, { id: company.user.id });
      expect(after).toEqual(before);
    },
  );

  it('a participant cannot use the staff route on themselves', async () => {
    await t
      .http()
      .patch(`/api/users/${company.user.id}`)
      .set(company.auth)
      .send({ role: 'admin' })
      .expect(403);
    const after = await t.dataSource.manager.findOneByOrFail(User, { id: company.user.id });
    expect(after.role).toBe('company');
  });
});
