import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import {
  RealtimeEvent,
  type WorkshopTalliesReadEvent,
  type WorkshopVotesChangedEvent,
} from '../events/realtime.events.js';
import { DotVotesService } from '../votes/dot-votes.service.js';

/** At most one tally broadcast per workshop per window, however many votes arrive. */
export const TALLY_WINDOW_MS = 50;

interface Pending {
  /** Ideas whose votes changed on this instance. */
  here: Set<string>;
  /** Ideas whose votes changed on another instance, which announced them (changedElsewhere). */
  elsewhere: Set<string>;
  /** Sockets that joined since the last read, with the ideas their snapshot showed. */
  joiners: Map<string, string[]>;
  timer: NodeJS.Timeout | null;
  reading: boolean;
  /** When the last read began (0: never), the start of the current window. */
  lastFlushAt: number;
}

/**
 * Collects changed ideas per workshop and, once per window, reads their tallies from the
 * database (so a broadcast is never ahead of or behind a commit) and hands them on for
 * broadcasting. Reads for one workshop never overlap, so broadcasts leave in commit order.
 * Windows are counted from the start of the previous read, not its end: a quiet room sees a
 * vote at once, and a busy one gets a tally every window however long the fan-out takes.
 */
@Injectable()
export class TallyCoalescer implements OnApplicationShutdown {
  private readonly logger = new Logger('TallyCoalescer');
  private readonly pending = new Map<string, Pending>();
  private stopped = false;

  constructor(
    private readonly votes: DotVotesService,
    private readonly events: EventEmitter2,
  ) {}

  @OnEvent(RealtimeEvent.VotesChanged)
  onVotesChanged({ workshopId, ideaIds }: WorkshopVotesChangedEvent): void {
    const entry = this.entryOf(workshopId);
    for (const id of ideaIds) entry.here.add(id);
    this.schedule(workshopId, entry);
  }

  /**
   * Another instance's votes: each instance sends tallies to its own sockets only (so a client
   * gets one per window however many instances take votes), and reads here what another
   * announced it had changed.
   */
  changedElsewhere(workshopId: string, ideaIds: string[]): void {
    if (ideaIds.length === 0) return;
    const entry = this.entryOf(workshopId);
    for (const id of ideaIds) entry.elsewhere.add(id);
    this.schedule(workshopId, entry);
  }

  /**
   * A joiner's snapshot can be older than a broadcast that reached it first (the socket is in
   * the room while the snapshot is read), and would then overwrite the newer counts. So the
   * snapshot's ideas are read again in the next window, which starts after the snapshot has
   * gone out, and sent to that socket alone.
   */
  resync(workshopId: string, socketId: string, ideaIds: string[]): void {
    if (ideaIds.length === 0) return;
    const entry = this.entryOf(workshopId);
    entry.joiners.set(socketId, ideaIds);
    this.schedule(workshopId, entry);
  }

  /** Sends whatever is pending now (graceful shutdown: the last votes still reach the room). */
  async flushAll(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((workshopId) => this.flush(workshopId, true)));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const entry of this.pending.values()) if (entry.timer) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private entryOf(workshopId: string): Pending {
    let entry = this.pending.get(workshopId);
    if (!entry) {
      entry = {
        here: new Set(),
        elsewhere: new Set(),
        joiners: new Map(),
        timer: null,
        reading: false,
        lastFlushAt: 0,
      };
      this.pending.set(workshopId, entry);
    }
    return entry;
  }

  private schedule(workshopId: string, entry: Pending, retryMs = 0): void {
    if (entry.timer || entry.reading || this.stopped) return;
    // Never sooner than the next tick: the other casts of a batch add their ideas first.
    const delayMs = Math.max(retryMs, entry.lastFlushAt + TALLY_WINDOW_MS - Date.now(), 0);
    entry.timer = setTimeout(() => void this.flush(workshopId, false), delayMs);
  }

  private async flush(workshopId: string, now: boolean): Promise<void> {
    const entry = this.pending.get(workshopId);
    if (!entry || (entry.reading && !now)) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (entry.here.size === 0 && entry.elsewhere.size === 0 && entry.joiners.size === 0) {
      this.pending.delete(workshopId);
      return;
    }
    entry.reading = true;
    entry.lastFlushAt = Date.now();
    // The casts being committed now are read in this window, not the next, and the batch after
    // them is written while this one fans out.
    if (!now) await this.votes.castsSettled();
    const here = [...entry.here];
    const elsewhere = [...entry.elsewhere];
    const joiners = [...entry.joiners];
    entry.here.clear();
    entry.elsewhere.clear();
    entry.joiners.clear();
    let retryMs = 0;
    try {
      const changed = [...new Set([...here, ...elsewhere])];
      const read = new Set([...changed, ...joiners.flatMap(([, ids]) => ids)]);
      const tallies = await this.votes.tallies(workshopId, [...read]);
      const tallied = (ids: string[]) =>
        ids.map((ideaId) => ({ ideaId, voteCount: tallies.get(ideaId) ?? 0 }));
      if (changed.length > 0) {
        this.events.emit(RealtimeEvent.TalliesRead, {
          workshopId,
          tallies: tallied(changed),
          changedHere: here,
        } satisfies WorkshopTalliesReadEvent);
      }
      for (const [socketId, ids] of joiners) {
        this.events.emit(RealtimeEvent.TalliesRead, {
          workshopId,
          tallies: tallied(ids),
          socketId,
        } satisfies WorkshopTalliesReadEvent);
      }
    } catch (error) {
      // The votes are committed; the next change (or a reconnect snapshot) carries them.
      for (const id of here) entry.here.add(id);
      for (const id of elsewhere) entry.elsewhere.add(id);
      for (const [socketId, ids] of joiners) {
        // A socket that joined again meanwhile keeps its newer snapshot's ideas.
        if (!entry.joiners.has(socketId)) entry.joiners.set(socketId, ids);
      }
      retryMs = 1000;
      this.logger.warn(`tally read failed for workshop ${workshopId}: ${String(error)}`);
    } finally {
      entry.reading = false;
      // Even with nothing pending, the entry stays until its window ends (a flush with
      // nothing to read drops it), so a vote just after this read still waits for the window.
      this.schedule(workshopId, entry, retryMs);
    }
  }
}
