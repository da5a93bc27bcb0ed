import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import type { IdeaView } from '@edp/workshop';
import type { WorkshopView } from '@edp/realtime';
import { Factory, type MadeUser } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

export type Ack<T = unknown> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface Snapshot {
  workshop: WorkshopView;
  ideas: IdeaView[];
  me: { participantId: string; remainingDots: number | null; votes: Record<string, number> };
}

/** A real socket.io client on `/live`; resolves once connected, rejects with the connect_error. */
export function connect(
  url: string,
  token: string | undefined,
  options: { origin?: string } = {},
): Promise<Socket> {
  const socket = io(`${url}/live`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export function send<T = unknown>(
  socket: Socket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> {
  return socket.timeout(120_000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** The ack's data, failing the test with the error when it was refused. */
export async function ok<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = await send<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** The next `event` the socket receives that matches. */
export function next<T>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Everything received of `event`, in order. */
export function record<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export function clientId(): string {
  return randomUUID();
}

/** A facilitator of Skåne with an open process and a workshop in it, created over HTTP. */
export class LiveFactory {
  readonly users: Factory;
  readonly workshops: WorkshopFactory;

  constructor(private readonly t: TestApp) {
    this.users = new Factory(t);
    this.workshops = new WorkshopFactory(t);
  }

  async workshop(
    options: {
      facilitator?: MadeUser;
      processId?: string;
      votingMode?: 'up' | 'dots';
      dotBudget?: number;
      maxDotsPerIdea?: number;
      allowGuests?: boolean;
      title?: string;
    } = {},
  ): Promise<{ workshop: WorkshopView; facilitator: MadeUser; processId: string }> {
    const facilitator = options.facilitator ?? (await this.users.user({ role: 'facilitator' }));
    const processId = options.processId ?? (await this.workshops.process()).id;
    const { facilitator: _f, processId: _p, ...body } = options;
    const res = await this.t
      .http()
      .post(`/api/processes/${processId}/workshops`)
      .set(facilitator.auth)
      .send({ title: 'Framtidens livsmedel i Skåne', votingMode: 'dots', ...body });
    expect(res.status).toBe(201);
    return { workshop: res.body as WorkshopView, facilitator, processId };
  }

  async guest(
    joinCode: string,
    displayName = 'Gäst Åsa',
  ): Promise<{ token: string; workshopId: string }> {
    const res = await this.t
      .http()
      .post('/api/workshops/join')
      .send({ code: joinCode, displayName });
    expect(res.status).toBe(200);
    return { token: res.body.guestToken as string, workshopId: res.body.workshopId as string };
  }

  async join(user: MadeUser, joinCode: string): Promise<void> {
    const res = await this.t
      .http()
      .post('/api/workshops/join')
      .set(user.auth)
      .send({ code: joinCode });
    expect(res.status).toBe(200);
  }

  async stage(facilitator: Socket, workshopId: string, stage: string): Promise<WorkshopView> {
    return ok<WorkshopView>(facilitator, 'stage:set', { workshopId, stage });
  }
}
