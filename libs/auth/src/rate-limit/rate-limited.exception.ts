import { AppException } from '@edp/common';

/** 429 RATE_LIMITED; the HTTP exception filter turns `retryAfterSeconds` into a Retry-After header. */
export class RateLimitedException extends AppException {
  constructor(
    readonly retryAfterMs: number,
    message = 'Too many attempts; try again later',
  ) {
    super(429, 'RATE_LIMITED', message);
  }

  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}
