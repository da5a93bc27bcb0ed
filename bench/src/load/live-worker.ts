/**
 * One load-generator thread: a share of the room's socket.io clients. It sends votes or
 * comments on a schedule, and records when each client first saw each tally count, so the
 * runner can compute vote-to-visible latency to the LAST client without shipping every event.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { LiveClient } from './live-client.js';
import { nowMs, sleep } from '../stats.js';
import type { WorkerReply, WorkerRequest } from './live-protocol.js';

const workerId = (workerData as { workerId: number }).workerId;
const port = parentPort!;

interface Client {
  socket: LiveClient;
  /** Highest count seen per idea index. */
  known: Int32Array;
}

let clients: Client[] = [];
let workshopId = '';
let ideaIds: string[] = [];
const ideaIndex = new Map<string, number>();
/** seen[i][c] = the latest time at which a client of this thread first saw count ≥ c of idea i. */
let seen: Float64Array[] = [];
let acks = 0;
const comments = new Map<string, { n: number; maxT: number }>();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function markSeen(client: Client, index: number, count: number, t: number): void {
  const before = client.known[index];
  if (count <= before) return;
  client.known[index] = count;
  let row = seen[index];
  if (row.length <= count) {
    const grown = new Float64Array(Math.max(row.length * 2, count + 1024));
    grown.set(row);
    seen[index] = row = grown;
  }
  for (let c = before + 1; c <= count; c++) if (row[c] < t) row[c] = t;
}

async function connect(url: string, token: string): Promise<Client> {
  const socket = await LiveClient.connect(url, token, 30_000);
  const client: Client = { socket, known: new Int32Array(ideaIds.length) };
  socket.on('tally:updated', (payload: { tallies: { ideaId: string; voteCount: number }[] }) => {
    const t = nowMs();
    for (const { ideaId, voteCount } of payload.tallies) {
      const index = ideaIndex.get(ideaId);
      if (index !== undefined) markSeen(client, index, voteCount, t);
    }
  });
  socket.on('comment:created', (comment: { body: string }) => {
    const t = nowMs();
    const entry = comments.get(comment.body);
    if (entry) {
      entry.n++;
      if (entry.maxT < t) entry.maxT = t;
    } else comments.set(comment.body, { n: 1, maxT: t });
  });
  return new Promise((resolve, reject) => {
    socket.emit('workshop:join', { workshopId }, 30_000, (error, answer) => {
      acks++;
      const response = answer as {
        ok: boolean;
        data?: { ideas: { id: string; voteCount: number }[] };
        error?: { code: string };
      };
      if (error || !response?.ok) {
        socket.close();
        reject(new Error(error?.message ?? `join refused: ${response?.error?.code}`));
        return;
      }
      for (const idea of response.data!.ideas) {
        const index = ideaIndex.get(idea.id);
        if (index !== undefined) client.known[index] = idea.voteCount;
      }
      resolve(client);
    });
  });
}

interface Schedule {
  rate: number;
  durationMs: number;
  send: (seq: number, done: () => void) => void;
}

/** Sends `rate × duration` operations evenly; resolves when all have been answered. */
async function runSchedule({ rate, durationMs, send }: Schedule) {
  const planned = Math.round((rate * durationMs) / 1000);
  const start = nowMs();
  const eluStart = performance.eventLoopUtilization();
  loop.reset();
  let sent = 0;
  let answered = 0;
  let maxLagMs = 0;
  await new Promise<void>((resolve) => {
    const done = () => {
      answered++;
      if (answered === planned && sent === planned) resolve();
    };
    const tick = () => {
      const elapsed = nowMs() - start;
      const due = Math.min(planned, Math.floor((elapsed * rate) / 1000) + 1);
      if (due - sent > rate / 20) maxLagMs = Math.max(maxLagMs, ((due - sent) * 1000) / rate);
      while (sent < due) send(sent++, done);
      if (sent < planned) setTimeout(tick, 2);
      else if (answered === planned) resolve();
    };
    if (planned === 0) resolve();
    else tick();
  });
  const sendMs = nowMs() - start;
  const elu: EventLoopUtilization = performance.eventLoopUtilization(eluStart);
  return {
    planned,
    sendMs,
    maxLagMs,
    elu: elu.utilization,
    eventLoopP99Ms: loop.percentile(99) / 1e6,
  };
}

