import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@edp/auth';
import { DatabaseHealth } from '@edp/database';
import { RedisHealth } from '@edp/realtime';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly redis: RedisHealth,
  ) {}

  @Public()
  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and dependencies (public)' })
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    const [database, redis] = await Promise.all([this.database.isUp(), this.redis.status()]);
    const up = database && redis !== 'down';
    if (!up) response.status(503);
    return {
      status: up ? 'ok' : 'unavailable',
      database: database ? 'up' : 'down',
      ...(redis === 'none' ? {} : { redis }),
    };
  }
}
