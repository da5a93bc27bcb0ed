import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RateLimiter } from '@edp/auth';
import { testConfig } from '../support/test-app.js';

/** The sliding window itself, in memory and on the machine's Redis (REDIS_URL). */
describe.each([
  ['memory', null],
  ['redis', 'redis://127.0.0.1:6379'],
] as const)('RateLimiter (%s)', (_store, redisUrl) => {
  let limiters: RateLimiter[] = [];
  const make = () => {
    const limiter = new RateLimiter(testConfig({ redisUrl }));
    limiters.push(limiter);
    return limiter;
  };
  const key = () => `test:${randomUUID()}`;

  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-11-27T08:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await Promise.all(limiters.map((limiter) => limiter.onModuleDestroy()));
    limiters = [];
  });

  it('allows `limit` hits in the window, then refuses with the time until the oldest leaves', async () => {
    const limiter = make();
    const k = key();
    for (let i = 0; i < 3; i++) {
      expect(await limiter.hit(k, 3, 60_000)).toEqual({ allowed: true, retryAfterMs: 0 });
      jest.advanceTimersByTime(10_000);
    }
    // Hits at t=0, 10 s, 20 s; now t=30 s: the first leaves the window at 60 s.
    expect(await limiter.hit(k, 3, 60_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(await limiter.peek(k, 3, 60_000)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    jest.advanceTimersByTime(30_001);
    expect((await limiter.hit(k, 3, 60_000)).allowed).toBe(true);
    expect((await limiter.hit(k, 3, 60_000)).allowed).toBe(false);
  });

  it('does not count refused hits, and unhit gives one back', async () => {
    const limiter = make();
    const k = key();
    await limiter.hit(k, 2, 60_000);
    await limiter.hit(k, 2, 60_000);
    for (let i = 0; i < 5; i++) expect((await limiter.hit(k, 2, 60_000)).allowed).toBe(false);
    await limiter.unhit(k);
    expect((await limiter.peek(k, 2, 60_000)).allowed).toBe(true);
    expect((await limiter.hit(k, 2, 60_000)).allowed).toBe(true);
    await limiter.reset(k);
    expect((await limiter.peek(k, 1, 60_000)).allowed).toBe(true);
  });

  it('keeps keys apart and exact under 100 concurrent hits', async () => {
    const limiter = make();
    const [a, b] = [key(), key()];
    const results = await Promise.all(
      Array.from({ length: 100 }, () => limiter.hit(a, 25, 60_000)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect((await limiter.hit(b, 25, 60_000)).allowed).toBe(true);
  });

  if (redisUrl) {
    it('shares counters between instances through Redis', async () => {
      const [one, two] = [make(), make()];
      const k = key();
      await one.hit(k, 2, 60_000);
      await two.hit(k, 2, 60_000);
      expect((await one.hit(k, 2, 60_000)).allowed).toBe(false);
      expect((await two.peek(k, 2, 60_000)).allowed).toBe(false);
    });

    it('counts apart for deployments on other databases sharing the same Redis', async () => {
      const on = (database: string) => {
        const limiter = new RateLimiter(
          testConfig({ redisUrl, databaseUrl: `postgres://127.0.0.1:5432/${database}` }),
        );
        limiters.push(limiter);
        return limiter;
      };
      const suffix = randomUUID().slice(0, 8);
      const [ours, ourOther, theirs] = [on(`a_${suffix}`), on(`a_${suffix}`), on(`b_${suffix}`)];
      const k = 'login:anna@example.se';
      await ours.hit(k, 1, 60_000);
      expect((await ourOther.peek(k, 1, 60_000)).allowed).toBe(false);
      expect((await theirs.hit(k, 1, 60_000)).allowed).toBe(true);
      await Promise.all([ours.reset(k), theirs.reset(k)]);
    });
  }
});

describe('RateLimiter with Redis unreachable', () => {
  it('keeps limiting in memory instead of failing', async () => {
    const limiter = new RateLimiter(testConfig({ redisUrl: 'redis://127.0.0.1:1' }));
    try {
      const k = `test:${randomUUID()}`;
      expect(await limiter.hit(k, 2, 60_000)).toEqual({ allowed: true, retryAfterMs: 0 });
      expect((await limiter.hit(k, 2, 60_000)).allowed).toBe(true);
      expect((await limiter.hit(k, 2, 60_000)).allowed).toBe(false);
    } finally {
      await limiter.onModuleDestroy();
    }
  });
});
