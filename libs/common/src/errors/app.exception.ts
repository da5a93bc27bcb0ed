/** The stable error codes of the public contract (API.md). */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID'
  | 'INVALID_JSON'
  | 'UNAUTHORIZED'
  | 'LOGIN_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | (string & {});

/**
 * Every rule a service enforces fails with one of these: the HTTP filter and the socket
 * gateway both turn it into `{ statusCode, code, message }` / `{ code, message }`.
 */
export class AppException extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppException';
  }

  static badRequest(code: ErrorCode, message: string): AppException {
    return new AppException(400, code, message);
  }
  static unauthorized(message = 'Authentication required', code: ErrorCode = 'UNAUTHORIZED') {
    return new AppException(401, code, message);
  }
  static forbidden(message = 'Not allowed', code: ErrorCode = 'FORBIDDEN'): AppException {
    return new AppException(403, code, message);
  }
  static notFound(what = 'Resource'): AppException {
    return new AppException(404, 'NOT_FOUND', `${what} not found`);
  }
  static conflict(code: ErrorCode, message: string): AppException {
    return new AppException(409, code, message);
  }
  static unprocessable(code: ErrorCode, message: string): AppException {
    return new AppException(422, code, message);
  }
}
