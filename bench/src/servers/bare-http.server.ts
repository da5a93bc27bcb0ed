/**
 * The bare baseline for the HTTP vote path: node:http + the `pg` driver, no framework, no ORM,
 * running the platform's own statements and row mapping (vote.sql.ts and idea.view.ts are
 * imported, not copied) on the same data: real PostgreSQL at DATABASE_URL, or the embedded
 * database started from a dump.
 * The bearer "token" is the user id itself: the baseline skips authentication. A vote is
 * one VOTE_SQL per request, as the platform runs a vote that arrives alone; the platform's
 * group commit of concurrent votes (VOTE_BATCH_SQL) is one of the things measured here.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { createEmbeddedDatabase } from '@edp/database';
import {
  LIST_PROCESS_SQL,
  ideaListStatement,
  toIdeaView,
  type IdeaRow,
  type ListProcessRow,
} from '../../../libs/workshop/src/ideas/idea.view.js';
import {
  LOCK_VOTE_TARGET_SQL,
  RETRACT_SQL,
  VOTE_SQL,
  voteAccessParams,
  type VoteBatchRow,
  type VoteTargetRow,
} from '../../../libs/workshop/src/votes/vote.sql.js';
import { installProbe } from '../probe.js';

const url = process.env.DATABASE_URL;
const pool = url
  ? new pg.Pool({ connectionString: url, max: 20 })
  : new pg.Pool({
      ...createPgConfig(
        await createEmbeddedDatabase(
          'memory://',
          new Blob([readFileSync(String(process.env.BENCH_DUMP))]),
        ),
      ),
      max: 1,
    });

interface Reply {
  status: number;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** The bench's voters are companies: not admins, staff of no region. */
const VOTER_ACCESS = voteAccessParams({ role: 'company', regionCode: null });

/** VotesService's checks on the locked row, for a caller who is staff of no region. */
function refusal(row: VoteTargetRow | undefined, voting: boolean): Reply | null {
  if (!row || row.phase === 'draft' || row.hidden)
    return { status: 404, body: { code: 'NOT_FOUND' } };
  if (row.phase !== 'open') return { status: 409, body: { code: 'VOTING_CLOSED' } };
  if (voting && row.status === 'merged') return { status: 409, body: { code: 'IDEA_MERGED' } };
  return null;
}

async function vote(userId: string, ideaId: string): Promise<Reply> {
  // Prepared, as the platform runs it (see `prepared` in libs/database).
  const { rows } = await pool.query<VoteBatchRow>({
    name: 'vote',
    text: VOTE_SQL,
    values: [ideaId, ...VOTER_ACCESS, userId],
  });
  const refused = refusal(rows[0], true);
  if (refused) return refused;
  const voteCount = Number(rows[0].new_count ?? rows[0].vote_count);
  return { status: 200, body: { ideaId, voteCount, voted: true } };
}

async function retract(userId: string, ideaId: string): Promise<Reply> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<VoteTargetRow>(LOCK_VOTE_TARGET_SQL, [
      ideaId,
      ...VOTER_ACCESS,
    ]);
    const refused = refusal(rows[0], false);
    if (refused) {
      await client.query('ROLLBACK');
      return refused;
    }
    const counted = await client.query<{ vote_count: number }>(RETRACT_SQL, [ideaId, userId]);
    await client.query('COMMIT');
    const voteCount = Number(counted.rows[0]?.vote_count ?? rows[0].vote_count);
    return { status: 200, body: { ideaId, voteCount, voted: false } };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function list(processId: string): Promise<Reply> {
  const process = await pool.query<ListProcessRow>(LIST_PROCESS_SQL, [processId]);
  if (!process.rows[0] || process.rows[0].phase === 'draft') return { status: 404, body: {} };
  // An anonymous first page, newest first, as the bench asks the platform for.
  const limit = 20;
  const { text, params } = ideaListStatement({
    userId: null,
    processId,
    staff: false,
    limit,
    sort: 'new',
    cursor: null,
  });
  const { rows } = await pool.query<IdeaRow>(text, params);
  return {
    status: 200,
    body: { items: rows.slice(0, limit).map((row) => toIdeaView(row, false)), nextCursor: null },
  };
}

async function route(req: IncomingMessage): Promise<Reply> {
  const path = (req.url ?? '').split('?')[0].split('/').filter(Boolean);
  const userId = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (path[0] === 'api' && path[1] === 'ideas' && path[3] === 'vote') {
    if (!UUID.test(path[2]) || !UUID.test(userId)) return { status: 400, body: {} };
    if (req.method === 'PUT') return vote(userId, path[2]);
    if (req.method === 'DELETE') return retract(userId, path[2]);
  }
  if (req.method === 'GET' && path[1] === 'processes' && path[3] === 'ideas') {
    if (!UUID.test(path[2])) return { status: 400, body: {} };
    return list(path[2]);
  }
  return { status: 404, body: {} };
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    route(req).then(
      ({ status, body }) => send(res, status, body),
      (error: unknown) => send(res, 500, { message: String(error) }),
    );
  });
});

const probe = installProbe({
  sql: async (args) => (await pool.query(String(args.text), (args.params as unknown[]) ?? [])).rows,
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  probe.ready({ port: address.port });
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
