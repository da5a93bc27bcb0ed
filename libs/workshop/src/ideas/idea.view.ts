import type { Helix } from '@edp/auth';
import type { KeysetCursor } from '../shared/cursor.js';
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

/** The process a list of ideas belongs to: whether it exists, is a draft, and its region. */
export const LIST_PROCESS_SQL = 'SELECT phase, region_code FROM processes WHERE id = $1';

export interface ListProcessRow {
  phase: string;
  region_code: string;
}

/** What a page of a process's ideas is filtered and ordered by (the query, already checked). */
export interface IdeaListFilter {
  /** The caller, for votedByMe; null when anonymous or a guest. */
  userId: string | null;
  processId: string;
  /** The region's staff also see hidden ideas. */
  staff: boolean;
  limit: number;
  sort: 'top' | 'new';
  status?: string;
  priorityArea?: string;
  q?: string;
  cursor: KeysetCursor | null;
}

/**
 * The statement for one keyset page (limit + 1 rows, so the caller knows whether there is a
 * next page). Every value is a parameter; only allow-listed fragments are spliced in. The
 * benchmark's bare baseline imports it, so both run the same SQL.
 */
export function ideaListStatement(filter: IdeaListFilter): { text: string; params: unknown[] } {
  // $1 is the caller (votedByMe), $2 the process, $3 the page size + 1.
  const params: unknown[] = [filter.userId, filter.processId, filter.limit + 1];
  const where = ['i.process_id = $2'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (!filter.staff) where.push('NOT i.hidden');
  if (filter.status) where.push(`i.status = ${param(filter.status)}`);
  if (filter.priorityArea) {
    where.push(
      `EXISTS (SELECT 1 FROM idea_priority_areas f
               WHERE f.idea_id = i.id AND f.priority_area_id = ${param(filter.priorityArea)})`,
    );
  }
  // websearch syntax ("quoted phrases", or, -not) never raises on user input; the
  // swedish configuration stems, so "specialisering" finds "specialiseringen".
  if (filter.q) where.push(`i.search @@ websearch_to_tsquery('swedish', ${param(filter.q)})`);
  const { cursor } = filter;
  if (cursor) {
    const t = `${param(cursor.t)}::timestamptz`;
    const id = `${param(cursor.i)}::uuid`;
    where.push(
      filter.sort === 'top'
        ? `(i.vote_count, i.created_at, i.id) < (${param(cursor.v)}::int, ${t}, ${id})`
        : `(i.created_at, i.id) < (${t}, ${id})`,
    );
  }
  const order =
    filter.sort === 'top'
      ? 'i.vote_count DESC, i.created_at DESC, i.id DESC'
      : 'i.created_at DESC, i.id DESC';
  return {
    text: `SELECT ${IDEA_VIEW_COLUMNS} FROM ideas i WHERE ${where.join(' AND ')}
       ORDER BY ${order} LIMIT $3`,
    params,
  };
}

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
