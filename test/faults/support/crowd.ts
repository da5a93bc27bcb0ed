import type { Query } from './backend.js';
import { LiveClient, Voter, joinAsGuest, type LiveWorkshop } from './live.js';
import { sleep } from './run-dir.js';

/** A room of guests who joined by code and hold a `/live` socket each. */
export async function joinCrowd(
  url: string,
  workshop: LiveWorkshop,
  size: number,
  plan: { votes: number; pause: [number, number] },
  random: () => number,
): Promise<Voter[]> {
  const guests = [];
  for (let i = 0; i < size; i++)
    guests.push(await joinAsGuest(url, workshop.joinCode, `Gäst ${i + 1} Öberg`));
  const voters = guests.map((guest) => {
    const client = new LiveClient(url, guest.token, workshop.id);
    const [min, max] = plan.pause;
    return new Voter(
      client,
      guest.participantId,
      workshop.ideaIds,
      plan.votes,
      () => min + random() * (max - min),
      random,
    );
  });
  await Promise.all(voters.map((voter) => voter.client.ready()));
  return voters;
}

export function settled(voters: Voter[]): number {
  return voters.reduce((total, voter) => total + voter.settled, 0);
}

export function inFlight(voters: Voter[]): number {
  return voters.filter((voter) => voter.inFlight).length;
}

export interface ClientView {
  participantId: string;
  /** The participant's own dots per idea in a fresh `workshop:join` snapshot. */
  votes: Record<string, number>;
  /** The latest tally per idea the client holds (snapshots and `tally:updated`). */
  tallies: Map<string, number>;
}

/**
 * After the voting: every client asks for a fresh snapshot (as after a reconnect), and then
 * the coalesced tallies are given time to arrive.
 */
export async function collectClientViews(voters: Voter[]): Promise<ClientView[]> {
  const views: ClientView[] = [];
  for (const voter of voters) {
    await voter.client.ready();
    const ack = await voter.client.emit<{ me: { votes: Record<string, number> } }>(
      'workshop:join',
      {
        workshopId: voter.client.workshopId,
      },
    );
    if (!ack.ok) throw new Error(`final workshop:join refused: ${ack.error.code}`);
    const votes = Object.fromEntries(Object.entries(ack.data.me.votes).filter(([, n]) => n > 0));
    views.push({ participantId: voter.participantId, votes, tallies: voter.client.tallies });
  }
  await sleep(500);
  return views;
}

/** Clients whose snapshot or tallies differ from the database. */
export function viewsDiffering(
  views: ClientView[],
  dbTallies: Map<string, number>,
  stored: Map<string, Record<string, number>>,
): string[] {
  const differing: string[] = [];
  for (const view of views) {
    const mine = stored.get(view.participantId) ?? {};
    if (JSON.stringify(sortKeys(view.votes)) !== JSON.stringify(sortKeys(mine))) {
      differing.push(
        `${view.participantId}: snapshot ${JSON.stringify(view.votes)} vs stored ${JSON.stringify(mine)}`,
      );
    }
    for (const [ideaId, count] of dbTallies) {
      const seen = view.tallies.get(ideaId) ?? 0;
      if (seen !== count)
        differing.push(`${view.participantId}: tally of ${ideaId} ${seen} vs stored ${count}`);
    }
  }
  return differing;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export async function storedVotesByParticipant(
  query: Query,
  workshopId: string,
): Promise<Map<string, Record<string, number>>> {
  {
    const rows = await query<{ participant_id: string; idea_id: string; dots: number }>(
      `SELECT participant_id, idea_id, dots FROM workshop_votes WHERE workshop_id = $1`,
      [workshopId],
    );
    const byParticipant = new Map<string, Record<string, number>>();
    for (const row of rows) {
      const mine = byParticipant.get(row.participant_id) ?? {};
      mine[row.idea_id] = Number(row.dots);
      byParticipant.set(row.participant_id, mine);
    }
    return byParticipant;
  }
}
