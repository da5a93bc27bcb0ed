/**
 * The bare baseline for the live room: node:http + socket.io, no framework, no database.
 * It speaks the platform's `/live` events (workshop:join, vote:cast, comment:add with acks;
 * tally:updated coalesced every 50 ms; comment:created) over an in-memory tally.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { installProbe } from '../probe.js';

const TALLY_INTERVAL_MS = 50;

interface Workshop {
  id: string;
  dotBudget: number;
  maxDotsPerIdea: number;
  tally: Map<string, number>;
  dirty: Set<string>;
  participants: Map<string, { spent: number; votes: Map<string, number> }>;
  results: Map<string, unknown>;
}

const workshops = new Map<string, Workshop>();
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
const live = io.of('/live');

type Ack = (response: unknown) => void;
const fail = (ack: Ack, code: string) => ack({ ok: false, error: { code, message: code } });

function participantOf(workshop: Workshop, id: string) {
  let participant = workshop.participants.get(id);
  if (!participant) {
    participant = { spent: 0, votes: new Map() };
    workshop.participants.set(id, participant);
  }
  return participant;
}

live.use((socket, next) => {
  const token = (socket.handshake.auth as { token?: unknown }).token;
  if (typeof token !== 'string' || token.length === 0) return next(new Error('unauthorized'));
  socket.data.participantId = token;
  next();
});

live.on('connection', (socket: Socket) => {
  const participantId = socket.data.participantId as string;

  socket.on('workshop:join', (payload: { workshopId?: string }, ack: Ack) => {
    const workshop = workshops.get(String(payload?.workshopId));
    if (!workshop) return fail(ack, 'NOT_FOUND');
    void socket.join(`workshop:${workshop.id}`);
    const me = participantOf(workshop, participantId);
    ack({
      ok: true,
      data: {
        workshop: {
          id: workshop.id,
          stage: 'voting',
          votingMode: 'dots',
          dotBudget: workshop.dotBudget,
        },
        ideas: [...workshop.tally].map(([id, voteCount]) => ({ id, voteCount })),
        me: {
          participantId,
          remainingDots: workshop.dotBudget - me.spent,
          votes: Object.fromEntries(me.votes),
        },
      },
    });
  });

  socket.on(
    'vote:cast',
    (
      payload: { workshopId?: string; ideaId?: string; dots?: number; clientId?: string },
      ack: Ack,
    ) => {
      const workshop = workshops.get(String(payload?.workshopId));
      if (!workshop || !workshop.tally.has(String(payload.ideaId))) return fail(ack, 'NOT_FOUND');
      const key = `${participantId}:${payload.clientId}`;
      const previous = workshop.results.get(key);
      if (previous) return ack(previous);
      const dots = payload.dots ?? 1;
      const me = participantOf(workshop, participantId);
      const ideaId = String(payload.ideaId);
      const onIdea = me.votes.get(ideaId) ?? 0;
      if (me.spent + dots > workshop.dotBudget || onIdea + dots > workshop.maxDotsPerIdea) {
        return fail(ack, 'BUDGET_EXCEEDED');
      }
      me.spent += dots;
      me.votes.set(ideaId, onIdea + dots);
      const voteCount = workshop.tally.get(ideaId)! + dots;
      workshop.tally.set(ideaId, voteCount);
      workshop.dirty.add(ideaId);
      const result = {
        ok: true,
        data: { ideaId, voteCount, remainingDots: workshop.dotBudget - me.spent },
      };
      workshop.results.set(key, result);
      ack(result);
    },
  );

  socket.on(
    'comment:add',
    (payload: { workshopId?: string; ideaId?: string; body?: string }, ack: Ack) => {
      const workshop = workshops.get(String(payload?.workshopId));
      if (!workshop || !workshop.tally.has(String(payload.ideaId))) return fail(ack, 'NOT_FOUND');
      const comment = {
        id: randomUUID(),
        ideaId: payload.ideaId,
        parentId: null,
        body: String(payload.body ?? ''),
        kind: 'comment',
        // What the platform sends for its bench users ("Bänk company 12", industry), so both
        // servers put the same bytes on the wire.
        authorName: `Bänk ${participantId}`,
        helix: 'industry',
        createdAt: new Date().toISOString(),
      };
      live.to(`workshop:${workshop.id}`).emit('comment:created', comment);
      ack({ ok: true, data: comment });
    },
  );
});

// One broadcast per workshop per interval carrying only the ideas whose count changed.
setInterval(() => {
  for (const workshop of workshops.values()) {
    if (workshop.dirty.size === 0) continue;
    const tallies = [...workshop.dirty].map((ideaId) => ({
      ideaId,
      voteCount: workshop.tally.get(ideaId)!,
    }));
    workshop.dirty.clear();
    live.to(`workshop:${workshop.id}`).emit('tally:updated', { workshopId: workshop.id, tallies });
  }
}, TALLY_INTERVAL_MS).unref();

const probe = installProbe({
  setup: (args) => {
    const workshop: Workshop = {
      id: randomUUID(),
      dotBudget: Number(args.dotBudget ?? 100),
      maxDotsPerIdea: Number(args.maxDotsPerIdea ?? 100),
      tally: new Map(),
      dirty: new Set(),
      participants: new Map(),
      results: new Map(),
    };
    for (let i = 0; i < Number(args.ideas ?? 10); i++) workshop.tally.set(randomUUID(), 0);
    workshops.set(workshop.id, workshop);
    return { workshopId: workshop.id, ideaIds: [...workshop.tally.keys()] };
  },
  tally: (args) => Object.fromEntries(workshops.get(String(args.workshopId))?.tally ?? []),
  connections: () => live.sockets.size,
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  probe.ready({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
