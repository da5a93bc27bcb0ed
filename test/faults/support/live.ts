import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { call } from './http.js';
import { recordSecret, sleep } from './run-dir.js';

export type Ack<T = Record<string, unknown>> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** What the client could not find out: the socket went away before an ack came. */
export class NoAck extends Error {
  constructor(readonly reason: string) {
    super(`no ack: ${reason}`);
  }
}

interface IdeaSnapshot {
  id: string;
  voteCount: number;
}

export interface JoinSnapshot {
  workshop: { id: string; stage: string; dotBudget: number; maxDotsPerIdea: number };
  ideas: IdeaSnapshot[];
  me: { participantId: string; remainingDots: number | null; votes: Record<string, number> };
}

/**
 * One participant's socket.io connection to `/live`, as a phone would hold it: it rejoins
 * (and so resyncs from the snapshot) after every reconnect, and keeps the latest tallies.
 */
export class LiveClient {
  readonly socket: Socket;
  /** idea id → the latest tally this client has seen (snapshot or `tally:updated`). */
  readonly tallies = new Map<string, number>();
  snapshot: JoinSnapshot | null = null;
  joins = 0;
  disconnects = 0;
  /** Server-sent events other than the room's broadcasts (e.g. a going-away notice). */
  readonly notices: { event: string; payload: unknown }[] = [];
  private joined: Promise<void> | null = null;
  private closed = false;
  private goingAway = false;

  constructor(
    private url: string,
    token: string,
    readonly workshopId: string,
    options: { join?: boolean } = {},
  ) {
    this.socket = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.5,
      timeout: 5000,
    });
    this.socket.on(
      'tally:updated',
      (payload: { tallies: { ideaId: string; voteCount: number }[] }) => {
        for (const tally of payload.tallies) this.tallies.set(tally.ideaId, tally.voteCount);
      },
    );
    this.socket.onAny((event: string, payload: unknown) => {
      if (
        ![
          'tally:updated',
          'presence',
          'idea:created',
          'idea:updated',
          'comment:created',
          'workshop:updated',
        ].includes(event)
      ) {
        this.notices.push({ event, payload });
      }
    });
    // The server says it is going away: send nothing more until connected to its successor.
    this.socket.on('server:shutdown', () => {
      this.goingAway = true;
    });
    this.socket.on('disconnect', () => {
      this.disconnects++;
      this.joined = null;
      this.reconnectLater();
    });
    // A handshake refused by a closing server ('unavailable') is not retried by socket.io itself.
    this.socket.on('connect_error', () => this.reconnectLater());
    if (options.join !== false) {
      this.socket.on('connect', () => {
        this.goingAway = false;
        this.joined = this.join();
        this.joined.catch(() => undefined);
      });
    }
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /**
   * socket.io reconnects by itself after a lost connection, but not after the server
   * disconnected the socket or refused the handshake: a phone app would try again, so do we.
   */
  private reconnectLater(): void {
    setTimeout(
      () => {
        if (!this.closed && !this.socket.connected && !this.socket.active) this.socket.connect();
      },
      100 + Math.random() * 300,
    );
  }

  /** `workshop:join` → snapshot: the resync after every (re)connect. */
  private async join(): Promise<void> {
    const ack = await this.emit<JoinSnapshot>('workshop:join', { workshopId: this.workshopId });
    if (!ack.ok) throw new Error(`workshop:join refused: ${ack.error.code}`);
    this.snapshot = ack.data;
    this.joins++;
    for (const idea of ack.data.ideas) this.tallies.set(idea.id, idea.voteCount);
  }

  /** Waits until the socket is connected and joined (reconnecting as needed). */
  async ready(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.closed) throw new Error('client closed');
      const joined = this.socket.connected && !this.goingAway ? this.joined : null;
      if (joined) {
        try {
          await joined;
          if (this.socket.connected) return;
        } catch {
          // a join refused (database down, server going away): try again shortly
          this.joined = null;
          await sleep(200);
          if (this.socket.connected) this.joined = this.join();
          this.joined?.catch(() => undefined);
          continue;
        }
      }
      await sleep(20);
    }
    throw new Error(`client not joined within ${timeoutMs} ms`);
  }

  /**
   * Emits with an ack; rejects with NoAck when the socket disconnects (or the ack does not
   * come within `timeoutMs`) first: then the outcome is unknown and the caller retries.
   */
  emit<T = Record<string, unknown>>(
    event: string,
    payload: unknown,
    timeoutMs = 15000,
  ): Promise<Ack<T>> {
    return new Promise<Ack<T>>((resolve, reject) => {
      if (!this.socket.connected) {
        reject(new NoAck('not connected'));
        return;
      }
      const onDisconnect = (reason: string) => {
        clearTimeout(timer);
        reject(new NoAck(`disconnected (${reason})`));
      };
      const timer = setTimeout(() => {
        this.socket.off('disconnect', onDisconnect);
        reject(new NoAck('timeout'));
      }, timeoutMs);
      this.socket.once('disconnect', onDisconnect);
      this.socket.emit(event, payload, (ack: Ack<T>) => {
        clearTimeout(timer);
        this.socket.off('disconnect', onDisconnect);
        resolve(ack);
      });
    });
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}

