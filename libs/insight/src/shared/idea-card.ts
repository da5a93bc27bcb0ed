import type { Actor } from '@edp/auth';
import type { IdeaView } from '@edp/workshop';

/**
 * The API.md `idea` as published to everyone (no `hidden`): S3 views only ever show published
 * ideas. `$1` is the viewer's user id (for `votedByMe`), or null.
 */
export const IDEA_CARD_COLUMNS = `
  i.id, i.process_id, i.workshop_id, i.title, i.body, i.status, i.merged_into_id, i.author_name,
  i.organisation_name, i.helix, i.vote_count, i.comment_count, i.created_at,
  ARRAY(SELECT ipa.priority_area_id::text FROM idea_priority_areas ipa
        WHERE ipa.idea_id = i.id ORDER BY ipa.priority_area_id) AS priority_area_ids,
  EXISTS(SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.user_id = $1::uuid) AS voted_by_me`;

export interface IdeaCardRow {
  id: string;
  process_id: string;
  workshop_id: string | null;
  title: string;
  body: string;
  status: IdeaView['status'];
  merged_into_id: string | null;
  author_name: string;
  organisation_name: string | null;
  helix: IdeaView['helix'];
  vote_count: number;
  comment_count: number;
  created_at: Date | string;
  priority_area_ids: string[];
  voted_by_me: boolean;
}

export function toIdeaCard(row: IdeaCardRow): IdeaView {
  return {
    id: row.id,
    processId: row.process_id,
    workshopId: row.workshop_id,
    title: row.title,
    body: row.body,
    status: row.status,
    mergedIntoId: row.merged_into_id,
    authorName: row.author_name,
    organisationName: row.organisation_name,
    helix: row.helix,
    priorityAreaIds: row.priority_area_ids ?? [],
    voteCount: Number(row.vote_count),
    commentCount: Number(row.comment_count),
    votedByMe: Boolean(row.voted_by_me),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export function viewerId(actor: Actor | null): string | null {
  return actor?.kind === 'user' ? actor.id : null;
}

/** Published = the process is out of draft and moderators have not hidden the idea. */
export const PUBLISHED = `p.phase <> 'draft' AND NOT i.hidden`;
