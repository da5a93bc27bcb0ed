import { io, type Socket } from 'socket.io-client';
import type { Comment, Idea, JoinSnapshot, Workshop } from './types.js';

export type LiveStatus = 'connecting' | 'online' | 'offline';

export class LiveError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LiveHandlers {
  /** The full state, after the first connect and after every reconnect (resync). */
  snapshot(data: JoinSnapshot): void;
  status(status: LiveStatus): void;
  joinFailed(error: LiveError): void;
  /** The handshake refused the token; resolve true once a fresh token is available. */
  unauthorized?(): Promise<boolean>;
  ideaCreated?(idea: Idea): void;
  ideaUpdated?(idea: Idea): void;
  tally?(tallies: { ideaId: string; voteCount: number }[]): void;
  workshopUpdated?(workshop: Workshop): void;
  presence?(count: number): void;
  commentCreated?(comment: Comment): void;
}

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/**
 * One socket.io connection to `/live` for one workshop. socket.io reconnects by itself;
 * every (re)connect sends `workshop:join` again, and its snapshot replaces the local state,
 * so nothing missed while offline stays missing.
 */
export class LiveConnection {
  private readonly socket: Socket;

  constructor(
    getToken: () => string | null,
    private readonly workshopId: string,
    private readonly handlers: LiveHandlers,
  ) {
    this.socket = io(`${location.origin}/live`, {
      // Read on every (re)connect, so a refreshed access token is used.
      auth: (cb) => cb({ token: getToken() }),
      // WebSocket first (one round trip on a slow venue network), long-polling if it is blocked.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    handlers.status('connecting');
    this.socket.on('connect', () => void this.join());
    this.socket.on('disconnect', (reason) => {
      handlers.status('offline');
      // The server closed us on purpose (e.g. logout): socket.io does not retry that by itself.
      if (reason === 'io server disconnect') setTimeout(() => this.socket.connect(), 1000);
    });
    this.socket.on('connect_error', (error) => {
      handlers.status('offline');
      // A refused handshake is not retried by socket.io: refresh the token once, then retry.
      if (error.message === 'unauthorized' && !this.socket.active) {
        void (handlers.unauthorized?.() ?? Promise.resolve(false)).then((fresh) => {
          if (fresh) this.socket.connect();
          else handlers.joinFailed(new LiveError('UNAUTHORIZED', 'unauthorized'));
        });
      }
    });
    this.socket.on('idea:created', (idea: Idea) => handlers.ideaCreated?.(idea));
    this.socket.on('idea:updated', (idea: Idea) => handlers.ideaUpdated?.(idea));
    this.socket.on(
      'tally:updated',
      (payload: { tallies: { ideaId: string; voteCount: number }[] }) =>
        handlers.tally?.(payload.tallies),
    );
    this.socket.on('workshop:updated', (workshop: Workshop) =>
      handlers.workshopUpdated?.(workshop),
    );
    this.socket.on('presence', (payload: { count: number }) => handlers.presence?.(payload.count));
    this.socket.on('comment:created', (comment: Comment) => handlers.commentCreated?.(comment));
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
  }

  private readonly onOffline = () => {
    // The browser knows before socket.io's heartbeat does: drop the transport and let the
    // manager retry, so the banner shows at once and the resync starts as soon as we are back.
    this.handlers.status('offline');
    this.socket.io.engine?.close();
  };

  private readonly onOnline = () => {
    if (!this.socket.connected) this.socket.connect();
  };

  private async join(): Promise<void> {
    try {
      const data = await this.emit<JoinSnapshot>('workshop:join', { workshopId: this.workshopId });
      this.handlers.snapshot(data);
      this.handlers.status('online');
    } catch (error) {
      this.handlers.joinFailed(
        error instanceof LiveError ? error : new LiveError('UNAVAILABLE', String(error)),
      );
    }
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends an event and resolves with its ack's data; rejects with the ack's error code. */
  emit<T>(event: string, payload: Record<string, unknown>, timeoutMs = 8000): Promise<T> {
    if (!this.socket.connected) return Promise.reject(new LiveError('OFFLINE', 'Not connected'));
    return new Promise<T>((resolve, reject) => {
      this.socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack<T>) => {
        if (err) reject(new LiveError('OFFLINE', 'No answer'));
        else if (ack?.ok) resolve(ack.data);
        else reject(new LiveError(ack?.error?.code ?? 'UNAVAILABLE', ack?.error?.message ?? ''));
      });
    });
  }

  close(): void {
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
