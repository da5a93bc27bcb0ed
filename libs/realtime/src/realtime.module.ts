import { Module } from '@nestjs/common';
import { RedisHealth } from './redis/redis.health.js';

@Module({
  providers: [RedisHealth],
  exports: [RedisHealth],
})
export class RealtimeModule {}
