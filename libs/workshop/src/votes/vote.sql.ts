/**
 * The statements of the vote path, kept apart from the service so the benchmark's bare
 * baseline runs exactly these (imported, not copied).
 *
 * Parameters of the single-idea statements: $1 the idea, $2 whether the caller is an admin,
 * $3 the region the caller is staff of (or null); see `voteAccessParams`.
 */

/**
 * Locks the idea and says whether its votes may change: the process is open and the caller
 * sees the idea (hidden ideas only for the region's staff, as isStaffOf: $2 admin, $3 the
 * region the caller is staff of). The process row is shared-locked, so a phase change
 * (ProcessesService.update locks it FOR UPDATE) waits for votes in flight, and a vote that
 * comes during one waits for it and then reads the new phase: none lands after a close.
 */
export const LOCK_VOTE_TARGET_SQL = `SELECT i.id, i.status, i.hidden, i.vote_count, i.process_id, i.workshop_id,
    p.phase, p.region_code,
    p.phase = 'open' AND (NOT i.hidden OR $2::boolean OR p.region_code = $3::text) AS allowed
  FROM ideas i JOIN processes p ON p.id = i.process_id
  WHERE i.id = $1 FOR UPDATE OF i FOR SHARE OF p`;

/**
 * One vote in one autocommitted statement, so the idea's row lock is held for one round
 * trip: it locks the idea (re-read at its latest version), inserts only if the vote is
 * allowed and moves the counter by the rows actually inserted. ON CONFLICT checks the latest
 * rows, not the statement's snapshot, so a concurrent vote of the same user is never counted
 * twice. $4 the caller's user id. Used for a batch of one: prepared, it runs faster than
 * VOTE_BATCH_SQL with one vote (pgbench, c8: 5 400–6 200 against 4 500–4 900 tps).
 */
export const VOTE_SQL = `WITH target AS (${LOCK_VOTE_TARGET_SQL}),
       added AS (
         INSERT INTO idea_votes (idea_id, user_id)
         SELECT id, $4 FROM target WHERE allowed AND status <> 'merged'
         ON CONFLICT DO NOTHING RETURNING idea_id),
       counted AS (
         UPDATE ideas i SET vote_count = i.vote_count + 1 FROM added a
         WHERE i.id = a.idea_id RETURNING i.vote_count)
       SELECT true AS found, t.*, (SELECT vote_count FROM counted) AS new_count FROM target t`;

/**
 * Many callers' votes in one autocommitted statement (a group commit: see VotesService),
 * with VOTE_SQL's rules and locks. It locks the ideas in id order (so concurrent batches
 * never deadlock), re-read at their latest version, and shares their processes' rows;
 * inserts each vote only where it is allowed; and moves each idea's counter by the rows
 * actually inserted. ON CONFLICT checks the latest rows, not the statement's snapshot, so a
 * concurrent vote of the same user is never counted twice.
 *
 * Parameters are arrays, one element per vote: $1 the ideas, $2 whether each caller is an
 * admin, $3 the region each caller is staff of (or null), $4 the callers' user ids. One row
 * comes back per vote, in their order; `found` is false for an idea that does not exist,
 * `new_count` is null where nothing was inserted, and `vote_count` is the count after all.
 */
export const VOTE_BATCH_SQL = `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::boolean[], $3::text[], $4::uuid[])
           WITH ORDINALITY AS v(idea_id, admin, staff_region, user_id, n)),
       target AS (
         SELECT i.id, i.status, i.hidden, i.vote_count, i.process_id, i.workshop_id,
                p.phase, p.region_code
         FROM ideas i JOIN processes p ON p.id = i.process_id
         WHERE i.id IN (SELECT idea_id FROM input)
         ORDER BY i.id FOR UPDATE OF i FOR SHARE OF p),
       asked AS (
         SELECT v.n, v.user_id, t.*,
                t.phase = 'open' AND (NOT t.hidden OR v.admin OR t.region_code = v.staff_region) AS allowed
         FROM input v LEFT JOIN target t ON t.id = v.idea_id),
       added AS (
         INSERT INTO idea_votes (idea_id, user_id)
         SELECT id, user_id FROM asked WHERE allowed AND status <> 'merged'
         ON CONFLICT DO NOTHING RETURNING idea_id, user_id),
       counted AS (
         UPDATE ideas i SET vote_count = i.vote_count + a.n
         FROM (SELECT idea_id, count(*)::int AS n FROM added GROUP BY idea_id) a
         WHERE i.id = a.idea_id RETURNING i.id, i.vote_count)
       SELECT a.id IS NOT NULL AS found, a.id, a.status, a.hidden, a.process_id, a.workshop_id,
              a.phase, a.region_code, a.allowed,
              COALESCE(c.vote_count, a.vote_count) AS vote_count,
              CASE WHEN d.idea_id IS NOT NULL THEN c.vote_count END AS new_count
       FROM asked a
       LEFT JOIN added d ON d.idea_id = a.id AND d.user_id = a.user_id
       LEFT JOIN counted c ON c.id = a.id
       ORDER BY a.n`;

/**
 * A retraction's second statement, after LOCK_VOTE_TARGET_SQL in the same transaction:
 * a DELETE finds rows by its statement's snapshot, which must be taken after the lock to see
 * a vote committed just before it. $1 the idea, $2 the caller's user id.
 */
export const RETRACT_SQL = `WITH removed AS (DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2 RETURNING idea_id)
       UPDATE ideas i SET vote_count = i.vote_count - 1 FROM removed r
       WHERE i.id = r.idea_id RETURNING i.vote_count`;

/** $2 and $3 of LOCK_VOTE_TARGET_SQL for a caller of this role and staff region. */
export function voteAccessParams(actor: {
  role: string;
  regionCode: string | null;
}): [boolean, string | null] {
  const regional = actor.role === 'region' || actor.role === 'facilitator';
  return [actor.role === 'admin', regional ? actor.regionCode : null];
}

/** A row of LOCK_VOTE_TARGET_SQL (VOTE_SQL's and VOTE_BATCH_SQL's add `found`, `new_count`). */
export interface VoteTargetRow {
  id: string;
  status: string;
  hidden: boolean;
  vote_count: number;
  process_id: string;
  workshop_id: string | null;
  phase: string;
  region_code: string;
  allowed: boolean;
}

/** A row of VOTE_SQL (none for an unknown idea) or VOTE_BATCH_SQL (one per vote). */
export interface VoteBatchRow extends VoteTargetRow {
  found: boolean;
  new_count: number | null;
}
