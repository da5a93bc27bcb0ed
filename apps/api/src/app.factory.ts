import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { RequestMethod, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { AppException, PinoNestLogger, createPino, type AppConfig } from '@edp/common';
import type { DatabaseModuleOptions } from '@edp/database';
import { LiveIoAdapter, RedisHealth } from '@edp/realtime';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';

export interface CreateAppOptions {
  database?: DatabaseModuleOptions;
  logger?: Logger;
}

/** Builds the whole platform (HTTP API, socket gateway, web client); main.ts and tests share it. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const logger = options.logger ?? createPino(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options.database),
    { bodyParser: false, logger: new PinoNestLogger(logger), abortOnError: false },
  );
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogging(logger));
  // A phone on venue Wi-Fi loads the web client and the lists gzipped (about a third of their
  // size). Only reads: a write's answer is small, and wrapping each response cost a vote
  // request about 4 % of its CPU (npm run bench, profile).
  const gzip = compression();
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') gzip(req, res, next);
    else next();
  });
  app.useBodyParser('json', { limit: '1mb', strict: true });
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: false,
  });
  app.setGlobalPrefix('api', { exclude: [{ path: '/', method: RequestMethod.GET }] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) =>
        AppException.badRequest(
          'VALIDATION_FAILED',
          errors
            .flatMap((error) =>
              Object.values(
                error.constraints ?? { [error.property]: `${error.property} is invalid` },
              ),
            )
            .join('; ') || 'Invalid request',
        ),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  // socket.io: payload limit, origin check, and the Redis adapter when REDIS_URL is set.
  const live = new LiveIoAdapter(app, config);
  await live.connectRedis(app.get(RedisHealth));
  app.useWebSocketAdapter(live);
  // SIGTERM: the gateway drains and says goodbye, pools close, then exit 0 (not re-raise the signal).
  app.enableShutdownHooks(undefined, { useProcessExit: true });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('EDP Platform API')
      .setDescription('Entrepreneurial discovery for Smart Specialisation. Contract: API.md')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  serveWebClient(app, config);
  return app;
}

/**
 * Every response carries a request id (the caller's, when well formed); one log line per
 * request is written at `info`. pino-http builds a child logger per request, serialising the
 * request into it, even when the level drops every line it would write (its lines are all
 * `info`), so below `info` only the id is set. The level is read once, at start.
 */
function requestLogging(logger: Logger): express.RequestHandler {
  const requestId = (req: IncomingMessage, res: ServerResponse): string => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    return id;
  };
  if (!logger.isLevelEnabled('info')) {
    return (req, res, next) => {
      (req as { id?: string }).id = requestId(req, res);
      next();
    };
  }
  return pinoHttp({
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (req) => req.url === '/api/health' },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        // Query strings can carry search text and cursors; paths are enough to trace a request.
        path: req.url.split('?')[0],
      }),
    },
  });
}

/** The built web client is served at `/`, with index.html for its client-side routes. */
function serveWebClient(app: NestExpressApplication, config: AppConfig): void {
  const root = config.webRoot ?? join(process.cwd(), 'apps/web/dist');
  if (!existsSync(join(root, 'index.html'))) return;
  const files = express.static(root, { index: 'index.html', maxAge: '1h' });
  // Mounted before the API's routes: an API request must not cost a look on the disk first.
  const api = (req: express.Request) =>
    req.path.startsWith('/api') || req.path.startsWith('/socket.io');
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (api(req)) next();
    else files(req, res, next);
  });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || api(req)) {
      next();
      return;
    }
    res.sendFile(join(root, 'index.html'));
  });
}
