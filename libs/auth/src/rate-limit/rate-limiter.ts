import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, redisPrefix, type AppConfig } from '@edp/common';

export interface RateLimitResult {
  allowed: boolean;
  /** When not allowed: how long until the oldest counted event leaves the window. */
  retryAfterMs: number;
}

interface RateLimitStore {
  /** Records one event unless `limit` events are already in the window. */
  hit(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult>;
  /** Whether one more event would be allowed, without recording it. */
  peek(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult>;
  /** Takes back the newest event (an attempt that turned out fine). */
  unhit(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Sliding window in process memory: each key keeps at most `limit` timestamps. */
class MemoryStore implements RateLimitStore {
  private readonly windows = new Map<string, { stamps: number[]; windowMs: number }>();
  private readonly sweeper = setInterval(() => this.sweep(Date.now()), 60_000).unref();

  private current(key: string, windowMs: number, now: number): number[] {
    const entry = this.windows.get(key);
    if (!entry) return [];
    const stamps = entry.stamps.filter((stamp) => stamp > now - windowMs);
    entry.stamps = stamps;
    return stamps;
  }

  private result(stamps: number[], limit: number, windowMs: number, now: number) {
    if (stamps.length < limit) return { allowed: true, retryAfterMs: 0 };
    return {
      allowed: false,
      retryAfterMs: Math.max(1, stamps[stamps.length - limit] + windowMs - now),
    };
  }

  hit(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult> {
    const stamps = this.current(key, windowMs, now);
    const result = this.result(stamps, limit, windowMs, now);
    if (result.allowed) {
      stamps.push(now);
      this.windows.set(key, { stamps, windowMs });
    }
    return Promise.resolve(result);
  }

  peek(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult> {
    return Promise.resolve(this.result(this.current(key, windowMs, now), limit, windowMs, now));
  }

  unhit(key: string): Promise<void> {
    this.windows.get(key)?.stamps.pop();
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  private sweep(now: number): void {
    for (const [key, { stamps, windowMs }] of this.windows) {
      if (!stamps.length || stamps[stamps.length - 1] <= now - windowMs) this.windows.delete(key);
    }
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.windows.clear();
    return Promise.resolve();
  }
}

/** The same sliding window as a sorted set per key, so every instance shares the counters. */
const REDIS_WINDOW = `
local key, now, window, limit, record = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  if record == '1' then
    redis.call('ZADD', key, now, ARGV[5])
    redis.call('PEXPIRE', key, window)
  end
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
`;

class RedisStore implements RateLimitStore {
  private sequence = 0;

  /** `prefix`: this deployment's (redisPrefix), so deployments sharing one Redis count apart. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private redisKey(key: string): string {
    return `${this.prefix}:rl:${key}`;
  }

  private async run(key: string, limit: number, windowMs: number, now: number, record: boolean) {
    const member = `${now}:${process.pid}:${++this.sequence}:${Math.random()}`;
    const [allowed, retryAfterMs] = (await this.redis.eval(
      REDIS_WINDOW,
      1,
      this.redisKey(key),
      now,
      windowMs,
      limit,
      record ? '1' : '0',
      member,
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterMs: Math.max(allowed === 1 ? 0 : 1, retryAfterMs) };
  }

  hit(key: string, limit: number, windowMs: number, now: number) {
    return this.run(key, limit, windowMs, now, true);
  }
  peek(key: string, limit: number, windowMs: number, now: number) {
    return this.run(key, limit, windowMs, now, false);
  }
  async unhit(key: string): Promise<void> {
    await this.redis.zpopmax(this.redisKey(key));
  }
  async reset(key: string): Promise<void> {
    await this.redis.del(this.redisKey(key));
  }
  async close(): Promise<void> {
    // quit() would wait for a connection that may never come; disconnect() stops reconnecting.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

/**
 * Redis first; while Redis is unreachable each instance counts on its own rather than
 * failing every login (the limits then hold per instance, not across all of them).
 */
class FallbackStore implements RateLimitStore {
  private warned = 0;

  constructor(
    private readonly primary: RateLimitStore,
    private readonly fallback: RateLimitStore,
    private readonly logger = new Logger('RateLimiter'),
  ) {}

  private async attempt<T>(work: (store: RateLimitStore) => Promise<T>): Promise<T> {
    try {
      return await work(this.primary);
    } catch (error) {
      if (Date.now() - this.warned > 60_000) {
        this.warned = Date.now();
        this.logger.warn(`Redis unavailable, counting in memory: ${(error as Error).message}`);
      }
      return work(this.fallback);
    }
  }

  hit(key: string, limit: number, windowMs: number, now: number) {
    return this.attempt((store) => store.hit(key, limit, windowMs, now));
  }
  peek(key: string, limit: number, windowMs: number, now: number) {
    return this.attempt((store) => store.peek(key, limit, windowMs, now));
  }
  unhit(key: string) {
    return this.attempt((store) => store.unhit(key));
  }
  reset(key: string) {
    return this.attempt((store) => store.reset(key));
  }
  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }
}

/**
 * Sliding-window counters for abuse limits (failed logins, registrations, join-code guesses).
 * In memory for one instance; shared through Redis when REDIS_URL is set.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly store: RateLimitStore;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.redisUrl) {
      const redis = new Redis(config.redisUrl, {
        // Fail fast into the in-memory fallback instead of holding logins behind a dead Redis.
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        disconnectTimeout: 200,
      });
      redis.on('error', () => undefined); // reported by FallbackStore, once a minute
      this.store = new FallbackStore(new RedisStore(redis, redisPrefix(config)), new MemoryStore());
    } else {
      this.store = new MemoryStore();
    }
  }

  /** Counts one event for `key`; refused (and not counted) once `limit` events fall in `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return this.store.hit(key, limit, windowMs, Date.now());
  }

  /** Whether `key` is still under `limit`, without counting anything. */
  peek(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    return this.store.peek(key, limit, windowMs, Date.now());
  }

  /** Takes back the newest event of `key`, e.g. a login attempt that succeeded. */
  unhit(key: string): Promise<void> {
    return this.store.unhit(key);
  }

  reset(key: string): Promise<void> {
    return this.store.reset(key);
  }

  onModuleDestroy(): Promise<void> {
    return this.store.close();
  }
}
