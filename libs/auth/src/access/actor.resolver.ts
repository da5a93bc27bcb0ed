import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
import type { Repository } from 'typeorm';
import { User } from '../users/user.entity.js';
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
    @InjectRepository(User) private readonly users: Repository<User>,
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
    const user = await this.users.findOne({
      where: { id: claims.sub },
      select: {
        id: true,
        role: true,
        regionCode: true,
        displayName: true,
        organisationId: true,
        disabled: true,
      },
    });
    if (!user || user.disabled) throw AppException.unauthorized('Invalid or expired token');
    return {
      kind: 'user',
      id: user.id,
      role: user.role,
      regionCode: user.regionCode,
      displayName: user.displayName,
      organisationId: user.organisationId,
    };
  }
}

/** The token from an `Authorization: Bearer …` header, or null when none was sent. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw AppException.unauthorized('Malformed Authorization header');
  return match[1];
}
