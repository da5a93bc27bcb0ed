import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
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
    // One prepared statement: this runs on every request and socket handshake.
    const [user] = await prepared<UserRow>(this.dataSource.manager, USER_SQL, [claims.sub]);
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
}

const USER_SQL = `SELECT id, role, region_code, display_name, organisation_id, disabled
  FROM users WHERE id = $1`;

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
