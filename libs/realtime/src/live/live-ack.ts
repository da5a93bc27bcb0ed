import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppException, toErrorBody } from '@edp/common';

export type Ack<T = unknown> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Validates a socket payload like the HTTP ValidationPipe does; failures are `INVALID`.
 * Synchronously: every payload constraint is synchronous, and the async `validate` costs a
 * promise per constraint, about 10 of the 25 µs a vote's validation took.
 */
export function parsePayload<T extends object>(type: new () => T, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw AppException.badRequest('INVALID', 'The payload must be an object');
  }
  // class-transformer skips these silently; an unknown field is refused, so these are too.
  if (Object.keys(payload).some((key) => FORBIDDEN_KEYS.has(key))) {
    throw AppException.badRequest('INVALID', 'The payload has a forbidden field');
  }
  const instance = plainToInstance(type, payload);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) {
    const message = errors
      .flatMap((error) => Object.values(error.constraints ?? { [error.property]: 'is invalid' }))
      .join('; ');
    throw AppException.badRequest('INVALID', message || 'Invalid payload');
  }
  return instance;
}

/** The same mapping as HTTP errors; validation failures from services read `INVALID` here. */
export function ackError(error: unknown): { ack: Ack<never>; status: number } {
  const body = toErrorBody(error);
  const code = body.code === 'VALIDATION_FAILED' ? 'INVALID' : body.code;
  return { ack: { ok: false, error: { code, message: body.message } }, status: body.statusCode };
}
