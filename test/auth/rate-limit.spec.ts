import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LOGIN_LIMITS, RateLimiter, REGISTRATION_LIMITS } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Runs `tasks` with at most `width` in flight, like a room of people pressing "log in". */
async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe('login and registration limits', () => {
  let t: TestApp;
  let f: Factory;
  let ipCounter = 0;
  /** A fresh client address per call (the app trusts X-Forwarded-For from loopback only). */
  const freshIp = () => `198.51.100.${++ipCounter}`;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string, ip: string) =>
    t.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('allows 10 failures per account, then 429 with Retry-After even for the right password', async () => {
    expect(LOGIN_LIMITS.failuresPerAccount).toBe(10);
    const victim = await f.user({ role: 'company' });
    for (let i = 0; i < 10; i++) {
      await login(victim.user.email, `gissning-${i}`, freshIp()).expect(401);
    }
    const blocked = await login(victim.user.email, victim.password, freshIp()).expect(429);
    expect(blocked.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.any(String),
    });
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // The limit is the account's: another account from the same addresses is unaffected.
    const other = await f.user({ role: 'company' });
    await login(other.user.email, other.password, `198.51.100.${ipCounter}`).expect(200);
  });

  it('counts an unknown address like a known one (no enumeration through the limit)', async () => {
    const email = `finns-inte-${randomUUID().slice(0, 6)}@exempel.se`;
    for (let i = 0; i < 10; i++) await login(email, 'fel-lösenord', freshIp()).expect(401);
    await login(email, 'fel-lösenord', freshIp()).expect(429);
  });

  it('allows 50 failures per address, then 429 for every account from that address', async () => {
    expect(LOGIN_LIMITS.failuresPerAddress).toBe(50);
    const ip = freshIp();
    for (let i = 0; i < 50; i++) {
      await login(`spray-${i}@exempel.se`, 'Sommar2026!', ip).expect(401);
    }
    const user = await f.user({ role: 'researcher' });
    const blocked = await login(user.user.email, user.password, ip).expect(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    await login(user.user.email, user.password, freshIp()).expect(200);
  });

  it('lets exactly 10 of 30 parallel guesses at one account through to a password check', async () => {
    const victim = await f.user({ role: 'company' });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(victim.user.email, `parallell-${i}`, freshIp()).then((res) => res.status),
      ),
    );
    expect(tally(statuses)).toEqual({ 401: 10, 429: 20 });
  });

  it('serves 500 successful logins from one venue address, with typos among them', async () => {
    // 100 people log in 5 times each behind one NAT; 40 of them mistype once on the way.
    const ip = freshIp();
    const people: MadeUser[] = [];
    for (let i = 0; i < 100; i++)
      people.push(await f.user({ role: i % 2 ? 'company' : 'researcher' }));
    const tasks: (() => Promise<[string, number]>)[] = [];
    for (let round = 0; round < 5; round++) {
      people.forEach((person, i) => {
        if (round === 2 && i < 40) {
          tasks.push(async () => ['typo', (await login(person.user.email, 'stavfel', ip)).status]);
        }
        tasks.push(async () => [
          'login',
          (await login(person.user.email, person.password, ip)).status,
        ]);
      });
    }
    const results = await pool(tasks, 8);
    const logins = results.filter(([kind]) => kind === 'login').map(([, status]) => status);
    const typos = results.filter(([kind]) => kind === 'typo').map(([, status]) => status);
    expect(tally(logins)).toEqual({ 200: 500 });
    expect(tally(typos)).toEqual({ 401: 40 });
    // ~540 argon2 verifications (~10–20 ms each): seconds on an idle machine, more on a busy one.
  }, 240_000);

  it('serves a room of 200 registrations from one address', async () => {
    const ip = freshIp();
    const statuses = await pool(
      Array.from({ length: 200 }, (_, i) => async () => {
        const res = await t
          .http()
          .post('/api/auth/register')
          .set('X-Forwarded-For', ip)
          .send({
            email: `rum-${i}-${randomUUID().slice(0, 6)}@exempel.se`,
            password: 'ett-långt-lösenord',
            displayName: `Deltagare ${i}`,
            role: i % 2 ? 'company' : 'researcher',
          });
        return res.status;
      }),
      8,
    );
    expect(tally(statuses)).toEqual({ 201: 200 });
  }, 240_000);

  it('limits registrations per address at abuse volume (429 past the hourly bound)', async () => {
    const ip = freshIp();
    // Fill the address's window as 1000 earlier registrations would have.
    const limiter = t.app.get(RateLimiter);
    for (let i = 0; i < REGISTRATION_LIMITS.perAddress; i++) {
      await limiter.hit(
        `register:ip:${ip}`,
        REGISTRATION_LIMITS.perAddress,
        REGISTRATION_LIMITS.windowMs,
      );
    }
    const body = () => ({
      email: `bot-${randomUUID().slice(0, 8)}@exempel.se`,
      password: 'ett-långt-lösenord',
      displayName: 'Bot',
      role: 'company',
    });
    const blocked = await t
      .http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', ip)
      .send(body())
      .expect(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await t
      .http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', freshIp())
      .send(body())
      .expect(201);
  });
});
