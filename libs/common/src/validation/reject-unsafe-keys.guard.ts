import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AppException } from '../errors/app.exception.js';

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * No request of this API nests deeper than a few levels. class-transformer recurses once per
 * level, so a 10 kB body of nested brackets overflowed the stack in the ValidationPipe (a 500).
 */
const MAX_DEPTH = 32;

function findUnsafeKey(value: unknown, depth = 0): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_DEPTH) {
    throw AppException.badRequest('VALIDATION_FAILED', 'The request is nested too deeply');
  }
  for (const key of Object.keys(value)) {
    if (UNSAFE.has(key)) return key;
    const nested = findUnsafeKey((value as Record<string, unknown>)[key], depth + 1);
    if (nested) return nested;
  }
  return null;
}

/**
 * class-transformer drops `__proto__`, `constructor` and `prototype` keys before the
 * ValidationPipe looks for unknown fields, so they would slip through silently. This check
 * sees the raw body and query after access is decided and before any pipe (registered as a
 * global guard after AccessGuard, so an unauthorised caller still gets 401/403 first); it
 * also refuses bodies nested deeper than any route accepts. A guard rather than an
 * interceptor: with no interceptor at all, Nest skips its per-request rxjs chain.
 */
@Injectable()
export class RejectUnsafeKeysGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ body?: unknown; query?: unknown }>();
    const key = findUnsafeKey(request.body) ?? findUnsafeKey(request.query);
    if (key) throw AppException.badRequest('VALIDATION_FAILED', `property ${key} should not exist`);
    return true;
  }
}