export type VoteOutcome = 'acked' | 'refused' | 'pending';

export interface VoteIntent {
  clientId: string;
  ideaId: string;
  outcome: VoteOutcome;
  /** Sends of this clientId (1 = never retried). */
  sends: number;
  /** Sends that ended without any ack (socket gone): the server may or may not have stored them. */
  unanswered: number;
  refusal?: string;
  ack?: { ideaId: string; voteCount: number; remainingDots: number | null };
}

/** Codes that settle a vote for good: retrying the same vote cannot change the answer. */
const FINAL_REFUSALS = new Set(['BUDGET_EXCEEDED', 'ALREADY_VOTED', 'INVALID']);

/**
 * A participant casting dots one after the other, each with its own clientId, until it has
 * cast `maxVotes`, its budget is spent, or it is told to finish. A vote whose ack never came
 * (or came back UNAVAILABLE) is sent again with the same clientId.
 */
export class Voter {
  readonly intents: VoteIntent[] = [];
  private stopped = false;
  private finishing = false;
  private current: VoteIntent | null = null;
  /** Answers that were neither an ack nor a final refusal (UNAVAILABLE, RATE_LIMITED), by code. */
  readonly transient: Record<string, number> = {};

  constructor(
    readonly client: LiveClient,
    readonly participantId: string,
    private readonly ideaIds: string[],
    private readonly maxVotes: number,
    private readonly pause: () => number,
    private readonly random: () => number,
  ) {}

  get settled(): number {
    return this.intents.filter((intent) => intent.outcome !== 'pending').length;
  }

  get inFlight(): boolean {
    return this.current !== null;
  }

  async run(): Promise<void> {
    while (this.intents.length < this.maxVotes && !this.finishing) {
      const intent: VoteIntent = {
        clientId: randomUUID(),
        ideaId: this.ideaIds[Math.floor(this.random() * this.ideaIds.length)],
        outcome: 'pending',
        sends: 0,
        unanswered: 0,
      };
      this.intents.push(intent);
      while (intent.outcome === 'pending') {
        if (this.stopped) return;
        await this.client.ready(60000);
        intent.sends++;
        this.current = intent;
        try {
          const ack = await this.client.emit<VoteIntent['ack']>('vote:cast', {
            workshopId: this.client.workshopId,
            ideaId: intent.ideaId,
            dots: 1,
            clientId: intent.clientId,
          });
          if (ack.ok) {
            intent.outcome = 'acked';
            intent.ack = ack.data;
          } else if (FINAL_REFUSALS.has(ack.error.code)) {
            intent.outcome = 'refused';
            intent.refusal = ack.error.code;
          } else if (ack.error.code === 'UNAVAILABLE' || ack.error.code === 'RATE_LIMITED') {
            this.transient[ack.error.code] = (this.transient[ack.error.code] ?? 0) + 1;
            await sleep(200);
          } else {
            throw new Error(`vote:cast answered ${ack.error.code}: ${ack.error.message}`);
          }
        } catch (error) {
          if (!(error instanceof NoAck)) throw error;
          intent.unanswered++;
        } finally {
          this.current = null;
        }
      }
      if (intent.refusal === 'BUDGET_EXCEEDED') return;
      await sleep(this.pause());
    }
  }

