export * from './realtime.module.js';
export * from './redis/redis.health.js';
