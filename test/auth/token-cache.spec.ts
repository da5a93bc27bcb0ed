import { describe, expect, it, jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@edp/common';
import { TokenService } from '@edp/auth';

const secret = 'test-secret-that-is-long-enough-0123456789';

describe('TokenService: verified tokens are remembered until they expire', () => {
  const tokens = new TokenService({ jwtSecret: secret } as AppConfig);
  const jwt = new JwtService({ secret });
  const claims = { typ: 'access', sub: 'u1', role: 'company', regionCode: null };

  it('refuses a remembered token once its exp second is reached', () => {
    // The clock is jest's, so the test does not depend on where in a second it starts.
    jest.useFakeTimers({ now: 1_800_000_000_000 });
    try {
      const exp = 1_800_000_001;
      const token = jwt.sign({ ...claims, exp }, { algorithm: 'HS256', issuer: 'edp-platform' });
      expect(tokens.verify(token).sub).toBe('u1');
      jest.setSystemTime(exp * 1000 - 1);
      expect(tokens.verify(token).sub).toBe('u1');
      jest.setSystemTime(exp * 1000);
      expect(() => tokens.verify(token)).toThrow('Invalid or expired token');
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not answer a tampered copy of a remembered token', () => {
    const token = tokens.signAccess({ sub: 'u2', role: 'company', regionCode: null });
    expect(tokens.verify(token).sub).toBe('u2');
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, sub: 'u2', role: 'admin' })).toString(
      'base64url',
    );
    expect(() => tokens.verify(`${header}.${payload}.${signature}`)).toThrow();
    expect(() => tokens.verify(`${token}x`)).toThrow();
  });
});
