import {
  createConnection,
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';

/**
 * A loopback TCP proxy in front of a server, as a load balancer would be: `retarget(port)`
 * sends new connections to another instance (existing ones stay where they are); `cut('reset')`
 * drops every connection and refuses new ones; `cut('blackhole')` forwards nothing (a partition).
 */
export class TcpProxy {
  private sockets = new Set<Socket>();
  private mode: 'open' | 'reset' | 'blackhole' = 'open';

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private targetPort: number,
  ) {}

  static async create(targetPort: number): Promise<TcpProxy> {
    const holder: { proxy?: TcpProxy } = {};
    const server = createServer((client) => holder.proxy?.accept(client));
    // Port 0: the system picks one that is free as it binds.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port, targetPort);
    holder.proxy = proxy;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  retarget(targetPort: number): void {
    this.targetPort = targetPort;
  }

  private accept(client: Socket): void {
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const forget = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.on('data', (chunk) => {
      if (this.mode === 'open') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (this.mode === 'open') client.write(chunk);
    });
  }

  cut(mode: 'reset' | 'blackhole'): void {
    this.mode = mode;
    if (mode === 'reset') for (const socket of this.sockets) socket.resetAndDestroy();
  }

  restore(): void {
    this.mode = 'open';
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
