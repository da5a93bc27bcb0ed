import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { toErrorBody } from '@edp/common';
import { RateLimitedException } from '@edp/auth';

/**
 * The one place an HTTP error is shaped: `{ statusCode, code, message }`. 5xx details
 * are logged with the request id and never sent, so no stack or SQL reaches a client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        {
          requestId: request.id,
          err: describe(exception),
          method: request.method,
          url: request.path,
        },
        'request failed',
      );
    }
    if (response.headersSent) return;
    if (exception instanceof RateLimitedException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }
}

/** Only what helps an operator: SQL parameters may hold hashes or tokens, so they stay out. */
function describe(exception: unknown): Record<string, unknown> {
  if (!(exception instanceof Error)) return { message: String(exception) };
  const { code } = exception as { code?: unknown };
  const driverCode = (exception as { driverError?: { code?: unknown } }).driverError?.code;
  return {
    type: exception.name,
    message: exception.message,
    code: driverCode ?? code,
    stack: exception.stack,
  };
}
