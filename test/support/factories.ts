import { randomUUID } from 'node:crypto';
import {
  Organisation,
  PasswordHasher,
  TokenService,
  User,
  normalizeEmail,
  type Helix,
  type Role,
} from '@edp/auth';
import type { TestApp } from './test-app.js';

export const DEFAULT_PASSWORD = 'correct-horse-battery-staple';

const HELIX_OF_ROLE: Partial<Record<Role, Helix>> = {
  company: 'industry',
  researcher: 'academia',
  region: 'public',
  facilitator: 'public',
  agency: 'public',
};

export interface MadeUser {
  user: User;
  /** A valid access token for this user. */
  token: string;
  password: string;
  /** `{ Authorization: 'Bearer …' }` */
  auth: { Authorization: string };
}

let passwordHash: Promise<string> | null = null;

/**
 * Builds data straight into the test database (like immich's `ctx.newUser()`), so a test
 * of one feature does not depend on another feature's routes.
 */
export class Factory {
  private counter = 0;

  constructor(private readonly t: TestApp) {}

  async user(
    options: {
      role?: Role;
      regionCode?: string | null;
      email?: string;
      displayName?: string;
      helix?: Helix | null;
      organisationName?: string;
      disabled?: boolean;
    } = {},
  ): Promise<MadeUser> {
    const role = options.role ?? 'company';
    const hasher = this.t.app.get(PasswordHasher);
    passwordHash ??= hasher.hash(DEFAULT_PASSWORD);
    const n = ++this.counter;
    const helix = options.helix === undefined ? (HELIX_OF_ROLE[role] ?? null) : options.helix;
    const manager = this.t.dataSource.manager;
    let organisationId: string | null = null;
    if (helix) {
      const organisation = await manager.save(
        manager.create(Organisation, {
          name: options.organisationName ?? `${role} org ${n}`,
          helix,
          orgNumber: null,
          naceCode: null,
        }),
      );
      organisationId = organisation.id;
    }
    const regionCode =
      options.regionCode !== undefined
        ? options.regionCode
        : role === 'region' || role === 'facilitator'
          ? 'SE224'
          : null;
    const user = await manager.save(
      manager.create(User, {
        // Stored as the API stores it (trimmed, NFC, lower case), so logging in finds it.
        email: normalizeEmail(
          options.email ?? `${role}-${n}-${randomUUID().slice(0, 8)}@example.se`,
        ),
        passwordHash: await passwordHash,
        displayName: options.displayName ?? `${role} ${n}`,
        role,
        regionCode,
        organisationId,
        disabled: options.disabled ?? false,
      }),
    );
    const token = this.t.app.get(TokenService).signAccess({ sub: user.id, role, regionCode });
    return { user, token, password: DEFAULT_PASSWORD, auth: { Authorization: `Bearer ${token}` } };
  }
}
