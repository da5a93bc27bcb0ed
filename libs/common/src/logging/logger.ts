import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Paths that must never reach a log line (tokens, passwords, join codes). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  'accessToken',
  'refreshToken',
  'guestToken',
  'token',
  'joinCode',
  '*.joinCode',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.guestToken',
  '*.token',
];

export function createPino(level: string): Logger {
  return pino({
    level,
    base: { service: 'edp-api' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** Nest's own log lines (bootstrap, routes) go through pino as structured JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
