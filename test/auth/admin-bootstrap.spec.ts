import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AdminBootstrap, User } from '@edp/auth';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('first admin from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      adminEmail: ' Admin@Exämpel.SE ',
      adminPassword: 'första-admin-lösen',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const admins = () => t.dataSource.manager.countBy(User, { role: 'admin' });

  it('creates the admin at start-up, with a normalised address, and it can log in', async () => {
    expect(await admins()).toBe(1);
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'admin@exämpel.se', password: 'första-admin-lösen' })
      .expect(200);
    expect(res.body.user).toMatchObject({
      role: 'admin',
      regionCode: null,
      email: 'admin@exämpel.se',
    });
  });

  it('is idempotent: a second start-up creates nothing and keeps the password', async () => {
    await t.app.get(AdminBootstrap).onApplicationBootstrap();
    await Promise.all([1, 2, 3].map(() => t.app.get(AdminBootstrap).onApplicationBootstrap()));
    expect(await admins()).toBe(1);
  });

  it('never promotes an existing non-admin account that holds ADMIN_EMAIL', async () => {
    await t.dataSource.manager.delete(User, { role: 'admin' });
    await t
      .http()
      .post('/api/auth/register')
      .send({
        email: 'admin@exämpel.se',
        password: 'någon-annans-lösen',
        displayName: 'Kapare',
        role: 'company',
      })
      .expect(201);
    await t.app.get(AdminBootstrap).onApplicationBootstrap();
    expect(await admins()).toBe(0);
    const squatter = await t.dataSource.manager.findOneByOrFail(User, {
      email: 'admin@exämpel.se',
    });
    expect(squatter.role).toBe('company');
  });
});
