import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@edp/common';

export type RedisStatus = 'none' | 'up' | 'down';

/** Reports Redis for /api/health; 'none' when the platform runs as a single instance. */
@Injectable()
export class RedisHealth {
  private probe: (() => Promise<boolean>) | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The realtime adapter registers how to reach Redis once it is connected. */
  setProbe(probe: () => Promise<boolean>): void {
    this.probe = probe;
  }

  async status(): Promise<RedisStatus> {
    if (!this.config.redisUrl) return 'none';
    if (!this.probe) return 'down';
    return (await this.probe().catch(() => false)) ? 'up' : 'down';
  }
}
