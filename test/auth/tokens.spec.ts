import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { TokenService } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens over HTTP', () => {
  let t: TestApp;
  let company: MadeUser;
  let sign: (payload: Record<string, unknown>, options?: Record<string, unknown>) => string;

  beforeAll(async () => {
    t = await createTestApp();
    company = await new Factory(t).user({ role: 'company' });
    const jwt = new JwtService({ secret: t.config.jwtSecret });
    sign = (payload, options = {}) => jwt.sign(payload, { algorithm: 'HS256', ...options });
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (authorization?: string) => {
    const req = t.http().get('/api/auth/me');
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };
  const claims = () => ({
    typ: 'access',
    sub: company.user.id,
    role: 'company',
    regionCode: null,
    iss: 'edp-platform',
  });

  it('accepts the genuine token', async () => {
    const res = await me(company.auth.Authorization).expect(200);
    expect(res.body.id).toBe(company.user.id);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => string][] = [
    ['no token at all', () => ''],
    ['a non-Bearer scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', () => 'Bearer not-a-jwt'],
    ['alg none', () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'alg none with a signature part',
      () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.c2lnbmF0dXJl`,
    ],
    ['expired', () => `Bearer ${sign({ ...claims(), iat: now() - 3600, exp: now() - 60 })}`],
    [
      'signed with another key',
      () =>
        `Bearer ${new JwtService({ secret: 'another-secret-that-is-long-enough-012345' }).sign(claims())}`,
    ],
    ['HS512 with the right key', () => `Bearer ${sign(claims(), { algorithm: 'HS512' })}`],
    ['another issuer', () => `Bearer ${sign({ ...claims(), iss: 'someone-else' })}`],
    ['no token type', () => `Bearer ${sign({ ...claims(), typ: undefined })}`],
    ['a refresh type', () => `Bearer ${sign({ ...claims(), typ: 'refresh' })}`],
    ['an unknown user', () => `Bearer ${sign({ ...claims(), sub: randomUUID() })}`],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = company.token.split('.');
        return `Bearer ${header}.${b64({ ...claims(), role: 'admin' })}.${signature}`;
      },
    ],
    [
      'a guest token',
      () =>
        `Bearer ${t.app.get(TokenService).signGuest({ sub: randomUUID(), workshopId: randomUUID(), displayName: 'Gäst' })}`,
    ],
  ];

  it.each(cases)('refuses %s with 401 in the error format', async (_label, header) => {
    const value = header();
    const res = await (value === '' ? me() : me(value)).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: expect.any(String),
    });
  });

  it('takes role and region from the database, not from the token claims', async () => {
    // Correctly signed, but claiming admin: the account is a company, so admin routes are closed.
    const forged = sign({ ...claims(), role: 'admin' }, { expiresIn: 60 });
    const res = await t
      .http()
      .post('/api/regions')
      .set('Authorization', `Bearer ${forged}`)
      .send({ code: 'ZZ99', name: 'Fejk', kind: 'nuts2' })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const who = await me(`Bearer ${forged}`).expect(200);
    expect(who.body.role).toBe('company');
  });
});
