/**
 * The statements of the vote path, kept apart from the service so the benchmark's bare
 * baseline runs exactly these (imported, not copied).
 *
 * Parameters: $1 the idea, $2 whether the caller is an admin, $3 the region the caller is
 * staff of (or null), and for VOTE_SQL $4 the caller's user id; see `voteAccessParams`.
 */

/**
 * Locks the idea and says whether its votes may change: the process is open and the caller
 * sees the idea (hidden ideas only for the region's staff, as isStaffOf: $2 admin, $3 the
 * region the caller is staff of).
 */
export const LOCK_VOTE_TARGET_SQL = `SELECT i.id, i.status, i.hidden, i.vote_count, i.process_id, i.workshop_id,
    p.phase, p.region_code,
    p.phase = 'open' AND (NOT i.hidden OR $2::boolean OR p.region_code = $3::text) AS allowed
  FROM ideas i JOIN processes p ON p.id = i.process_id
  WHERE i.id = $1 FOR UPDATE OF i`;

/**
 * One autocommitted statement, so the hot idea's row lock is held for one round trip: it
 * locks the idea (re-read at its latest version), inserts only if the vote is allowed and
 * moves the counter by the rows actually inserted. ON CONFLICT checks the latest rows, not
 * the statement's snapshot, so a concurrent vote of the same user is never counted twice.
 */
export const VOTE_SQL = `WITH target AS (${LOCK_VOTE_TARGET_SQL}),
       added AS (
         INSERT INTO idea_votes (idea_id, user_id)
         SELECT id, $4 FROM target WHERE allowed AND status <> 'merged'
         ON CONFLICT DO NOTHING RETURNING idea_id),
       counted AS (
         UPDATE ideas i SET vote_count = i.vote_count + 1 FROM added a
         WHERE i.id = a.idea_id RETURNING i.vote_count)
       SELECT t.*, (SELECT vote_count FROM counted) AS new_count FROM target t`;

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

/** A row of LOCK_VOTE_TARGET_SQL (and of VOTE_SQL, which adds `new_count`). */
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
