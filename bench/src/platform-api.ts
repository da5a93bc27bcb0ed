import { Agent } from 'node:http';
import { call, type HttpCall } from './load/http-load.js';
import type { ServerProcess } from './server-process.js';

export interface SeededUser {
  id: string;
  token: string;
}

/** Setup calls to the platform's public API; any non-2xx stops the benchmark with its body. */
export class PlatformApi {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });

  constructor(
    readonly base: string,
    readonly server: ServerProcess,
  ) {}

  async send<T>(request: HttpCall, localAddress?: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await call(this.agent, this.base, request, localAddress);
      if (res.status === 429 && attempt < 20) {
        const retryAfter = Number(res.headers['retry-after'] ?? 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5, retryAfter) * 1000));
        continue;
      }
      if (res.status >= 300) {
        throw new Error(
          `${request.method} ${request.path} → ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      return res.body as T;
    }
  }

  seedUsers(count: number, role: string, regionCode?: string): Promise<SeededUser[]> {
    return this.server.request<SeededUser[]>('seedUsers', { count, role, regionCode });
  }

  sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.server.request<T[]>('sql', { text, params });
  }

  /** An open discovery process in Skåne, owned by a region user. */
  async openProcess(region: SeededUser, title: string): Promise<string> {
    const process = await this.send<{ id: string }>({
      method: 'POST',
      path: '/api/processes',
      token: region.token,
      body: { regionCode: 'SE224', title, description: 'Mätning av röstvägen' },
    });
    await this.send({
      method: 'PATCH',
      path: `/api/processes/${process.id}`,
      token: region.token,
      body: { phase: 'open' },
    });
    return process.id;
  }

  close(): void {
    this.agent.destroy();
  }
}
