import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import { RequestMethod, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppException, PinoNestLogger, createPino, toErrorBody, type AppConfig } from '@edp/common';
import type { DatabaseModuleOptions } from '@edp/database';
import { LiveIoAdapter, RedisHealth } from '@edp/realtime';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { parseJsonBody, refuseOtherBody } from './http/json-body.js';
import { serveWebClient } from './http/web-client.js';

/** JSON bodies over 1 MB are refused with 413 (API.md, Limits). */
const MAX_BODY_BYTES = 1024 * 1024;
const MALFORMED_URL = AppException.badRequest('VALIDATION_FAILED', 'The URL could not be decoded');

export interface CreateAppOptions {
  database?: DatabaseModuleOptions;
  logger?: Logger;
}

/**
 * Builds the whole platform (HTTP API, socket gateway, web client); main.ts and tests share it.
 * HTTP runs on Fastify: on Express a vote request cost the process twice the CPU (npm run
 * bench, A/B: 351–418 → 187–209 µs per vote request at concurrency 32).
 */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const logger = options.logger ?? createPino(config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.database),
    new FastifyAdapter({
      bodyLimit: MAX_BODY_BYTES,
      trustProxy: config.trustProxy,
      genReqId: requestId,
      routerOptions: { ignoreTrailingSlash: true },
      // The one error Fastify answers before any hook or filter: a URL it cannot decode.
      frameworkErrors: (_error: Error, _request: FastifyRequest, reply: FastifyReply) =>
        void reply.status(400).send(toErrorBody(MALFORMED_URL)),
    }),
    { bodyParser: false, logger: new PinoNestLogger(logger), abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only, parsed as body-parser's strict mode did (see parseJsonBody).
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  fastify.addContentTypeParser('*', refuseOtherBody);
  logRequests(fastify, logger);
  // A phone on venue Wi-Fi loads the web client and the lists gzipped (about a third of their
  // size). Only reads: a write's answer is small, and compressing it costs CPU on every vote.
  fastify.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.every((method) => method === 'GET' || method === 'HEAD')) route.compress = false;
  });
  await app.register(compress, { encodings: ['gzip', 'deflate'] });
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

  await serveWebClient(app, config);
  return app;
}

/** The caller's request id when well formed, else a new one. */
function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
}

/**
 * Every response carries its request id; one line per request is written at `info` (none for
 * health checks). Below `info` nothing is built for the log at all. The level is read once.
 */
function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    // Query strings can carry search text and cursors; paths are enough to trace a request.
    const path = request.url.split('?')[0];
    if (path !== '/api/health') {
      logger.info(
        {
          req: { id: request.id, method: request.method, path },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}
