import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { AppException } from '../errors/app.exception.js';
import type { Observable } from 'rxjs';

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
 * ValidationPipe looks for unknown fields, so they would slip through silently. Interceptors
 * run before pipes and see the raw body and query, so this one is installed globally; it also
 * refuses bodies nested deeper than any route accepts.
 */
@Injectable()
export class RejectUnsafeKeysInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ body?: unknown; query?: unknown }>();
    const key = findUnsafeKey(request.body) ?? findUnsafeKey(request.query);
    if (key) throw AppException.badRequest('VALIDATION_FAILED', `property ${key} should not exist`);
    return next.handle();
  }
}
