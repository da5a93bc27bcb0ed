import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppException, type AppConfig } from '@edp/common';
import type { Role } from '../access/role.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const GUEST_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export interface AccessTokenClaims {
  typ: 'access';
  sub: string;
  role: Role;
  regionCode: string | null;
}

export interface GuestTokenClaims {
  typ: 'guest';
  /** The guest participant id. */
  sub: string;
  workshopId: string;
  displayName: string;
}

export type TokenClaims = AccessTokenClaims | GuestTokenClaims;

/**
 * Tokens already verified, kept until they expire: a client sends the same access token on
 * every request for 15 minutes, and jsonwebtoken's verify (decode, HMAC, claim checks) was
 * ~5% of a request's CPU. The key is the whole token, signature included, so only a token
 * that passed the full check is ever answered from here; expiry is checked again on each hit.
 */
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies JWTs; HS256 only, so `alg: none` and foreign keys are refused. */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  private readonly verified = new Map<string, { claims: TokenClaims; exp: number }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.jwt = new JwtService({
      // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to
      // parse it as a public key on every call, which cost ~1 ms per request.
      secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as string,
      signOptions: { algorithm: 'HS256', issuer: 'edp-platform' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'edp-platform' },
    });
  }

  signAccess(claims: Omit<AccessTokenClaims, 'typ'>): string {
    return this.jwt.sign({ ...claims, typ: 'access' }, { expiresIn: ACCESS_TOKEN_TTL_SECONDS });
  }

  signGuest(claims: Omit<GuestTokenClaims, 'typ'>): string {
    return this.jwt.sign({ ...claims, typ: 'guest' }, { expiresIn: GUEST_TOKEN_TTL_SECONDS });
  }

  /** Verified claims, or a 401 for anything expired, forged, malformed or of an unknown type. */
  verify(token: string): TokenClaims {
    const cached = this.verified.get(token);
    // jsonwebtoken's rule: expired once the current second reaches `exp`.
    if (cached && Math.floor(Date.now() / 1000) < cached.exp) return cached.claims;
    if (cached) this.verified.delete(token);
    const claims = this.verifyFully(token);
    const { exp, nbf } = claims as { exp?: unknown; nbf?: unknown };
    // Our tokens always expire and never carry nbf; anything else is checked every time.
    if (typeof exp === 'number' && nbf === undefined) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) {
        // Oldest first (a Map keeps insertion order).
        this.verified.delete(this.verified.keys().next().value!);
      }
      this.verified.set(token, { claims: Object.freeze(claims), exp });
    }
    return claims;
  }

  private verifyFully(token: string): TokenClaims {
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify<Record<string, unknown>>(token);
    } catch {
      throw AppException.unauthorized('Invalid or expired token');
    }
    if (payload.typ === 'access' && typeof payload.sub === 'string') {
      return payload as unknown as AccessTokenClaims;
    }
    if (
      payload.typ === 'guest' &&
      typeof payload.sub === 'string' &&
      typeof payload.workshopId === 'string'
    ) {
      return payload as unknown as GuestTokenClaims;
    }
    throw AppException.unauthorized('Invalid token type');
  }
}
