import { io, type Socket } from 'socket.io-client';
import { PlatformApi } from './platform-api.js';
import { ServerProcess } from './server-process.js';
import { mapLimit } from './stats.js';
import type { LiveTarget } from './load/live-room.js';

/** The bare socket.io room: tokens are just participant names. */
export async function bareLiveTarget(clients: number, ideas: number): Promise<LiveTarget> {
  const { server, info } = await ServerProcess.start('bare-live', 'bare-live.server', {});
  const url = `http://127.0.0.1:${String(info.port)}`;
  const { workshopId, ideaIds } = await server.request<{ workshopId: string; ideaIds: string[] }>(
    'setup',
    { ideas, dotBudget: 100, maxDotsPerIdea: 100 },
  );
  return {
    label: 'bare socket.io',
    servers: [server],
    database: null,
    workshopId,
    ideaIds,
    clients: Array.from({ length: clients }, (_, i) => ({ url, token: `participant-${i}` })),
    storedTally: async () => {
      const tally = await server.request<Record<string, number>>('tally', { workshopId });
      return ideaIds.map((id) => tally[id] ?? 0);
    },
  };
}

interface Ack<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

/** Emits one event on a staff socket and returns the ack's data, or throws its error. */
function emit<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.timeout(30_000).emit(event, payload, (error: Error | null, ack: Ack<T>) => {
      if (error) reject(error);
      else if (!ack.ok) reject(new Error(`${event}: ${ack.error?.code} ${ack.error?.message}`));
      else resolve(ack.data!);
    });
  });
}

function staffSocket(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * The real platform: a region user opens a process, a facilitator creates a dot-voting
 * workshop, submits the ideas during ideation and opens voting; every client joins as a
 * guest through `POST /api/workshops/join` and the socket handshake.
 * With two servers the clients alternate between them (they share the database and Redis).
 */
export async function platformLiveTarget(
  { servers, database }: { servers: ServerProcess[]; database: string | null },
  clients: number,
  ideas: number,
): Promise<LiveTarget> {
  const urls = servers.map((s) => `http://127.0.0.1:${s.port}`);
  const api = new PlatformApi(urls[0], servers[0]);
  try {
    const [region] = await api.seedUsers(1, 'region', 'SE224');
    const [facilitator] = await api.seedUsers(1, 'facilitator', 'SE224');
    const processId = await api.openProcess(region, 'Bänkmätning: levande workshop');
    const workshop = await api.send<{ id: string; joinCode: string }>({
      method: 'POST',
      path: `/api/processes/${processId}/workshops`,
      token: facilitator.token,
      body: { title: 'Workshop i Malmö', votingMode: 'dots', dotBudget: 100, maxDotsPerIdea: 100 },
    });
    const staff = await Promise.all(
      [facilitator, region].map((u) => staffSocket(urls[0], u.token)),
    );
    try {
      await emit(staff[0], 'workshop:join', { workshopId: workshop.id });
      await emit(staff[1], 'workshop:join', { workshopId: workshop.id });
      await emit(staff[0], 'stage:set', { workshopId: workshop.id, stage: 'ideation' });
      const ideaIds: string[] = [];
      for (let k = 0; k < ideas; k++) {
        // Two staff sockets share the submissions, well inside the per-socket event limit.
        const idea = await emit<{ id: string }>(staff[k % 2], 'idea:submit', {
          workshopId: workshop.id,
          title: `Idé ${k}: vätgas i Skåne`,
          clientId: `seed-${k}`,
        });
        ideaIds.push(idea.id);
      }
      await emit(staff[0], 'stage:set', { workshopId: workshop.id, stage: 'voting' });
      const guests = await mapLimit(
        Array.from({ length: clients }, (_, i) => i),
        32,
        async (i) => {
          const joined = await api.send<{ workshopId: string; guestToken: string }>({
            method: 'POST',
            path: '/api/workshops/join',
            body: { code: workshop.joinCode, displayName: `Gäst ${i} Åsa` },
          });
          return { url: urls[i % urls.length], token: joined.guestToken };
        },
      );
      return {
        label: servers.length > 1 ? `platform ×${servers.length} (Redis)` : 'platform',
        servers,
        database,
        workshopId: workshop.id,
        ideaIds,
        clients: guests,
        storedTally: async () => {
          const rows = await api.sql<{ idea_id: string; total: number }>(
            `SELECT idea_id, SUM(dots)::int AS total FROM workshop_votes WHERE workshop_id = $1 GROUP BY idea_id`,
            [workshop.id],
          );
          const byIdea = new Map(rows.map((r) => [r.idea_id, Number(r.total)]));
          return ideaIds.map((id) => byIdea.get(id) ?? 0);
        },
      };
    } finally {
      for (const socket of staff) socket.close();
    }
  } finally {
    api.close();
  }
}
