import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService, type Role } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every role (plus anonymous and a guest token) against every route of the identity issue,
 * on objects of the caller's own region (SE224) and of another region (SE110).
 */
const CALLERS = [
  'admin',
  'agency',
  'region',
  'facilitator',
  'company',
  'researcher',
  'anonymous',
  'guest',
] as const;
type Caller = (typeof CALLERS)[number];
type Scope = 'own' | 'other';
type Row = Record<Caller, number>;

const OWN = 'SE224';
const OTHER = 'SE110';

/** The same answer for every caller except those listed. */
const all = (status: number, except: Partial<Row> = {}): Row =>
  ({ ...Object.fromEntries(CALLERS.map((c) => [c, status])), ...except }) as Row;
const signedIn = (status: number, except: Partial<Row> = {}): Row =>
  all(status, { anonymous: 401, guest: 401, ...except });
const adminOnly = (status: number): Row => signedIn(403, { admin: status });

interface Route {
  name: string;
  expected: Record<Scope, Row>;
  call(caller: Caller, scope: Scope): Promise<number>;
}

describe('authorisation matrix: identity and regions routes', () => {
  let t: TestApp;
  let f: Factory;
  const auth: Record<Caller, Record<string, string>> = {} as never;
  const targets = {} as Record<'facilitator' | 'company', Record<Scope, MadeUser>>;
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${++counter}`;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
    const roles: Role[] = ['admin', 'agency', 'region', 'facilitator', 'company', 'researcher'];
    for (const role of roles) {
      const regionCode = role === 'admin' || role === 'agency' ? null : OWN;
      auth[role] = (await f.user({ role, regionCode })).auth;
    }
    auth.anonymous = {};
    const guest = t.app.get(TokenService).signGuest({
      sub: randomUUID(),
      workshopId: randomUUID(),
      displayName: 'Gäst',
    });
    auth.guest = { Authorization: `Bearer ${guest}` };
    targets.facilitator = {
      own: await f.user({ role: 'facilitator', regionCode: OWN }),
      other: await f.user({ role: 'facilitator', regionCode: OTHER }),
    };
    targets.company = {
      own: await f.user({ role: 'company', regionCode: OWN }),
      other: await f.user({ role: 'company', regionCode: OTHER }),
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const http = () => t.http();
  const regionOf = (scope: Scope) => (scope === 'own' ? OWN : OTHER);

  const routes: Route[] = [
    {
      name: 'POST /api/auth/register',
      expected: { own: all(201), other: all(201) },
      call: async (caller, scope) =>
        (
          await http()
            .post('/api/auth/register')
            .set(auth[caller])
            .send({
              email: `ny-${unique()}@exempel.se`,
              password: 'ett-långt-lösenord',
              displayName: 'Ny Användare',
              role: 'company',
              homeRegionCode: regionOf(scope),
            })
        ).status,
    },
    {
      name: 'POST /api/auth/login',
      expected: { own: all(200), other: all(200) },
      call: async (caller, scope) => {
        const made = await f.user({ role: 'researcher', regionCode: regionOf(scope) });
        return (
          await http()
            .post('/api/auth/login')
            .set(auth[caller])
            .send({ email: made.user.email, password: made.password })
        ).status;
      },
    },
    {
      name: 'POST /api/auth/refresh',
      expected: { own: all(200), other: all(200) },
      call: async (caller, scope) => {
        const made = await f.user({ role: 'company', regionCode: regionOf(scope) });
        const session = await http()
          .post('/api/auth/login')
          .send({ email: made.user.email, password: made.password });
        return (
          await http()
            .post('/api/auth/refresh')
            .set(auth[caller])
            .send({ refreshToken: session.body.refreshToken })
        ).status;
      },
    },
    {
      name: 'POST /api/auth/logout',
      expected: { own: signedIn(204), other: signedIn(204) },
      call: async (caller) =>
        (
          await http()
            .post('/api/auth/logout')
            .set(auth[caller])
            .send({ refreshToken: 'x'.repeat(43) })
        ).status,
    },
    {
      name: 'GET /api/auth/me',
      expected: { own: signedIn(200), other: signedIn(200) },
      call: async (caller) => (await http().get('/api/auth/me').set(auth[caller])).status,
    },
    {
      name: 'PATCH /api/auth/me',
      expected: { own: signedIn(200), other: signedIn(200) },
      call: async (caller) =>
        (await http().patch('/api/auth/me').set(auth[caller]).send({ displayName: 'Själv' }))
          .status,
    },
    {
      name: 'POST /api/users (a facilitator of the region)',
      expected: {
        own: signedIn(403, { admin: 201, region: 201 }),
        other: signedIn(403, { admin: 201 }),
      },
      call: async (caller, scope) =>
        (
          await http()
            .post('/api/users')
            .set(auth[caller])
            .send({
              email: `fac-${unique()}@region.se`,
              password: 'ett-långt-lösenord',
              displayName: 'Facilitator',
              role: 'facilitator',
              regionCode: regionOf(scope),
            })
        ).status,
    },
    {
      name: 'PATCH /api/users/:id (a facilitator of the region)',
      expected: {
        own: signedIn(403, { admin: 200, region: 200 }),
        other: signedIn(403, { admin: 200, region: 404 }),
      },
      call: async (caller, scope) =>
        (
          await http()
            .patch(`/api/users/${targets.facilitator[scope].user.id}`)
            .set(auth[caller])
            .send({ displayName: 'Ändrad Facilitator' })
        ).status,
    },
    {
      name: 'PATCH /api/users/:id (a company user living in the region)',
      expected: {
        own: signedIn(403, { admin: 200, region: 404 }),
        other: signedIn(403, { admin: 200, region: 404 }),
      },
      call: async (caller, scope) =>
        (
          await http()
            .patch(`/api/users/${targets.company[scope].user.id}`)
            .set(auth[caller])
            .send({ displayName: 'Ändrat Företag' })
        ).status,
    },
    {
      name: 'GET /api/regions',
      expected: { own: all(200), other: all(200) },
      call: async (caller) => (await http().get('/api/regions').set(auth[caller])).status,
    },
    {
      name: 'POST /api/regions',
      expected: { own: adminOnly(201), other: adminOnly(201) },
      call: async (caller) => {
        const code = `ZZ${(counter++ % 1296).toString(36).toUpperCase().padStart(2, '0')}`;
        return (
          await http()
            .post('/api/regions')
            .set(auth[caller])
            .send({ code, name: `Testregion ${code}`, kind: 'nuts2' })
        ).status;
      },
    },
  ];

  it.each(routes.map((route) => [route.name, route] as const))('%s', async (_name, route) => {
    const actual: Record<Scope, Partial<Row>> = { own: {}, other: {} };
    for (const scope of ['own', 'other'] as const) {
      for (const caller of CALLERS) actual[scope][caller] = await route.call(caller, scope);
    }
    expect(actual).toEqual(route.expected);
  });
});