  /** Settles the vote in hand, then casts no more. */
  finish(): void {
    this.finishing = true;
  }

  stop(): void {
    this.stopped = true;
  }
}

/** Deterministic randomness: a failing run can be repeated with the seed it printed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

export interface LiveWorkshop {
  id: string;
  processId: string;
  joinCode: string;
  ideaIds: string[];
  dotBudget: number;
  maxDotsPerIdea: number;
}

/**
 * A process with a dot-voting workshop, ideas submitted in ideation, and the stage set to
 * voting — all through the public API (HTTP and `/live`), as a facilitator would do it.
 */
export async function openVotingWorkshop(
  base: string,
  staffToken: string,
  options: { ideas: number; dotBudget: number; maxDotsPerIdea: number },
): Promise<LiveWorkshop> {
  const process = await call(base, 'POST', '/api/processes', {
    token: staffToken,
    body: { regionCode: 'SE224', title: 'Feltålighet: Skånes livsmedelsinnovation' },
  });
  if (process.status !== 201) throw new Error(`create process: ${process.status} ${process.text}`);
  const processId = process.body.id as string;
  const opened = await call(base, 'PATCH', `/api/processes/${processId}`, {
    token: staffToken,
    body: { phase: 'open' },
  });
  if (opened.status !== 200) throw new Error(`open process: ${opened.status} ${opened.text}`);
  const created = await call(base, 'POST', `/api/processes/${processId}/workshops`, {
    token: staffToken,
    body: {
      title: 'Prioriteringsworkshop Malmö',
      votingMode: 'dots',
      dotBudget: options.dotBudget,
      maxDotsPerIdea: options.maxDotsPerIdea,
      allowGuests: true,
    },
  });
  if (created.status !== 201) throw new Error(`create workshop: ${created.status} ${created.text}`);
  const workshopId = created.body.id as string;
  const joinCode = created.body.joinCode as string;
  recordSecret('join-code', joinCode);

  const staff = new LiveClient(base, staffToken, workshopId, { join: false });
  try {
    await waitConnected(staff);
    await setStage(staff, 'ideation');
    const author = await joinAsGuest(base, joinCode, 'Idégivare');
    const authorClient = new LiveClient(base, author.token, workshopId);
    const ideaIds: string[] = [];
    try {
      await authorClient.ready();
      for (let i = 0; i < options.ideas; i++) {
        const ack = await authorClient.emit<{ id: string }>('idea:submit', {
          workshopId,
          title: `Idé ${i + 1}: åkerbönor, ärtor och öl`,
          body: 'Cirkulära flöden i Skånes livsmedelskedja',
          clientId: randomUUID(),
        });
        if (!ack.ok) throw new Error(`idea:submit: ${ack.error.code}`);
        ideaIds.push(ack.data.id);
      }
    } finally {
      authorClient.close();
    }
    await setStage(staff, 'voting');
    return {
      id: workshopId,
      processId,
      joinCode,
      ideaIds,
      dotBudget: options.dotBudget,
      maxDotsPerIdea: options.maxDotsPerIdea,
    };
  } finally {
    staff.close();
  }
}

export async function setStage(staff: LiveClient, stage: string): Promise<void> {
  const ack = await staff.emit('stage:set', { workshopId: staff.workshopId, stage });
  if (!ack.ok) throw new Error(`stage:set ${stage}: ${ack.error.code} ${ack.error.message}`);
}

export async function waitConnected(client: LiveClient, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!client.connected) {
    if (Date.now() > deadline) throw new Error('socket did not connect');
    await sleep(20);
  }
}

/** A walk-in guest: `POST /api/workshops/join` with the code → guest token (participant id in `sub`). */
export async function joinAsGuest(
  base: string,
  joinCode: string,
  displayName: string,
): Promise<{ token: string; participantId: string }> {
  const reply = await call(base, 'POST', '/api/workshops/join', {
    body: { code: joinCode, displayName },
  });
  if (reply.status !== 200) throw new Error(`join: ${reply.status} ${reply.text}`);
  const token = reply.body.guestToken as string;
  recordSecret('guest-token', token);
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
    sub: string;
  };
  return { token, participantId: claims.sub };
}
