import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { toErrorBody } from '@edp/common';
import {
  ActorResolver,
  AUTH_SESSIONS_REVOKED,
  type Actor,
  type SessionsRevokedEvent,
} from '@edp/auth';
import {
  WorkshopEvent,
  type CommentCreatedEvent,
  type IdeaCreatedEvent,
  type IdeaUpdatedEvent,
} from '@edp/workshop';
import {
  RealtimeEvent,
  type WorkshopTalliesReadEvent,
  type WorkshopUpdatedEvent,
} from '../events/realtime.events.js';
import { sharedWithOtherInstances } from '../redis/live-io.adapter.js';
import { DotVotesService } from '../votes/dot-votes.service.js';
import { FacilitationService } from '../workshops/facilitation.service.js';
import {
  AddCommentPayload,
  CastVotePayload,
  IdeaRef,
  RetractVotePayload,
  SetStagePayload,
  SetTimerPayload,
  SpotlightPayload,
  SubmitIdeaPayload,
  WorkshopRef,
} from './dto/live-payloads.dto.js';
import { ackError, parsePayload, type Ack } from './live-ack.js';
import { LiveSessionService } from './live-session.service.js';
import { Presence, staffRoom, workshopRoom } from './presence.js';
import { SocketRateLimit } from './socket-rate-limit.js';
import { TallyCoalescer } from './tally.coalescer.js';

interface LiveSocketData {
  actor: Actor;
  limit: SocketRateLimit;
}
type LiveSocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  LiveSocketData
>;

/** How long shutdown waits for events already being handled to commit and ack. */
const DRAIN_TIMEOUT_MS = 5000;
const ACK_GRACE_MS = 150;
/** Between instances (the adapter's server-side events): ideas whose votes changed on one. */
const TALLIES_CHANGED = 'tallies:changed';

/**
 * The `/live` namespace. Handlers parse, authorise and delegate; every push to a room comes
 * from a domain event emitted after commit.
 */
