/**
 * A socket.io client for the load generator: the wire protocol (engine.io 4, socket.io 5) of
 * the `/live` namespace over a bare WebSocket, with the handshake's `auth`, events and acks.
 * The generator's threads share two cores with the servers they measure, and socket.io-client's
 * layers (manager, emitters, parser, reconnection) were about 45 % of their CPU; the servers
 * see the same frames either way. The setup's staff socket keeps socket.io-client.
 */
import WebSocket from 'ws';

/** No answer: its deadline passed (`TIMEOUT`), or the connection is gone (`CLOSED`). */
export class AckError extends Error {
  constructor(readonly code: 'TIMEOUT' | 'CLOSED') {
    super(code === 'TIMEOUT' ? 'operation has timed out' : 'the connection is closed');
  }
}

type AckCallback = (error: AckError | null, response: unknown) => void;

const NSP = '/live';
const EVENT = `42${NSP},`;
const ACK = `43${NSP},`;
const CONNECTED = `40${NSP},`;
const CONNECT_ERROR = `44${NSP},`;
const DISCONNECT = `41${NSP},`;
/** How often unanswered acks are looked at; their deadline is what they were given. */
const ACK_SWEEP_MS = 500;

export class LiveClient {
  private readonly listeners = new Map<string, (data: never) => void>();
  private readonly pending = new Map<number, { callback: AckCallback; deadline: number }>();
  private nextAckId = 0;
  private readonly sweep: NodeJS.Timeout;
  /** Events received (acks excluded), as socket.io-client's `onAny` counts them. */
  events = 0;

  private constructor(private readonly ws: WebSocket) {
    this.sweep = setInterval(() => this.expire(Date.now()), ACK_SWEEP_MS).unref();
  }

  /** Opens the WebSocket and the `/live` namespace with `auth: { token }`. */
  static connect(url: string, token: string, timeoutMs: number): Promise<LiveClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const client = new LiveClient(ws);
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        client.close();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error('connect timeout')), timeoutMs);
      let open = false;
      ws.on('error', fail);
      ws.on('close', () => {
        client.closed();
        if (!open) fail(new Error('closed before the namespace was joined'));
      });
      ws.on('message', (raw: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        const message = raw.toString();
        if (message.startsWith(EVENT)) return client.onEvent(message);
        if (message.startsWith(ACK)) return client.onAck(message);
        if (message === '2') return ws.send('3');
        // Sent away from the namespace (the connection may stay open): nothing more will answer.
        if (message.startsWith(DISCONNECT)) return client.close();
        if (message.startsWith('0')) return ws.send(`40${NSP},${JSON.stringify({ token })}`);
        if (message.startsWith(CONNECTED)) {
          open = true;
          clearTimeout(timer);
          ws.off('error', fail);
          ws.on('error', () => client.closed());
          return resolve(client);
        }
        if (message.startsWith(CONNECT_ERROR)) {
          const { message: reason } = JSON.parse(message.slice(CONNECT_ERROR.length)) as {
            message?: string;
          };
          return fail(new Error(reason ?? 'connect error'));
        }
      });
    });
  }

  on<T>(event: string, listener: (data: T) => void): void {
    this.listeners.set(event, listener);
  }

  /** Emits with an ack; the callback gets an Error when no answer came within `timeoutMs`. */
  emit(event: string, data: unknown, timeoutMs: number, callback: AckCallback): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      queueMicrotask(() => callback(new AckError('CLOSED'), undefined));
      return;
    }
    const id = this.nextAckId++;
    this.pending.set(id, { callback, deadline: Date.now() + timeoutMs });
    this.ws.send(`${EVENT}${id}${JSON.stringify([event, data])}`);
  }

  close(): void {
    this.ws.close();
    this.closed();
  }

  private onEvent(message: string): void {
    this.events++;
    const [event, data] = JSON.parse(message.slice(EVENT.length)) as [string, never];
    this.listeners.get(event)?.(data);
  }

  private onAck(message: string): void {
    let end = ACK.length;
    while (message.charCodeAt(end) >= 48 && message.charCodeAt(end) <= 57) end++;
    const id = Number(message.slice(ACK.length, end));
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    const [response] = JSON.parse(message.slice(end)) as [unknown];
    entry.callback(null, response);
  }

  private expire(now: number, code: AckError['code'] = 'TIMEOUT'): void {
    for (const [id, entry] of this.pending) {
      if (entry.deadline > now) continue;
      this.pending.delete(id);
      entry.callback(new AckError(code), undefined);
    }
  }

  /** A closed connection answers nothing more: its acks fail now, not at their deadline. */
  private closed(): void {
    clearInterval(this.sweep);
    this.expire(Infinity, 'CLOSED');
  }
}
