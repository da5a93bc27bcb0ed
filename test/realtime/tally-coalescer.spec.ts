import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { RealtimeEvent, type DotVotesService, type WorkshopTalliesReadEvent } from '@edp/realtime';
import { TALLY_WINDOW_MS, TallyCoalescer } from '../../libs/realtime/src/live/tally.coalescer.js';

/**
 * The coalescer's clock on its own: the database read is its collaborator, stood in for by a
 * read that answers when the test says so. The real read and broadcast are covered by the
 * live gateway's specs.
 */
describe('TallyCoalescer', () => {
  const workshopId = 'w1';
  let reads: { ideaIds: string[]; at: number }[];
  let unanswered: ((fail: boolean) => void)[];
  let broadcasts: {
    at: number;
    tallies: WorkshopTalliesReadEvent['tallies'];
    socketId?: string;
  }[];
  /** Per room broadcast, the ideas it tells the other instances about. */
  let announced: string[][];
  let coalescer: TallyCoalescer;
  const counts = new Map<string, number>();
  /** The casts being committed: null when none is, else what lets it commit. */
  let committing: { done: Promise<void>; commit: () => void } | null;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'queueMicrotask'] });
    reads = [];
    unanswered = [];
    broadcasts = [];
    announced = [];
    committing = null;
    const votes = {
      castsSettled: () => committing?.done ?? Promise.resolve(),
      tallies: (_workshop: string, ideaIds: string[]) =>
        new Promise<Map<string, number>>((resolve, reject) => {
          reads.push({ ideaIds, at: Date.now() });
          unanswered.push((fail) =>
            fail ? reject(new Error('connection lost')) : resolve(counts),
          );
        }),
    } as unknown as DotVotesService;
    const events = new EventEmitter2();
    events.on(RealtimeEvent.TalliesRead, (event: WorkshopTalliesReadEvent) => {
      if (!event.socketId) announced.push(event.changedHere ?? []);
      broadcasts.push({
        at: Date.now(),
        tallies: event.tallies,
        ...(event.socketId ? { socketId: event.socketId } : {}),
      });
    });
    coalescer = new TallyCoalescer(votes, events);
  });
  afterEach(() => {
    coalescer.onApplicationShutdown();
    jest.useRealTimers();
  });

  const change = (...ideaIds: string[]) => coalescer.onVotesChanged({ workshopId, ideaIds });
  /** Answers the oldest open read and lets its broadcast go out. */
  const answer = async (fail = false) => {
    unanswered.shift()!(fail);
    await jest.advanceTimersByTimeAsync(0);
  };
  const start = 1_000_000;

  it('reads a change in a quiet room on the next tick, with the changes of that tick', async () => {
    counts.set('a', 3).set('b', 1);
    change('a');
    change('b');
    change('a');
    expect(reads).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([{ ideaIds: ['a', 'b'], at: start }]);
    await answer();
    expect(broadcasts).toEqual([
      {
        at: start + 1,
        tallies: [
          { ideaId: 'a', voteCount: 3 },
          { ideaId: 'b', voteCount: 1 },
        ],
      },
    ]);
  });

  it('holds changes after a read until its window ends, then reads them together once', async () => {
    change('a');
    await jest.advanceTimersByTimeAsync(1);
    await answer();
    await jest.advanceTimersByTimeAsync(10);
    change('b');
    await jest.advanceTimersByTimeAsync(20);
    change('c');
    change('b');
    await jest.advanceTimersByTimeAsync(TALLY_WINDOW_MS - 32);
    expect(reads).toHaveLength(1);
    // The window counts from the start of the first read.
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toHaveLength(2);
    expect(reads[1]).toEqual({ ideaIds: ['b', 'c'], at: start + TALLY_WINDOW_MS });
  });

  it('never overlaps reads; after a read longer than a window the next starts when it ends', async () => {
    change('a');
    await jest.advanceTimersByTimeAsync(1);
    change('b');
    await jest.advanceTimersByTimeAsync(3 * TALLY_WINDOW_MS);
    expect(reads).toHaveLength(1);
    await answer();
    await jest.advanceTimersByTimeAsync(1);
    expect(reads.map((read) => [read.ideaIds, read.at - start])).toEqual([
      [['a'], 0],
      [['b'], 3 * TALLY_WINDOW_MS + 1],
    ]);
  });

  it('keeps the ideas of a failed read and tries again a second later', async () => {
    change('a');
    await jest.advanceTimersByTimeAsync(1);
    await answer(true);
    expect(broadcasts).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(999);
    expect(reads).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toHaveLength(2);
    expect(reads[1].ideaIds).toEqual(['a']);
    await answer();
    expect(broadcasts).toHaveLength(1);
  });

  it('forgets a workshop once a window passes with nothing to send', async () => {
    change('a');
    await jest.advanceTimersByTimeAsync(1);
    await answer();
    await jest.advanceTimersByTimeAsync(TALLY_WINDOW_MS);
    expect((coalescer as unknown as { pending: Map<string, unknown> }).pending.size).toBe(0);
    // And a later change is read at once again.
    change('b');
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toHaveLength(2);
  });

  it('reads a joiner’s ideas again in the next window, with the changes, and sends them to it alone', async () => {
    counts.set('a', 3).set('b', 1).set('c', 2);
    change('a');
    await jest.advanceTimersByTimeAsync(1);
    // Joined while a read is in flight: its read must start after its snapshot went out.
    coalescer.resync(workshopId, 's1', ['b', 'c']);
    change('c');
    await answer();
    expect(reads).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(TALLY_WINDOW_MS);
    expect(reads[1]).toEqual({ ideaIds: ['c', 'b'], at: start + TALLY_WINDOW_MS });
    await answer();
    expect(broadcasts.slice(1)).toEqual([
      { at: start + TALLY_WINDOW_MS + 1, tallies: [{ ideaId: 'c', voteCount: 2 }] },
      {
        at: start + TALLY_WINDOW_MS + 1,
        tallies: [
          { ideaId: 'b', voteCount: 1 },
          { ideaId: 'c', voteCount: 2 },
        ],
        socketId: 's1',
      },
    ]);
  });

  it('reads what another instance changed with its own changes, and announces only its own', async () => {
    counts.set('a', 1).set('b', 2).set('c', 3);
    change('a');
    coalescer.changedElsewhere(workshopId, ['b', 'a']);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([{ ideaIds: ['a', 'b'], at: start }]);
    await answer();
    expect(broadcasts[0].tallies).toEqual([
      { ideaId: 'a', voteCount: 1 },
      { ideaId: 'b', voteCount: 2 },
    ]);
    // Announced back, another instance's change would go round the instances for ever.
    coalescer.changedElsewhere(workshopId, ['c']);
    await jest.advanceTimersByTimeAsync(TALLY_WINDOW_MS);
    expect(reads[1]).toEqual({ ideaIds: ['c'], at: start + TALLY_WINDOW_MS });
    await answer(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(reads[2].ideaIds).toEqual(['c']);
    await answer();
    expect(broadcasts[1].tallies).toEqual([{ ideaId: 'c', voteCount: 3 }]);
    expect(announced).toEqual([['a'], []]);
  });

  it('reads in a window the casts that were being committed when it opened, not in the next', async () => {
    let commit = () => {};
    const done = new Promise<void>((resolve) => (commit = resolve));
    committing = { done, commit };
    counts.set('a', 1);
    change('a');
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toHaveLength(0);
    // The batch in flight commits a vote on b, and announces it, before the read.
    counts.set('b', 5);
    change('b');
    commit();
    committing = null;
    await jest.advanceTimersByTimeAsync(0);
    expect(reads).toEqual([{ ideaIds: ['a', 'b'], at: start + 1 }]);
    await answer();
    expect(broadcasts[0].tallies).toEqual([
      { ideaId: 'a', voteCount: 1 },
      { ideaId: 'b', voteCount: 5 },
    ]);
    // Its window still counts from when it opened.
    change('a');
    await jest.advanceTimersByTimeAsync(TALLY_WINDOW_MS - 1);
    expect(reads).toHaveLength(2);
    expect(reads[1].at).toBe(start + TALLY_WINDOW_MS);
  });

  it('sends a joiner in a quiet room its tallies on the next tick, and the room nothing', async () => {
    counts.set('a', 4);
    coalescer.resync(workshopId, 's1', ['a']);
    coalescer.resync(workshopId, 's2', []);
    expect(reads).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([{ ideaIds: ['a'], at: start }]);
    await answer();
    expect(broadcasts).toEqual([
      { at: start + 1, tallies: [{ ideaId: 'a', voteCount: 4 }], socketId: 's1' },
    ]);
  });

  it('keeps the joiners of a failed read for the retry, or what they showed when they joined again', async () => {
    counts.set('a', 2).set('b', 5);
    coalescer.resync(workshopId, 's1', ['a']);
    coalescer.resync(workshopId, 's2', ['a']);
    await jest.advanceTimersByTimeAsync(1);
    // s2 joins again while the read is out, and its new snapshot shows an idea more.
    coalescer.resync(workshopId, 's2', ['a', 'b']);
    await answer(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(reads.map((read) => read.ideaIds)).toEqual([['a'], ['a', 'b']]);
    await answer();
    const bySocket = [...broadcasts].sort((x, y) => x.socketId!.localeCompare(y.socketId!));
    expect(bySocket).toEqual([
      { at: start + 1001, tallies: [{ ideaId: 'a', voteCount: 2 }], socketId: 's1' },
      {
        at: start + 1001,
        tallies: [
          { ideaId: 'a', voteCount: 2 },
          { ideaId: 'b', voteCount: 5 },
        ],
        socketId: 's2',
      },
    ]);
  });
});
