import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException, BatchQueue, type Settled } from '@edp/common';
import { prepared } from '@edp/database';
import type { DataSource } from 'typeorm';
import type { Role } from './role.js';
import { TokenService } from '../tokens/token.service.js';
import type { Actor } from './actor.js';

/**
 * Turns a bearer token into an Actor. Role and region are read from the database on
 * every call, so disabling a user or changing their role takes effect at once.
 */
@Injectable()
export class ActorResolver {
  /**
   * This runs on every request and socket handshake, so the lookups that arrive while one is
   * in flight go together in the next: under load one statement reads many users, alone a
   * lookup goes at once. Each still reads the row as it is after its request arrived.
   */
  private readonly users = new BatchQueue<string, UserRow | undefined>(
    (ids) => this.readUsers(ids),
    { concurrency: 1, maxBatch: 200 },
  );

  constructor(
    private readonly tokens: TokenService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async resolve(token: string): Promise<Actor> {
    const claims = this.tokens.verify(token);
    if (claims.typ === 'guest') {
      return {
        kind: 'guest',
        id: claims.sub,
        workshopId: claims.workshopId,
        displayName: claims.displayName,
      };
    }
    const user = await this.users.submit(null, claims.sub);
    if (!user || user.disabled) throw AppException.unauthorized('Invalid or expired token');
    return {
      kind: 'user',
      id: user.id,
      role: user.role,
      regionCode: user.region_code,
      displayName: user.display_name,
      organisationId: user.organisation_id,
    };
  }

  private async readUsers(ids: string[]): Promise<Settled<UserRow | undefined>[]> {
    const rows = await prepared<UserRow>(this.dataSource.manager, USERS_SQL, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => ({ ok: true, value: byId.get(id) }));
  }
}

const USERS_SQL = `SELECT id, role, region_code, display_name, organisation_id, disabled
  FROM users WHERE id = ANY($1::uuid[])`;

interface UserRow {
  id: string;
  role: Role;
  region_code: string | null;
  display_name: string;
  organisation_id: string | null;
  disabled: boolean;
}

/** The token from an `Authorization: Bearer …` header, or null when none was sent. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw AppException.unauthorized('Malformed Authorization header');
  return match[1];
}
