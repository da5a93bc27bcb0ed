import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@edp/common';

/**
 * The built web client is served at `/`, with index.html for its client-side routes. `/api`
 * and `/socket.io` stay the server's own, found or not, whatever files the client has.
 */
export async function serveWebClient(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  const root = config.webRoot ?? join(process.cwd(), 'apps/web/dist');
  if (!existsSync(join(root, 'index.html'))) return;
  // A built client's files are known at start: any other path is one of its routes, answered
  // without a look on the disk.
  const files = new Set(filesUnder(root));
  await app.register(fastifyStatic, { root, serve: false, maxAge: '1h' });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/*', (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      if (/^(api|socket\.io)(\/|$)/.test(path)) return reply.callNotFound();
      // index.html is never cached: after a deploy it must name the new build's assets.
      return files.has(path) && path !== 'index.html'
        ? reply.sendFile(path)
        : reply.sendFile('index.html', { maxAge: 0 });
    });
}

/** Every file under root, as a URL path relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(root, file)).isFile())
    .map((file) => file.split(sep).join('/'));
}
