import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AUTH_SESSIONS_REVOKED, User, type SessionsRevokedEvent } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('staff administration of accounts', () => {
  let t: TestApp;
  let f: Factory;
  let admin: MadeUser;
  let region: MadeUser;
  const events: SessionsRevokedEvent[] = [];
  let n = 0;
  const email = () => `konto-${++n}-${randomUUID().slice(0, 6)}@region.se`;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    admin = await f.user({ role: 'admin' });
    region = await f.user({ role: 'region', regionCode: 'SE224' });
    t.app.get(EventEmitter2).on(AUTH_SESSIONS_REVOKED, (e: SessionsRevokedEvent) => events.push(e));
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (who: MadeUser, body: Record<string, unknown>) =>
    t.http().post('/api/users').set(who.auth).send(body);
  const patch = (who: MadeUser, id: string, body: Record<string, unknown>) =>
    t.http().patch(`/api/users/${id}`).set(who.auth).send(body);
  const stored = (id: string) => t.dataSource.manager.findOneByOrFail(User, { id });

  it('lets an admin create any role, and the account can log in', async () => {
    for (const [role, regionCode] of [
      ['admin', undefined],
      ['agency', undefined],
      ['region', 'SE110'],
      ['facilitator', 'SE221'],
      ['company', 'SE224'],
      ['researcher', undefined],
    ] as const) {
      const address = email();
      const res = await create(admin, {
        email: address,
        password: 'ett-långt-lösenord',
        displayName: `Ny ${role}`,
        role,
        ...(regionCode ? { regionCode } : {}),
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: address,
        displayName: `Ny ${role}`,
        role,
        regionCode: regionCode ?? null,
        disabled: false,
        organisation: null,
      });
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: address, password: 'ett-långt-lösenord' })
        .expect(200);
    }
  });

  it('lets region staff create a facilitator of their own region (region from the token)', async () => {
    const res = await create(region, {
      email: email(),
      password: 'ett-långt-lösenord',
      displayName: 'Fia Facilitator',
      role: 'facilitator',
    }).expect(201);
    expect(res.body).toMatchObject({ role: 'facilitator', regionCode: 'SE224' });
    // Only admins and the user themselves see an address.
    expect(res.body).not.toHaveProperty('email');
  });

  it.each([
    ['another role', { role: 'region' }, 403],
    ['a company account', { role: 'company' }, 403],
    ['another region', { role: 'facilitator', regionCode: 'SE110' }, 403],
  ])('refuses region staff creating %s', async (_label, patchBody, status) => {
    const address = email();
    await create(region, {
      email: address,
      password: 'ett-långt-lösenord',
      displayName: 'X',
      ...patchBody,
    }).expect(status);
    expect(await t.dataSource.manager.countBy(User, { email: address })).toBe(0);
  });

  it.each([
    ['staff without a region', { role: 'region' }, 422, 'REGION_REQUIRED'],
    ['agency with a region', { role: 'agency', regionCode: 'SE224' }, 422, 'REGION_NOT_ALLOWED'],
    ['an unknown region', { role: 'facilitator', regionCode: 'SE999' }, 400, 'UNKNOWN_REGION'],
    ['an unknown role', { role: 'superadmin' }, 400, 'VALIDATION_FAILED'],
    ['an id', { role: 'company', id: randomUUID() }, 400, 'VALIDATION_FAILED'],
    ['disabled', { role: 'company', disabled: false }, 400, 'VALIDATION_FAILED'],
    ['a password hash', { role: 'company', passwordHash: 'x' }, 400, 'VALIDATION_FAILED'],
  ])('refuses an admin creating %s', async (_label, body, status, code) => {
    const address = email();
    const res = await create(admin, {
      email: address,
      password: 'ett-långt-lösenord',
      displayName: 'X',
      ...body,
    }).expect(status);
    expect(res.body.code).toBe(code);
    expect(await t.dataSource.manager.countBy(User, { email: address })).toBe(0);
  });

  it('refuses a taken address (409 EMAIL_TAKEN)', async () => {
    const existing = await f.user({ role: 'company' });
    const res = await create(admin, {
      email: existing.user.email.toUpperCase(),
      password: 'ett-långt-lösenord',
      displayName: 'X',
      role: 'agency',
    }).expect(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
  });

  it('lets region staff rename, disable and re-enable their own facilitators', async () => {
    const fac = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    const res = await patch(region, fac.user.id, { displayName: 'Åke Ström' }).expect(200);
    expect(res.body).toMatchObject({ displayName: 'Åke Ström', role: 'facilitator' });
    expect(res.body).not.toHaveProperty('email');
    await patch(region, fac.user.id, { disabled: true }).expect(200);
    expect((await stored(fac.user.id)).disabled).toBe(true);
    await patch(region, fac.user.id, { disabled: false }).expect(200);
  });

  it.each([
    ['promote to region staff', { role: 'region' }, 403],
    ['move to another region', { regionCode: 'SE110' }, 403],
  ])('refuses region staff trying to %s a facilitator', async (_label, body, status) => {
    const fac = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    await patch(region, fac.user.id, body).expect(status);
    const after = await stored(fac.user.id);
    expect(after).toMatchObject({ role: 'facilitator', regionCode: 'SE224' });
  });

  it('hides every account but their own facilitators from region staff (404)', async () => {
    const others = [
      await f.user({ role: 'facilitator', regionCode: 'SE110' }),
      await f.user({ role: 'region', regionCode: 'SE224' }),
      await f.user({ role: 'company', regionCode: 'SE224' }),
      admin,
    ];
    for (const other of others) {
      const res = await patch(region, other.user.id, { displayName: 'Kapad' }).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect((await stored(other.user.id)).displayName).not.toBe('Kapad');
    }
    await patch(region, randomUUID(), { displayName: 'X' }).expect(404);
  });

  it('refuses anybody changing their own role, region or status (403), changing nothing', async () => {
    const cases: [MadeUser, Record<string, unknown>][] = [
      [region, { role: 'admin' }],
      [region, { role: 'facilitator' }],
      [region, { regionCode: 'SE110' }],
      [region, { disabled: true }],
      [admin, { role: 'agency' }],
      [admin, { regionCode: 'SE224' }],
      [admin, { disabled: true }],
    ];
    for (const [who, body] of cases) {
      const before = await stored(who.user.id);
      const res = await patch(who, who.user.id, body);
      expect({ body, status: res.status }).toEqual({ body, status: 403 });
      expect(await stored(who.user.id)).toEqual(before);
    }
  });

  it('lets staff rename themselves', async () => {
    const res = await patch(region, region.user.id, { displayName: 'Regionens Röst' }).expect(200);
    expect(res.body).toMatchObject({ displayName: 'Regionens Röst', email: region.user.email });
  });

  it('lets an admin change a role; it applies to the existing token at once and closes sockets', async () => {
    const user = await f.user({ role: 'company', regionCode: 'SE224' });
    const before = events.length;
    const res = await patch(admin, user.user.id, { role: 'facilitator' }).expect(200);
    expect(res.body).toMatchObject({
      role: 'facilitator',
      regionCode: 'SE224',
      email: user.user.email,
    });
    expect(events.slice(before)).toEqual([{ userId: user.user.id, reason: 'role-changed' }]);
    const me = await t.http().get('/api/auth/me').set(user.auth).expect(200);
    expect(me.body.role).toBe('facilitator');
    const toAgency = await patch(admin, user.user.id, { role: 'agency' }).expect(200);
    expect(toAgency.body.regionCode).toBeNull();
  });

  it.each([
    ['an id', { id: randomUUID() }],
    ['an e-mail address', { email: 'ny@exempel.se' }],
    ['a password hash', { passwordHash: '$argon2id$x' }],
    ['an organisation', { organisationId: randomUUID() }],
    ['an unknown role', { role: 'owner' }],
    ['a non-boolean disabled', { disabled: 'yes' }],
  ])('refuses a PATCH carrying %s with 400 and changes nothing', async (_label, body) => {
    const target = await f.user({ role: 'company' });
    const before = await stored(target.user.id);
    const res = await patch(admin, target.user.id, { displayName: 'Ändrad', ...body }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await stored(target.user.id)).toEqual(before);
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    const bad = await patch(admin, 'not-a-uuid', { displayName: 'X' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await patch(admin, randomUUID(), { displayName: 'X' }).expect(404);
  });
});
