import { HttpException } from '@nestjs/common';
import { AppException } from './app.exception.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** node-postgres / PostgreSQL signs that the database, not the request, is at fault. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // statement timeout / cancelled
  '57P01', // admin shutdown
  '57P02',
  '57P03', // cannot connect now
  '53300', // too many connections
  '08000',
  '08001',
  '08003',
  '08006',
  '40P01', // deadlock: the client may retry
  '55P03', // lock not available
]);

const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|terminating connection|the database system is|not queryable|Cannot use a pool after calling end|PGlite is closed|Connection pool has been destroyed|DataSource is not initialized|Driver not Connected/i;

export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const driverError = (error as { driverError?: { code?: string } }).driverError;
  const code = driverError?.code ?? (error as { code?: string }).code;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATES.has(code)) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/** Maps any thrown value to the public error shape. Unknown errors become a generic 500. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppException) {
    return { statusCode: error.status, code: error.code, message: error.message };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const response = error.getResponse();
    let message = error.message;
    let code = HTTP_CODES[statusCode] ?? (statusCode >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    if (typeof response === 'object' && response !== null) {
      const body = response as { message?: unknown; code?: unknown };
      if (Array.isArray(body.message)) message = body.message.join('; ');
      else if (typeof body.message === 'string') message = body.message;
      if (typeof body.code === 'string') code = body.code;
    }
    if (statusCode >= 500 && statusCode !== 503) {
      return { statusCode, code: 'INTERNAL', message: 'Internal server error' };
    }
    return { statusCode, code, message };
  }
  if (isUnavailableError(error)) {
    return {
      statusCode: 503,
      code: 'UNAVAILABLE',
      message: 'A service the platform depends on is unavailable; try again shortly',
    };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Internal server error' };
}
