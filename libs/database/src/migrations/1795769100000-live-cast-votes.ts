import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A live workshop's batch of dot votes as one call (see DotVotesService.castBatch): the
 * transaction of flag, locks and write was four round trips, and under a busy event loop
 * (a tally fanned out to a thousand sockets) every round trip waited its turn.
 * Inside, each statement takes a new snapshot (READ COMMITTED), so the write after the locks
 * sees every vote committed before they were granted, as the separate statements did.
 * One row per input, in order: the caller's participant (null when it is none), its
 * workshop's rules, the dots it had spent, and what the write found and stored.
 */
export class LiveCastVotes1795769100000 implements MigrationInterface {
  name = 'LiveCastVotes1795769100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION live_cast_votes(
        p_workshop uuid[], p_guest uuid[], p_user uuid[], p_idea uuid[], p_dots int[],
        p_client varchar[], p_fresh uuid[])
      RETURNS TABLE (n int, participant_id uuid, dots_spent int, stage varchar,
        voting_mode varchar, dot_budget int, max_dots_per_idea int, first jsonb, on_idea int,
        idea boolean, result jsonb)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        flipped uuid[];
      BEGIN
        -- The first vote freezes the voting settings. Set before the locks (two batches
        -- holding a share lock could not both update the row); taken back below where no
        -- vote was stored.
        WITH f AS (
          UPDATE workshops w SET voting_started = true
          WHERE w.id = ANY(p_fresh) AND NOT w.voting_started RETURNING w.id)
        SELECT array_agg(f.id) INTO flipped FROM f;

        -- Workshops shared (a stage change waits for votes in flight), participants
        -- exclusive and in id order, so concurrent batches never deadlock.
        PERFORM 1
        FROM unnest(p_workshop, p_guest, p_user) AS i(workshop_id, guest_id, user_id)
        JOIN workshop_participants p ON p.workshop_id = i.workshop_id AND p.id = COALESCE(i.guest_id,
          (SELECT q.id FROM workshop_participants q WHERE q.workshop_id = i.workshop_id AND q.user_id = i.user_id))
        JOIN workshops w ON w.id = p.workshop_id
        ORDER BY p.id
        FOR SHARE OF w FOR UPDATE OF p;

        -- Only where the vote is new and allowed: write it, spend the dots (the budget is
        -- part of the UPDATE's condition), add them to the idea's count, record the result
        -- for retries.
        RETURN QUERY
        WITH input AS (
          SELECT i.n::int AS n, p.id AS participant_id, p.dots_spent AS spent_before,
                 w.id AS workshop_id, w.stage, w.voting_mode, w.dot_budget, w.max_dots_per_idea,
                 i.idea_id, i.dots, i.client_id,
                 w.stage = 'voting' AND CASE WHEN w.voting_mode = 'up' THEN i.dots = 1
                                             ELSE i.dots <= w.max_dots_per_idea END AS allowed,
                 CASE WHEN w.voting_mode = 'up' THEN 1 ELSE w.max_dots_per_idea END AS cap,
                 CASE WHEN w.voting_mode = 'dots' THEN w.dot_budget END AS budget
          FROM unnest(p_workshop, p_guest, p_user, p_idea, p_dots, p_client) WITH ORDINALITY
            AS i(workshop_id, guest_id, user_id, idea_id, dots, client_id, n)
          LEFT JOIN workshop_participants p ON p.workshop_id = i.workshop_id AND p.id = COALESCE(i.guest_id,
            (SELECT q.id FROM workshop_participants q WHERE q.workshop_id = i.workshop_id AND q.user_id = i.user_id))
          LEFT JOIN workshops w ON w.id = p.workshop_id
        ), state AS (
          SELECT i.*,
            (SELECT r.result FROM workshop_vote_requests r
             WHERE r.participant_id = i.participant_id AND r.client_id = i.client_id) AS first,
            (SELECT v.dots FROM workshop_votes v
             WHERE v.participant_id = i.participant_id AND v.idea_id = i.idea_id) AS on_idea,
            EXISTS (SELECT 1 FROM ideas d
                    WHERE d.id = i.idea_id AND d.workshop_id = i.workshop_id AND NOT d.hidden) AS idea
          FROM input i WHERE i.participant_id IS NOT NULL
        ), spent AS (
          UPDATE workshop_participants p SET dots_spent = p.dots_spent + s.dots
          FROM state s
          WHERE p.id = s.participant_id AND s.first IS NULL AND s.idea AND s.allowed
            AND COALESCE(s.on_idea, 0) + s.dots <= s.cap
            AND (s.budget IS NULL OR p.dots_spent + s.dots <= s.budget)
          RETURNING p.id, p.dots_spent
        ), accepted AS (
          SELECT s.*, spent.dots_spent AS spent_after FROM state s JOIN spent ON spent.id = s.participant_id
        ), vote AS (
          INSERT INTO workshop_votes (participant_id, idea_id, workshop_id, dots)
          SELECT a.participant_id, a.idea_id, a.workshop_id, a.dots FROM accepted a
          ON CONFLICT (participant_id, idea_id)
          DO UPDATE SET dots = workshop_votes.dots + EXCLUDED.dots, updated_at = now()
        ), tally AS (
          INSERT INTO workshop_idea_tallies (idea_id, workshop_id, dots)
          SELECT a.idea_id, a.workshop_id, SUM(a.dots) FROM accepted a
          GROUP BY a.idea_id, a.workshop_id ORDER BY a.idea_id
          ON CONFLICT (idea_id) DO UPDATE SET dots = workshop_idea_tallies.dots + EXCLUDED.dots
          RETURNING idea_id, dots
        ), written AS (
          INSERT INTO workshop_vote_requests (participant_id, client_id, result)
          SELECT a.participant_id, a.client_id, jsonb_build_object(
            'ideaId', a.idea_id, 'voteCount', t.dots, 'remainingDots', a.budget - a.spent_after)
          FROM accepted a JOIN tally t ON t.idea_id = a.idea_id
          RETURNING participant_id, result
        ), unflag AS (
          UPDATE workshops w SET voting_started = false
          WHERE w.id = ANY(flipped) AND w.id NOT IN (SELECT a.workshop_id FROM accepted a)
        )
        SELECT i.n, i.participant_id, i.spent_before, i.stage, i.voting_mode, i.dot_budget,
               i.max_dots_per_idea, s.first, s.on_idea, s.idea, w.result
        FROM input i
        LEFT JOIN state s ON s.n = i.n
        LEFT JOIN written w ON w.participant_id = i.participant_id
        ORDER BY i.n;
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION live_cast_votes(uuid[], uuid[], uuid[], uuid[], int[], varchar[], uuid[])`,
    );
  }
}
