import type { FastifyRequest } from 'fastify';
import { AppException } from '@edp/common';

/**
 * The API's JSON bodies, strict: only an object or an array at the top (as body-parser's strict
 * mode was), so `null` or `"x"` never reaches a handler as its body. An empty body is no body.
 * Keys such as `__proto__` are kept as plain data, so the guard against them can refuse them
 * with the validation error every route gives (RejectUnsafeKeysGuard).
 */
export function parseJsonBody(
  _request: FastifyRequest,
  text: string | Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const body = String(text);
  const start = body.trimStart()[0];
  if (start === undefined) {
    done(null, undefined);
    return;
  }
  if (start === '{' || start === '[') {
    try {
      done(null, JSON.parse(body));
      return;
    } catch {
      // falls through to the one answer for a body that is not JSON
    }
  }
  done(AppException.badRequest('INVALID_JSON', 'Request body is not valid JSON'));
}

/** Any other body: 415, saying what the API takes (Fastify's own answer named only the status). */
export function refuseOtherBody(
  request: FastifyRequest,
  _payload: unknown,
  done: (error: Error | null, body?: unknown) => void,
): void {
  const type = String(request.headers['content-type'] ?? '').split(';')[0];
  done(
    new AppException(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Request bodies must be JSON (Content-Type: application/json)${type ? `, not ${type}` : ''}`,
    ),
  );
}