@WebSocketGateway({ namespace: '/live' })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, BeforeApplicationShutdown {
  @WebSocketServer() private readonly nsp!: Namespace;
  private readonly logger = new Logger('LiveGateway');
  private presence!: Presence;
  private closing = false;
  private inFlight = 0;
  private drained: (() => void) | null = null;

  constructor(
    private readonly actors: ActorResolver,
    private readonly live: LiveSessionService,
    private readonly votes: DotVotesService,
    private readonly facilitation: FacilitationService,
    private readonly tallies: TallyCoalescer,
  ) {}

  afterInit(nsp: Namespace): void {
    this.presence = new Presence(nsp);
    // Authentication belongs to the handshake: a socket without a valid token never connects.
    nsp.use((socket, next) => {
      void this.authenticate(socket as LiveSocket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
    nsp.on(TALLIES_CHANGED, (workshopId: unknown, ideaIds: unknown) => {
      if (typeof workshopId !== 'string' || !Array.isArray(ideaIds)) return;
      this.tallies.changedElsewhere(
        workshopId,
        ideaIds.filter((id): id is string => typeof id === 'string'),
      );
    });
  }

  handleConnection(socket: LiveSocket): void {
    const { actor } = socket.data;
    // A user's sockets share a room, so logout and disabling can close them on every instance.
    if (actor.kind === 'user') void socket.join(`user:${actor.id}`);
    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        if (room.startsWith('workshop:')) this.presence.changed(room.slice('workshop:'.length));
      }
    });
  }

  @SubscribeMessage('workshop:join')
  join(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, false, WorkshopRef, payload, async (actor, { workshopId }) => {
      // Staff also join the staff room, where the content of hidden ideas goes.
      const rooms = (await this.live.isStaff(actor, workshopId))
        ? [workshopRoom(workshopId), staffRoom(workshopId)]
        : [workshopRoom(workshopId)];
      // Joined before the snapshot is read, so nothing committed after the read is missed.
      await socket.join(rooms);
      try {
        const snapshot = await this.live.snapshot(actor, workshopId);
        this.presence.changed(workshopId);
        // Counts move only while voting (a stage change waits for the votes in flight).
        if (snapshot.workshop.stage === 'voting') {
          this.tallies.resync(
            workshopId,
            socket.id,
            snapshot.ideas.map((idea) => idea.id),
          );
        }
        return snapshot;
      } catch (error) {
        for (const room of rooms) await socket.leave(room);
        throw error;
      }
    });
  }

  @SubscribeMessage('idea:submit')
  submitIdea(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, SubmitIdeaPayload, payload, (actor, input) =>
      this.live.submitIdea(actor, input),
    );
  }

  @SubscribeMessage('vote:cast')
  castVote(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, CastVotePayload, payload, (actor, input) =>
      this.votes.cast(actor, input),
    );
  }

  @SubscribeMessage('vote:retract')
  retractVote(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, RetractVotePayload, payload, (actor, input) =>
      this.votes.retract(actor, input),
    );
  }

  @SubscribeMessage('comment:add')
  addComment(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, AddCommentPayload, payload, (actor, input) =>
      this.live.addComment(actor, input),
    );
  }

  @SubscribeMessage('stage:set')
  setStage(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, SetStagePayload, payload, (actor, input) =>
      this.facilitation.setStage(actor, input.workshopId, input.stage),
    );
  }

  @SubscribeMessage('timer:set')
  setTimer(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, SetTimerPayload, payload, (actor, input) =>
      this.facilitation.setTimer(actor, input.workshopId, input.seconds),
    );
  }

  @SubscribeMessage('idea:spotlight')
  spotlight(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, SpotlightPayload, payload, (actor, input) =>
      this.facilitation.setSpotlight(actor, input.workshopId, input.ideaId),
    );
  }

  @SubscribeMessage('idea:hide')
  hideIdea(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown) {
    return this.handle(socket, true, IdeaRef, payload, (actor, input) =>
      this.facilitation.hideIdea(actor, input.workshopId, input.ideaId),
    );
  }

  @OnEvent(WorkshopEvent.IdeaCreated)
  onIdeaCreated({ idea }: IdeaCreatedEvent): void {
    if (!idea.workshopId) return;
    const { hidden: _hidden, ...visible } = idea;
    // A new idea has no votes in this workshop yet (`voteCount` is the workshop's tally).
    this.nsp.to(workshopRoom(idea.workshopId)).emit('idea:created', { ...visible, voteCount: 0 });
  }

  @OnEvent(WorkshopEvent.IdeaUpdated)
  async onIdeaUpdated({ idea }: IdeaUpdatedEvent): Promise<void> {
    if (!idea.workshopId) return;
    const room = workshopRoom(idea.workshopId);
    const staff = staffRoom(idea.workshopId);
    const [withTally] = await this.live.withTallies(idea.workshopId, [idea]);
    if (!idea.hidden) {
      // `hidden: false` stays in: clients show again an idea the facilitator has unhidden.
      this.nsp.to(room).emit('idea:updated', withTally);
      return;
    }
    // A hidden idea's content goes to the staff only; participants learn just to drop it.
    this.nsp.to(staff).emit('idea:updated', withTally);
    this.nsp
      .to(room)
      .except(staff)
      .emit('idea:updated', { id: idea.id, workshopId: idea.workshopId, hidden: true });
  }

  @OnEvent(WorkshopEvent.CommentCreated)
  onCommentCreated({ comment, workshopId }: CommentCreatedEvent): void {
    if (!workshopId) return;
    const { hidden: _hidden, ...visible } = comment;
    this.nsp.to(workshopRoom(workshopId)).emit('comment:created', visible);
  }

  @OnEvent(RealtimeEvent.WorkshopUpdated)
  onWorkshopUpdated({ workshop }: WorkshopUpdatedEvent): void {
    this.nsp.to(workshopRoom(workshop.id)).emit('workshop:updated', workshop);
  }

  @OnEvent(RealtimeEvent.TalliesRead)
  onTallies({ workshopId, tallies, socketId, changedHere = [] }: WorkshopTalliesReadEvent): void {
    const update = { workshopId, tallies };
    if (socketId) {
      this.nsp.sockets.get(socketId)?.emit('tally:updated', update);
      return;
    }
    // To this instance's sockets only: every instance reads the changed ideas in its own window
    // (the others are told which), so a client gets one tally per window, not one per instance.
    this.nsp.local.to(workshopRoom(workshopId)).emit('tally:updated', update);
    if (changedHere.length > 0 && sharedWithOtherInstances(this.nsp)) {
      this.nsp.serverSideEmit(TALLIES_CHANGED, workshopId, changedHere);
    }
  }

  @OnEvent(AUTH_SESSIONS_REVOKED)
  onSessionsRevoked({ userId }: SessionsRevokedEvent): void {
    // A namespace disconnect: the client knows it was sent away and does not reconnect by itself.
    this.nsp.in(`user:${userId}`).disconnectSockets(false);
  }

  /**
   * Graceful shutdown (SIGTERM or app.close()): refuse new connections and events, tell
   * clients, let events in flight commit and ack, send the last tallies, then disconnect.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.nsp) return;
    this.closing = true;
    this.presence?.stop();
    this.nsp.local.emit('server:shutdown', { reconnect: true });
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await this.tallies.flushAll();
    // The adapter sends an ack a few ticks after its handler settles; closing at once would
    // drop the acks of the last committed votes.
    await new Promise((resolve) => setTimeout(resolve, ACK_GRACE_MS));
    // Closing the connection, not a namespace disconnect (which tells a client to stay away),
    // so clients reconnect by themselves: to this instance once restarted, or to another one.
    for (const socket of this.nsp.sockets.values()) socket.conn.close();
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    if (this.closing) throw connectError('unavailable');
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) throw connectError('unauthorized');
    try {
      socket.data.actor = await this.actors.resolve(token);
      socket.data.limit = new SocketRateLimit();
    } catch (error) {
      throw connectError(toErrorBody(error).statusCode === 503 ? 'unavailable' : 'unauthorized');
    }
  }

  /** One place for the ack contract, the rate limit and the in-flight count. */
  private async handle<P extends object>(
    socket: LiveSocket,
    mutates: boolean,
    type: new () => P,
    payload: unknown,
    work: (actor: Actor, input: P) => Promise<unknown>,
  ): Promise<Ack> {
    if (this.closing) {
      return fail('UNAVAILABLE', 'The server is restarting; reconnect in a moment');
    }
    if (mutates && !socket.data.limit.allow()) {
      return fail('RATE_LIMITED', 'Too many actions; slow down');
    }
    this.inFlight++;
    try {
      const input = parsePayload(type, payload);
      return { ok: true, data: await work(socket.data.actor, input) };
    } catch (error) {
      const { ack, status } = ackError(error);
      if (status >= 500 && status !== 503) this.logger.error(error);
      return ack;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.drained) this.drained();
    }
  }
}

function fail(code: string, message: string): Ack {
  return { ok: false, error: { code, message } };
}

function connectError(message: 'unauthorized' | 'unavailable'): Error {
  const error = new Error(message) as Error & { data: { code: string } };
  error.data = { code: message.toUpperCase() };
  return error;
}
