import type { Query } from './backend.js';
import type { LiveWorkshop, Voter } from './live.js';

export interface VoteCounts {
  acknowledged: number;
  lost: number;
  doubled: number;
  refused: number;
  /** Sends of a clientId beyond its first (after a missing ack or an UNAVAILABLE answer). */
  retried: number;
  /** Sends that ended with the socket gone and no ack. */
  unanswered: number;
  budgetViolations: string[];
  /** clientIds stored as handled requests, for the acknowledged votes. */
  requestRows: number;
}

/**
 * Compares what the clients were told with what the database holds: every acknowledged dot
 * stored exactly once (per participant and idea), budgets and per-idea limits kept.
 */
export async function reconcile(
  query: Query,
  workshop: LiveWorkshop,
  voters: Voter[],
): Promise<VoteCounts & { dbTallies: Map<string, number> }> {
  const stored = await query<{ participant_id: string; idea_id: string; dots: number }>(
    `SELECT participant_id, idea_id, dots FROM workshop_votes WHERE workshop_id = $1`,
    [workshop.id],
  );
  const participants = await query<{ id: string; dots_spent: number }>(
    `SELECT id, dots_spent FROM workshop_participants WHERE workshop_id = $1`,
    [workshop.id],
  );
  const requests = await query<{ n: string }>(
    `SELECT count(*) AS n FROM workshop_vote_requests r
     JOIN workshop_participants p ON p.id = r.participant_id WHERE p.workshop_id = $1`,
    [workshop.id],
  );
  const storedDots = new Map<string, number>();
  const dbTallies = new Map<string, number>(workshop.ideaIds.map((id) => [id, 0]));
  for (const row of stored) {
    storedDots.set(`${row.participant_id}/${row.idea_id}`, Number(row.dots));
    dbTallies.set(row.idea_id, (dbTallies.get(row.idea_id) ?? 0) + Number(row.dots));
  }
  const counts: VoteCounts = {
    acknowledged: 0,
    lost: 0,
    doubled: 0,
    refused: 0,
    retried: 0,
    unanswered: 0,
    budgetViolations: [],
    requestRows: Number(requests[0]?.n ?? 0),
  };
  const pairs = new Set(storedDots.keys());
  for (const voter of voters) {
    const acked = new Map<string, number>();
    for (const intent of voter.intents) {
      counts.retried += Math.max(0, intent.sends - 1);
      counts.unanswered += intent.unanswered;
      if (intent.outcome === 'refused') counts.refused++;
      if (intent.outcome !== 'acked') continue;
      counts.acknowledged++;
      const key = `${voter.participantId}/${intent.ideaId}`;
      acked.set(key, (acked.get(key) ?? 0) + 1);
    }
    for (const [key, n] of acked) {
      const inDb = storedDots.get(key) ?? 0;
      counts.lost += Math.max(0, n - inDb);
      counts.doubled += Math.max(0, inDb - n);
      pairs.delete(key);
    }
    const spent = participants.find((p) => p.id === voter.participantId)?.dots_spent ?? 0;
    const sum = [...storedDots]
      .filter(([key]) => key.startsWith(`${voter.participantId}/`))
      .reduce((total, [, dots]) => total + dots, 0);
    if (spent !== sum || spent > workshop.dotBudget) {
      counts.budgetViolations.push(
        `${voter.participantId}: spent ${spent}, stored ${sum}, budget ${workshop.dotBudget}`,
      );
    }
  }
  // Dots stored for a participant/idea nobody was told about: doubled (or invented).
  for (const key of pairs) counts.doubled += storedDots.get(key) ?? 0;
  for (const [key, dots] of storedDots) {
    if (dots > workshop.maxDotsPerIdea)
      counts.budgetViolations.push(`${key}: ${dots} dots on one idea`);
  }
  return { ...counts, dbTallies };
}

export function describeCounts(scenario: string, counts: VoteCounts): string {
  return (
    `${scenario}: votes acknowledged ${counts.acknowledged}, lost ${counts.lost}, doubled ${counts.doubled}; ` +
    `refused by the rules ${counts.refused}, retried sends ${counts.retried}, sends without ack ${counts.unanswered}, ` +
    `budget violations ${counts.budgetViolations.length}`
  );
}
