import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        {
          requestId: request.id,
          err: describe(exception),
          method: request.method,
          path: request.url.split('?')[0],
        },
        'request failed',
      );
    }
    if (reply.sent) return;
    if (exception instanceof RateLimitedException) {
      void reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    void reply.status(body.statusCode).send(body);
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
