import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { catchError, throwError, type Observable } from 'rxjs';
import { RateLimitedException } from './rate-limited.exception.js';

/** Adds `Retry-After` to every 429 a service raised, before the exception filter writes it. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof RateLimitedException && context.getType() === 'http') {
          const response = context.switchToHttp().getResponse<Response>();
          if (!response.headersSent) {
            response.setHeader('Retry-After', String(error.retryAfterSeconds));
          }
        }
        return throwError(() => error);
      }),
    );
  }
}
