import type { IncomingMessage } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, RedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, type Observable } from 'rxjs';
import type { Namespace, Server, ServerOptions, Socket } from 'socket.io';
import { redisPrefix, type AppConfig } from '@edp/common';
import { RedisHealth } from './redis.health.js';

/** Socket payloads over 64 KB are refused (API.md, Limits). */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;
const REDIS_READY_TIMEOUT_MS = 3000;

/**
 * socket.io for the platform: the payload limit, the origin check against CORS_ORIGINS and,
 * with REDIS_URL, the Redis adapter that carries broadcasts between instances. Redis going
 * away never takes the server down: errors are logged, broadcasts stay local until it returns.
 */
export class LiveIoAdapter extends IoAdapter {
  private readonly log = new Logger('LiveIoAdapter');
  private pub: Redis | null = null;
  private sub: Redis | null = null;
  private lastErrorLog = 0;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  /** Connects to Redis (when configured) before the server starts; never fails start-up. */
  async connectRedis(health: RedisHealth): Promise<void> {
    if (!this.config.redisUrl) return;
    const retryStrategy = (attempt: number) => Math.min(attempt * 100, 1000);
    // Publishing fails fast while Redis is away instead of queueing stale broadcasts.
    const pub = new Redis(this.config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
    });
    // Subscriptions queue until connected and are renewed after every reconnect.
    const sub = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null, retryStrategy });
    for (const client of [pub, sub]) client.on('error', (error: Error) => this.logError(error));
    // The adapter publishes without catching; a rejected publish must not become an unhandled rejection.
    const publish = pub.publish.bind(pub);
    pub.publish = (channel: string, message: string | Buffer) =>
      publish(channel, message).catch(() => 0);
    this.pub = pub;
    this.sub = sub;
    // Both ways: an instance whose subscriber is still reconnecting misses other instances' broadcasts.
    health.setProbe(
      async () => pub.status === 'ready' && sub.status === 'ready' && (await pub.ping()) === 'PONG',
    );
    const ready = await Promise.race([
      Promise.all([pub, sub].map((client) => onceReady(client))).then(() => true),
      new Promise<false>((resolve) =>
        setTimeout(() => resolve(false), REDIS_READY_TIMEOUT_MS).unref(),
      ),
    ]);
    if (!ready)
      this.log.warn('Redis is not reachable yet; broadcasts stay on this instance until it is');
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
      cors: { origin: this.config.corsOrigins.length ? this.config.corsOrigins : false },
      allowRequest: (request, callback) =>
        callback(null, originAllowed(request, this.config.corsOrigins)),
    } as ServerOptions);
    if (this.pub && this.sub) {
      // Requests to other instances (presence counts) give up quickly when one is gone.
      server.adapter(
        createAdapter(this.pub, this.sub, {
          key: channelPrefix(this.config),
          requestsTimeout: 2000,
        }),
      );
    }
    return server;
  }

  /**
   * Nest's IoAdapter builds an RxJS chain per socket and handler (~40 KB per connection);
   * one plain listener per handler keeps its semantics: payload/ack mapping, null results
   * dropped, `{ event, data }` emitted, anything else acked, errors logged, never thrown.
   * Nest's `transform` (its pickResult: await, then an Observable as it is, else `of(result)`)
   * is done here with the promise itself: wrapping every event's result in RxJS was a few %
   * of the CPU of a live room.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    _transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]);
        const respond = (response: unknown) => {
          if (response === undefined || response === null || !socket.connected) return;
          const reply = response as { event?: string; data?: unknown };
          if (reply.event) socket.emit(reply.event, reply.data);
          else if (!isAckHandledManually && typeof ack === 'function') ack(response);
        };
        const fail = (error: unknown) => this.log.error(error);
        try {
          void Promise.resolve(callback(data, ack)).then((result: unknown) => {
            if (isObservable(result)) result.subscribe({ next: respond, error: fail });
            else respond(result);
          }, fail);
        } catch (error) {
          fail(error);
        }
      });
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(
      [this.pub, this.sub].map(async (client) => {
        await client?.quit().catch(() => client.disconnect());
      }),
    );
    this.pub = this.sub = null;
  }

  private logError(error: Error): void {
    // ioredis reports every failed reconnect; one line per 10 s is enough to act on.
    if (Date.now() - this.lastErrorLog < 10_000) return;
    this.lastErrorLog = Date.now();
    this.log.warn(`Redis: ${error.message}`);
  }
}

/**
 * Whether other instances may share this namespace: only through Redis. (The in-memory
 * adapter has no server-side events, and warns on every one it is asked to send.)
 */
export function sharedWithOtherInstances(nsp: Namespace): boolean {
  return nsp.adapter instanceof RedisAdapter;
}

/** The Redis channels of this deployment's live broadcasts (see redisPrefix). */
export function channelPrefix(config: AppConfig): string {
  return `${redisPrefix(config)}:live`;
}

/** Browsers send Origin; it must be listed in CORS_ORIGINS, or be this server itself when none are. */
export function originAllowed(request: IncomingMessage, allowed: string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true; // not a browser: nothing to protect against cross-site use
  if (allowed.length > 0) return allowed.includes(origin);
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function onceReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}
