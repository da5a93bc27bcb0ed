import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppException } from '@edp/common';
import { IsNull, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { TokenService } from '../tokens/token.service.js';
import { User } from '../users/user.entity.js';
import { AUTH_SESSIONS_REVOKED, type SessionsRevokedEvent } from '../events/auth.events.js';
import { RefreshToken } from './refresh-token.entity.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const INVALID = () => AppException.unauthorized('Invalid or expired refresh token');

/** Access tokens plus rotating refresh tokens; reuse of a rotated token ends its whole family. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly events: EventEmitter2,
  ) {}

  /** A new session (family) for a user who just proved who they are. */
  start(user: User, manager: EntityManager = this.dataSource.manager): Promise<TokenPair> {
    return this.issue(manager, user, randomUUID());
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(RefreshToken, {
        where: { tokenHash: hashToken(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) return { kind: 'invalid' as const };
      if (current.revokedAt) {
        // A token that was already used: whoever holds the family may be an attacker.
        const revoked = await this.revokeFamily(manager, current.familyId);
        return { kind: 'reused' as const, userId: current.userId, revoked };
      }
      if (current.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' as const };
      const user = await manager.findOneBy(User, { id: current.userId });
      if (!user || user.disabled) return { kind: 'invalid' as const };
      await manager.update(RefreshToken, { id: current.id }, { revokedAt: new Date() });
      return { kind: 'ok' as const, pair: await this.issue(manager, user, current.familyId) };
    });
    if (outcome.kind === 'ok') return outcome.pair;
    if (outcome.kind === 'reused' && outcome.revoked > 0) {
      this.emitRevoked(outcome.userId, 'refresh-reuse');
    }
    throw INVALID();
  }

  /** Ends the session the refresh token belongs to, if it is the caller's. Idempotent. */
  async logout(userId: string, refreshToken: string): Promise<void> {
    const token = await this.dataSource.manager.findOneBy(RefreshToken, {
      tokenHash: hashToken(refreshToken),
      userId,
    });
    if (token) await this.revokeFamily(this.dataSource.manager, token.familyId);
    this.emitRevoked(userId, 'logout');
  }

  /** Ends every session of a user (disabled, role or region changed). Call inside the change's transaction. */
  async revokeAllOf(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(
      RefreshToken,
      { userId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
  }

  emitRevoked(userId: string, reason: SessionsRevokedEvent['reason']): void {
    this.events.emit(AUTH_SESSIONS_REVOKED, { userId, reason } satisfies SessionsRevokedEvent);
  }

  private async revokeFamily(manager: EntityManager, familyId: string): Promise<number> {
    const result = await manager.update(
      RefreshToken,
      { familyId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return result.affected ?? 0;
  }

  private async issue(manager: EntityManager, user: User, familyId: string): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    // Expired rows of this user are dead weight; clearing them here keeps the table small.
    await manager.delete(RefreshToken, { userId: user.id, expiresAt: LessThan(new Date()) });
    await manager.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
      revokedAt: null,
    });
    const accessToken = this.tokens.signAccess({
      sub: user.id,
      role: user.role,
      regionCode: user.regionCode,
    });
    return { accessToken, refreshToken };
  }
}
