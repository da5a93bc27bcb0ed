/**
 * Mutating events per socket: a sliding window of 50 per 10 s. Anything a person does by
 * hand (well over 20 per 10 s) passes; a script hammering the room is refused.
 */
export const SOCKET_EVENT_LIMIT = 50;
export const SOCKET_EVENT_WINDOW_MS = 10_000;

export class SocketRateLimit {
  private readonly stamps: number[] = [];

  /** Records the event and says whether it may proceed; refused events are not counted. */
  allow(now = Date.now()): boolean {
    while (this.stamps.length && this.stamps[0] <= now - SOCKET_EVENT_WINDOW_MS)
      this.stamps.shift();
    if (this.stamps.length >= SOCKET_EVENT_LIMIT) return false;
    this.stamps.push(now);
    return true;
  }
}
