import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@edp/common';
import type { DataSource } from 'typeorm';
import { normalizeEmail } from '../validation/account-text.js';
import { PasswordHasher } from './password.hasher.js';
import { User } from './user.entity.js';

/** Creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when the platform has none. Idempotent. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    const users = this.dataSource.getRepository(User);
    if (await users.exists({ where: { role: 'admin' } })) return;
    const email = normalizeEmail(adminEmail);
    if (await users.exists({ where: { email } })) {
      // Promoting an account someone else may have registered would hand them the platform.
      this.logger.error('ADMIN_EMAIL belongs to an existing non-admin account; no admin created');
      return;
    }
    const passwordHash = await this.hasher.hash(adminPassword.normalize('NFC'));
    // Two instances starting together: the unique e-mail lets exactly one insert win.
    await users
      .createQueryBuilder()
      .insert()
      .values({ email, passwordHash, displayName: 'Admin', role: 'admin', regionCode: null })
      .orIgnore()
      .execute();
    this.logger.log('Created the first admin account from ADMIN_EMAIL');
  }
}
