import type { WorkshopView } from '../workshops/workshop.view.js';

/** Domain events of live workshops, emitted with EventEmitter2 after commit. */
export const RealtimeEvent = {
  /** Stage, timer, spotlight or settings changed. */
  WorkshopUpdated: 'workshop.updated',
  /** Dots were cast or retracted; the tally coalescer reads the new counts from the database. */
  VotesChanged: 'workshop.votes-changed',
  /** A coalesced batch of tallies, read from the database, ready to broadcast. */
  TalliesRead: 'workshop.tallies-read',
} as const;

export interface WorkshopUpdatedEvent {
  workshop: WorkshopView;
}

export interface WorkshopVotesChangedEvent {
  workshopId: string;
  ideaIds: string[];
}

export interface Tally {
  ideaId: string;
  voteCount: number;
}

export interface WorkshopTalliesReadEvent {
  workshopId: string;
  tallies: Tally[];
  /** For this socket alone (a joiner's resync, see TallyCoalescer.resync), else the room. */
  socketId?: string;
  /**
   * Of a room's tallies, the ideas whose votes changed on this instance: the other instances
   * read them too, for their own sockets (see TallyCoalescer.changedElsewhere).
   */
  changedHere?: string[];
}
