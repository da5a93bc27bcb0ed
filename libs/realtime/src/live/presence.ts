import type { Namespace } from 'socket.io';
import type { Actor } from '@edp/auth';

export const PRESENCE_WINDOW_MS = 250;

export function workshopRoom(workshopId: string): string {
  return `workshop:${workshopId}`;
}

/** The sockets of a workshop's region staff (facilitators, region, admins): they see hidden ideas. */
export function staffRoom(workshopId: string): string {
  return `staff:${workshopId}`;
}

/**
 * Counts the people (not tabs) connected to a workshop across all instances and broadcasts
 * the count at most once per window, so a room filling up is not flooded with updates.
 */
export class Presence {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly nsp: Namespace) {}

  changed(workshopId: string): void {
    if (this.stopped || this.timers.has(workshopId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(workshopId);
      void this.broadcast(workshopId);
    }, PRESENCE_WINDOW_MS);
    this.timers.set(workshopId, timer);
  }

  /** At shutdown: sockets leaving the room then are not news. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async broadcast(workshopId: string): Promise<void> {
    const room = workshopRoom(workshopId);
    let count: number;
    try {
      const sockets = await this.nsp.in(room).fetchSockets();
      count = new Set(sockets.map((socket) => personOf(socket.data as { actor?: Actor }))).size;
    } catch {
      // Other instances unreachable (Redis down): this instance's own count is better than none.
      count = this.nsp.adapter.rooms.get(room)?.size ?? 0;
    }
    this.nsp.to(room).emit('presence', { workshopId, count });
  }
}

function personOf(data: { actor?: Actor }): string {
  return data.actor ? `${data.actor.kind}:${data.actor.id}` : 'unknown';
}
