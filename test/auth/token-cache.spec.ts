import { describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@edp/common';
import { TokenService } from '@edp/auth';

const secret = 'test-secret-that-is-long-enough-0123456789';

describe('TokenService: verified tokens are remembered until they expire', () => {
  const tokens = new TokenService({ jwtSecret: secret } as AppConfig);
  const jwt = new JwtService({ secret });
  const claims = { typ: 'access', sub: 'u1', role: 'company', regionCode: null };

  it('refuses a remembered token once its exp second is reached', async () => {
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = jwt.sign({ ...claims, exp }, { algorithm: 'HS256', issuer: 'edp-platform' });
    expect(tokens.verify(token).sub).toBe('u1');
    expect(tokens.verify(token).sub).toBe('u1');
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    expect(() => tokens.verify(token)).toThrow('Invalid or expired token');
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
