import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AUTH_SESSIONS_REVOKED, PasswordHasher, User, type SessionsRevokedEvent } from '@edp/auth';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Factory } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'lösenord-med-åäö-123';

describe('accounts: register, login, refresh, logout, me', () => {
  let t: TestApp;
  let f: Factory;
  const revoked: SessionsRevokedEvent[] = [];
  let n = 0;
  const email = (prefix = 'user') => `${prefix}-${++n}@exempel.se`;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    t.app.get(EventEmitter2).on(AUTH_SESSIONS_REVOKED, (event: SessionsRevokedEvent) => {
      revoked.push(event);
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (body: Record<string, unknown>) =>
    t.http().post('/api/auth/register').send(body);
  const login = (emailAddress: string, password = PASSWORD) =>
    t.http().post('/api/auth/login').send({ email: emailAddress, password });

  it('registers a company with an organisation (helix from the role) and a home region', async () => {
    const address = email('company');
    const res = await register({
      email: address,
      password: PASSWORD,
      displayName: 'Företag AB:s kontakt',
      role: 'company',
      organisation: { name: 'Ölands Vind AB', orgNumber: '556677-8899' },
      homeRegionCode: 'SE213',
    }).expect(201);
    expect(res.body).toEqual({
      user: {
        id: expect.any(String),
        email: address,
        displayName: 'Företag AB:s kontakt',
        role: 'company',
        regionCode: 'SE213',
        organisation: { id: expect.any(String), name: 'Ölands Vind AB', helix: 'industry' },
      },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    const me = await t
      .http()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    expect(me.body).toEqual(res.body.user);
  });

  it('gives a researcher the academia helix and allows no organisation', async () => {
    const withOrg = await register({
      email: email('researcher'),
      password: PASSWORD,
      displayName: 'Forskare',
      role: 'researcher',
      organisation: { name: 'Lunds universitet' },
    }).expect(201);
    expect(withOrg.body.user.organisation.helix).toBe('academia');
    const without = await register({
      email: email('researcher'),
      password: PASSWORD,
      displayName: 'Forskare utan org',
      role: 'researcher',
    }).expect(201);
    expect(without.body.user).toMatchObject({ organisation: null, regionCode: null });
  });

  it('round-trips Swedish names and e-mail addresses byte-identically, normalised to NFC', async () => {
    // Decomposed input (a + combining ring) as a Mac keyboard may send it.
    const decomposedName = 'A\u030asa O\u0308berg-Ha\u0308ll';
    const decomposedEmail = ' A\u030aSA.O\u0308BERG@Exa\u0308mpel.SE ';
    const res = await register({
      email: decomposedEmail,
      password: PASSWORD,
      displayName: decomposedName,
      role: 'company',
      organisation: { name: 'Smörgåsbord & Öl AB' },
    }).expect(201);
    expect(res.body.user.displayName).toBe('Åsa Öberg-Häll');
    expect(Buffer.from(res.body.user.displayName)).toEqual(
      Buffer.from('Åsa Öberg-Häll'.normalize('NFC')),
    );
    expect(res.body.user.email).toBe('åsa.öberg@exämpel.se');
    expect(res.body.user.organisation.name).toBe('Smörgåsbord & Öl AB');
    const stored = await t.dataSource.manager.findOneByOrFail(User, { id: res.body.user.id });
    expect(stored.email).toBe('åsa.öberg@exämpel.se');
    expect(stored.displayName).toBe('Åsa Öberg-Häll');
    // Log in with another spelling of the same address: composed, upper case.
    const again = await login('ÅSA.ÖBERG@EXÄMPEL.SE').expect(200);
    expect(again.body.user.id).toBe(res.body.user.id);
    const me = await t
      .http()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${again.body.accessToken}`)
      .expect(200);
    expect(me.text).toContain('"displayName":"Åsa Öberg-Häll"');
  });

  it('refuses a second account with the same address in any case or normal form (409 EMAIL_TAKEN)', async () => {
    const address = email('dup');
    await register({
      email: address,
      password: PASSWORD,
      displayName: 'Ett',
      role: 'company',
    }).expect(201);
    for (const variant of [address.toUpperCase(), ` ${address} `]) {
      const res = await register({
        email: variant,
        password: PASSWORD,
        displayName: 'Två',
        role: 'researcher',
      }).expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        code: 'EMAIL_TAKEN',
        message: expect.any(String),
      });
    }
    expect(await t.dataSource.manager.countBy(User, { email: address })).toBe(1);
  });

  it('lets exactly one of 10 concurrent registrations of one address win', async () => {
    const address = email('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        register({ email: address, password: PASSWORD, displayName: `R${i}`, role: 'company' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await t.dataSource.manager.countBy(User, { email: address })).toBe(1);
  });

  it.each([
    ['missing password', { password: undefined }],
    ['short password', { password: 'kort' }],
    ['bad e-mail', { email: 'inte-en-adress' }],
    ['admin role', { role: 'admin' }],
    ['region role', { role: 'region' }],
    ['blank name', { displayName: '   ' }],
    ['name over 60', { displayName: 'Å'.repeat(61) }],
    ['NUL in name', { displayName: 'A\u0000B' }],
    ['lone surrogate', { displayName: 'A\uD800B' }],
    ['unknown home region', { homeRegionCode: 'SE999' }],
    ['malformed home region', { homeRegionCode: 'sverige' }],
    ['unknown organisation field', { organisation: { name: 'X', helix: 'public' } }],
    ['organisation as a list', { organisation: [{ name: 'Lista AB' }] }],
    ['organisation as an empty list', { organisation: [] }],
  ])('rejects a registration with %s (4xx, nothing stored)', async (_label, patch) => {
    const address = email('bad');
    const body: Record<string, unknown> = {
      email: address,
      password: PASSWORD,
      displayName: 'Namn',
      role: 'company',
      ...patch,
    };
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toMatch(/^(VALIDATION_FAILED|UNKNOWN_REGION)$/);
    expect(await t.dataSource.manager.countBy(User, { email: address })).toBe(0);
  });

  it('counts characters as the database does: 60 with emoji fit, 61 are a 400 (never a 500)', async () => {
    const name = `${'ö'.repeat(58)}🇸🇪`;
    expect([...name].length).toBe(60);
    const res = await register({
      email: email(),
      password: PASSWORD,
      displayName: name,
      role: 'company',
    });
    expect(res.status).toBe(201);
    expect(res.body.user.displayName).toBe(name);
    const tooLong = await register({
      email: email(),
      password: PASSWORD,
      displayName: `${name}\uFE0F`,
      role: 'company',
    });
    expect(tooLong.status).toBe(400);
  });

  it('refuses a NUL in the login e-mail with 400, never a 500 (PostgreSQL text cannot hold it)', async () => {
    const res = await login('åsa\u0000@exempel.se', 'fel-lösenord-123');
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('answers a wrong password and an unknown e-mail with the same 401 body', async () => {
    const known = await f.user({ role: 'company' });
    const wrongPassword = await login(known.user.email, 'fel-lösenord-123').expect(401);
    const unknownEmail = await login('ingen-alls@exempel.se', 'fel-lösenord-123').expect(401);
    const malformedEmail = await login('inte en adress', 'x').expect(401);
    expect(wrongPassword.body).toEqual({
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      message: expect.any(String),
    });
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(malformedEmail.body).toEqual(wrongPassword.body);
  });

  it('spends one argon2 verification on an unknown e-mail too (no timing oracle)', async () => {
    const known = await f.user({ role: 'company' });
    const verify = jest.spyOn(t.app.get(PasswordHasher), 'verify');
    try {
      await login('okand-adress@exempel.se', 'fel-lösenord-123').expect(401);
      expect(verify).toHaveBeenCalledTimes(1);
      await login(known.user.email, 'fel-lösenord-123').expect(401);
      expect(verify).toHaveBeenCalledTimes(2);
      // Both ran a real argon2id check, against a hash with the same parameters.
      const [unknownHash, knownHash] = verify.mock.calls.map(([hash]) => hash);
      expect(unknownHash).not.toBe(knownHash);
      expect(unknownHash.split('$').slice(0, 4)).toEqual(knownHash.split('$').slice(0, 4));
    } finally {
      verify.mockRestore();
    }
  });

  it('logs in with a stale bearer header still attached (login and refresh ignore it)', async () => {
    const made = await f.user({ role: 'researcher' });
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('Authorization', 'Bearer not.a.token')
      .send({ email: made.user.email, password: made.password })
      .expect(200);
    await t
      .http()
      .post('/api/auth/refresh')
      .set('Authorization', 'Bearer expired.or.broken')
      .send({ refreshToken: res.body.refreshToken })
      .expect(200);
  });

  it('rotates refresh tokens; reusing a rotated one revokes the whole family (401)', async () => {
    const made = await f.user({ role: 'company' });
    const first = await login(made.user.email, made.password).expect(200);
    const r1 = first.body.refreshToken as string;
    const second = await t.http().post('/api/auth/refresh').send({ refreshToken: r1 }).expect(200);
    expect(Object.keys(second.body).sort()).toEqual(['accessToken', 'refreshToken']);
    const r2 = second.body.refreshToken as string;
    expect(r2).not.toBe(r1);
    await t
      .http()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${second.body.accessToken}`)
      .expect(200);
    const third = await t.http().post('/api/auth/refresh').send({ refreshToken: r2 }).expect(200);
    const r3 = third.body.refreshToken as string;

    // An attacker replays r1: refused, and the live r3 dies with it.
    const before = revoked.length;
    const replay = await t.http().post('/api/auth/refresh').send({ refreshToken: r1 }).expect(401);
    expect(replay.body.code).toBe('UNAUTHORIZED');
    expect(revoked.slice(before)).toEqual([{ userId: made.user.id, reason: 'refresh-reuse' }]);
    await t.http().post('/api/auth/refresh').send({ refreshToken: r3 }).expect(401);

    // Another session of the same user (another family) is untouched.
    const other = await login(made.user.email, made.password).expect(200);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: other.body.refreshToken })
      .expect(200);
  });

  it('lets exactly one of 10 concurrent refreshes with one token win; the rest count as reuse', async () => {
    const made = await f.user({ role: 'company' });
    const session = await login(made.user.email, made.password).expect(200);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http().post('/api/auth/refresh').send({ refreshToken: session.body.refreshToken }),
      ),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(401)]);
    // The replays revoked the family, including the token the winner received.
    const winner = results.find((res) => res.status === 200)!;
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: winner.body.refreshToken })
      .expect(401);
  });

  it('refuses unknown and malformed refresh tokens', async () => {
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: 'x'.repeat(43) })
      .expect(401);
    await t.http().post('/api/auth/refresh').send({}).expect(400);
    await t.http().post('/api/auth/refresh').send({ refreshToken: 42 }).expect(400);
  });

  it('logout revokes the refresh token and announces auth.sessions-revoked', async () => {
    const made = await f.user({ role: 'researcher' });
    const session = await login(made.user.email, made.password).expect(200);
    const before = revoked.length;
    await t
      .http()
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${session.body.accessToken}`)
      .send({ refreshToken: session.body.refreshToken })
      .expect(204);
    expect(revoked.slice(before)).toEqual([{ userId: made.user.id, reason: 'logout' }]);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: session.body.refreshToken })
      .expect(401);
  });

  it("cannot log out someone else's session", async () => {
    const victim = await f.user({ role: 'company' });
    const attacker = await f.user({ role: 'company' });
    const session = await login(victim.user.email, victim.password).expect(200);
    await t
      .http()
      .post('/api/auth/logout')
      .set(attacker.auth)
      .send({ refreshToken: session.body.refreshToken })
      .expect(204);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: session.body.refreshToken })
      .expect(200);
  });

  it('lets a user change their own display name through PATCH /api/auth/me', async () => {
    const made = await f.user({ role: 'company' });
    const res = await t
      .http()
      .patch('/api/auth/me')
      .set(made.auth)
      .send({ displayName: 'Örjan Ärlig' })
      .expect(200);
    expect(res.body).toMatchObject({
      id: made.user.id,
      displayName: 'Örjan Ärlig',
      email: made.user.email,
    });
  });

  it('locks a disabled user out at once: login, existing access token and refresh token', async () => {
    const admin = await f.user({ role: 'admin' });
    const made = await f.user({ role: 'company' });
    const session = await login(made.user.email, made.password).expect(200);
    const before = revoked.length;
    await t
      .http()
      .patch(`/api/users/${made.user.id}`)
      .set(admin.auth)
      .send({ disabled: true })
      .expect(200);
    expect(revoked.slice(before)).toEqual([{ userId: made.user.id, reason: 'disabled' }]);
    await t.http().get('/api/auth/me').set(made.auth).expect(401);
    await t
      .http()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${session.body.accessToken}`)
      .expect(401);
    const denied = await login(made.user.email, made.password).expect(401);
    expect(denied.body.code).toBe('INVALID_CREDENTIALS');
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: session.body.refreshToken })
      .expect(401);

    // Enabled again: the password works, the old sessions stay dead.
    await t
      .http()
      .patch(`/api/users/${made.user.id}`)
      .set(admin.auth)
      .send({ disabled: false })
      .expect(200);
    await login(made.user.email, made.password).expect(200);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: session.body.refreshToken })
      .expect(401);
  });

  it('a disabled user created by the factory cannot log in', async () => {
    const made = await f.user({ role: 'researcher', disabled: true });
    await login(made.user.email, made.password).expect(401);
    await t.http().get('/api/auth/me').set(made.auth).expect(401);
  });
});
