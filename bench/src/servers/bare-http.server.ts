/**
 * The bare baseline for the HTTP vote path: node:http + the `pg` driver, no framework, no ORM,
 * running the platform's own statements (IDEA_VIEW_COLUMNS is imported, not copied) on the
 * same data: real PostgreSQL at DATABASE_URL, or the embedded database started from a dump.
 * The bearer "token" is the user id itself: the baseline skips authentication.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { createEmbeddedDatabase } from '@edp/database';
import { IDEA_VIEW_COLUMNS } from '../../../libs/workshop/src/ideas/idea.view.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

async function vote(userId: string, ideaId: string): Promise<{ status: number; body: unknown }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT ${IDEA_VIEW_COLUMNS}, i.author_user_id, i.author_guest_id, p.phase, p.region_code
       FROM ideas i JOIN processes p ON p.id = i.process_id
       WHERE i.id = $2 FOR UPDATE OF i`,
      [userId, ideaId],
    );
    const idea = rows[0] as { vote_count: number; phase: string } | undefined;
    if (!idea || idea.phase !== 'open') {
      await client.query('ROLLBACK');
      return { status: idea ? 409 : 404, body: { code: idea ? 'VOTING_CLOSED' : 'NOT_FOUND' } };
    }
    const inserted = await client.query(
      'INSERT INTO idea_votes (idea_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [ideaId, userId],
    );
    let voteCount = Number(idea.vote_count);
    if (inserted.rowCount) {
      const updated = await client.query(
        'UPDATE ideas SET vote_count = vote_count + $2 WHERE id = $1 RETURNING vote_count',
        [ideaId, 1],
      );
      voteCount = Number(updated.rows[0].vote_count);
    }
    await client.query('COMMIT');
    return { status: 200, body: { ideaId, voteCount, voted: true } };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function list(processId: string): Promise<{ status: number; body: unknown }> {
  const process = await pool.query('SELECT phase FROM processes WHERE id = $1', [processId]);
  if (!process.rows[0] || process.rows[0].phase === 'draft') return { status: 404, body: {} };
  const { rows } = await pool.query(
    `SELECT ${IDEA_VIEW_COLUMNS} FROM ideas i WHERE i.process_id = $2 AND NOT i.hidden
     ORDER BY i.created_at DESC, i.id DESC LIMIT $3`,
    [null, processId, 21],
  );
  const items = rows.slice(0, 20).map((row: Record<string, unknown>) => ({
    id: row.id,
    processId: row.process_id,
    workshopId: row.workshop_id,
    title: row.title,
    body: row.body,
    status: row.status,
    authorName: row.author_name,
    helix: row.helix,
    priorityAreaIds: row.priority_area_ids,
    voteCount: Number(row.vote_count),
    commentCount: Number(row.comment_count),
    votedByMe: row.voted_by_me,
    createdAt: row.created_at,
  }));
  return { status: 200, body: { items, nextCursor: null } };
}

async function route(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const path = (req.url ?? '').split('?')[0].split('/').filter(Boolean);
  const userId = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (req.method === 'PUT' && path[0] === 'api' && path[1] === 'ideas' && path[3] === 'vote') {
    if (!UUID.test(path[2]) || !UUID.test(userId)) return { status: 400, body: {} };
    return vote(userId, path[2]);
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