async function handle(message: WorkerRequest): Promise<void> {
  switch (message.type) {
    case 'init': {
      workshopId = message.workshopId;
      ideaIds = message.ideaIds;
      ideaIndex.clear();
      ideaIds.forEach((id, index) => ideaIndex.set(id, index));
      seen = ideaIds.map(() => new Float64Array(4096));
      let failed = 0;
      let firstError: string | null = null;
      const started = nowMs();
      const queue = [...message.clients];
      const connected: Client[] = [];
      await Promise.all(
        Array.from({ length: message.concurrency }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            try {
              connected.push(await connect(next.url, next.token));
            } catch (error) {
              failed++;
              firstError ??= error instanceof Error ? error.message : String(error);
            }
          }
        }),
      );
      clients = connected;
      reply({
        type: 'ready',
        connected: clients.length,
        failed,
        firstError,
        ms: nowMs() - started,
      });
      return;
    }
    case 'votes': {
      const planned = Math.round((message.rate * message.durationMs) / 1000);
      const idea = new Int32Array(planned);
      const count = new Int32Array(planned);
      const sendT = new Float64Array(planned);
      const ackT = new Float64Array(planned);
      const status = new Uint8Array(planned);
      const errors: Record<string, number> = {};
      let cursor = message.clientOffset % Math.max(1, clients.length);
      const result = await runSchedule({
        rate: message.rate,
        durationMs: message.durationMs,
        send: (seq, done) => {
          const client = clients[cursor];
          cursor = (cursor + 1) % clients.length;
          const index = message.hotIdea ?? Math.floor(Math.random() * ideaIds.length);
          idea[seq] = index;
          sendT[seq] = nowMs();
          client.socket.emit(
            'vote:cast',
            {
              workshopId,
              ideaId: ideaIds[index],
              dots: 1,
              clientId: `${message.step}-${workerId}-${seq}`,
            },
            20_000,
            (error, answer) => {
              const response = answer as {
                ok: boolean;
                data?: { voteCount: number };
                error?: { code: string };
              };
              ackT[seq] = nowMs();
              if (error) {
                status[seq] = 2;
                errors[error.code] = (errors[error.code] ?? 0) + 1;
              } else {
                acks++;
                if (response?.ok) count[seq] = response.data!.voteCount;
                else {
                  status[seq] = 1;
                  const code = response?.error?.code ?? 'UNKNOWN';
                  errors[code] = (errors[code] ?? 0) + 1;
                }
              }
              done();
            },
          );
        },
      });
      reply({ type: 'votes-done', ...result, idea, count, sendT, ackT, status, errors }, [
        idea.buffer,
        count.buffer,
        sendT.buffer,
        ackT.buffer,
        status.buffer,
      ]);
      return;
    }
    case 'fanout': {
      const sent: { marker: string; sendT: number; ok: boolean }[] = [];
      const errors: Record<string, number> = {};
      let cursor = message.clientOffset % Math.max(1, clients.length);
      const result = await runSchedule({
        rate: message.rate,
        durationMs: message.durationMs,
        send: (seq, done) => {
          const client = clients[cursor];
          cursor = (cursor + 1) % clients.length;
          const marker = `bench-${message.step}-${workerId}-${seq}`;
          const record = { marker, sendT: nowMs(), ok: false };
          sent.push(record);
          client.socket.emit(
            'comment:add',
            {
              workshopId,
              // Spread over the ideas: this step measures broadcasting, not one idea's row lock.
              ideaId: ideaIds[seq % ideaIds.length],
              body: marker,
              clientId: marker,
            },
            20_000,
            (error, answer) => {
              const response = answer as {
                ok: boolean;
                error?: { code: string; message: string };
              };
              if (!error) acks++;
              record.ok = !error && response?.ok === true;
              if (!record.ok) {
                const code = error
                  ? error.code
                  : `${response?.error?.code ?? 'UNKNOWN'}: ${response?.error?.message}`;
                errors[code] = (errors[code] ?? 0) + 1;
              }
              done();
            },
          );
        },
      });
      reply({ type: 'fanout-done', ...result, sent, errors });
      return;
    }
    case 'collect': {
      const minKnown = new Int32Array(ideaIds.length).fill(2 ** 31 - 1);
      for (const client of clients) {
        for (let i = 0; i < ideaIds.length; i++) {
          if (client.known[i] < minKnown[i]) minKnown[i] = client.known[i];
        }
      }
      const received = [...comments].map(([marker, entry]) => ({ marker, ...entry }));
      comments.clear();
      reply({ type: 'collected', seen: seen.map((row) => row.slice()), minKnown, received });
      return;
    }
    case 'counters':
      reply({
        type: 'counters',
        events: clients.reduce((sum, client) => sum + client.socket.events, 0),
        acks,
      });
      return;
    case 'verify': {
      let mismatched = 0;
      let example: string | null = null;
      for (const client of clients) {
        for (let i = 0; i < ideaIds.length; i++) {
          if (client.known[i] !== message.expected[i]) {
            mismatched++;
            example ??= `idea ${i}: client saw ${client.known[i]}, expected ${message.expected[i]}`;
            break;
          }
        }
      }
      reply({ type: 'verified', mismatched, example });
      return;
    }
    case 'close': {
      for (const client of clients) client.socket.close();
      clients = [];
      await sleep(50);
      reply({ type: 'closed' });
      return;
    }
  }
}

port.on('message', (message: WorkerRequest) => {
  handle(message).catch((error: unknown) => {
    reply({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  });
});
