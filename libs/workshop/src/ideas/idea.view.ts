import type { Helix } from '@edp/auth';
import type { IdeaStatus } from './idea.entity.js';

/** API.md `idea`; `hidden` is present for the region's staff only. */
export interface IdeaView {
  id: string;
  processId: string;
  workshopId: string | null;
  title: string;
  body: string;
  status: IdeaStatus;
  mergedIntoId: string | null;
  authorName: string;
  organisationName: string | null;
  helix: Helix | null;
  priorityAreaIds: string[];
  voteCount: number;
  commentCount: number;
  votedByMe: boolean;
  createdAt: string;
  hidden?: boolean;
}

/** Columns every idea query selects, so that one mapper builds every view. */
export const IDEA_VIEW_COLUMNS = `
  i.id, i.process_id, i.workshop_id, i.title, i.body, i.status, i.merged_into_id, i.author_name,
  i.organisation_name, i.helix, i.vote_count, i.comment_count, i.hidden, i.created_at,
  i.created_at::text AS created_key,
  ARRAY(SELECT ipa.priority_area_id::text FROM idea_priority_areas ipa
        WHERE ipa.idea_id = i.id ORDER BY ipa.priority_area_id) AS priority_area_ids,
  EXISTS(SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.user_id = $1::uuid) AS voted_by_me`;

export interface IdeaRow {
  id: string;
  process_id: string;
  workshop_id: string | null;
  title: string;
  body: string;
  status: IdeaStatus;
  merged_into_id: string | null;
  author_name: string;
  organisation_name: string | null;
  helix: Helix | null;
  vote_count: number;
  comment_count: number;
  hidden: boolean;
  created_at: Date | string;
  created_key: string;
  priority_area_ids: string[] | string;
  voted_by_me: boolean;
}

export function toIdeaView(row: IdeaRow, staff: boolean): IdeaView {
  const view: IdeaView = {
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
    priorityAreaIds: pgArray(row.priority_area_ids),
    voteCount: Number(row.vote_count),
    commentCount: Number(row.comment_count),
    votedByMe: Boolean(row.voted_by_me),
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (staff) view.hidden = row.hidden;
  return view;
}

/** node-postgres parses text[]; be tolerant of a driver that returns the literal. */
export function pgArray(value: string[] | string | null): string[] {
  if (Array.isArray(value)) return value;
  if (!value || value === '{}') return [];
  return value.slice(1, -1).split(',');
}
