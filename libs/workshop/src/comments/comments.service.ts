import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import { prepared } from '@edp/database';
import { isStaffOf, Permission, roleHas, type Actor, type Helix } from '@edp/auth';
import { AuditTrail } from '../audit/audit-trail.js';
import { WorkshopEvent } from '../events/workshop.events.js';
import { WorkshopEventsPublisher } from '../events/workshop-events.publisher.js';
import { cleanClientId, cleanText } from '../ideas/idea-input.js';
import { IdeaReader } from '../ideas/idea-reader.js';
import type { WorkshopContext } from '../ideas/ideas.service.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { authorName } from '../shared/author-name.js';
import { isUniqueViolation, sql } from '../shared/sql.js';
import type { Phase } from '../processes/process.entity.js';
import { COMMENT_KINDS, Comment, type CommentKind } from './comment.entity.js';
import type { CommentView } from './comment.view.js';

export interface CommentInput {
  body: string;
  parentId?: string;
  kind?: CommentKind;
  clientId?: string;
}

/**
 * The live room's comment (`comment:add`): the caller has already looked up its clientId, and
 * the idea must be one of this workshop's, not only visible from it.
 */
export interface LiveCommentContext extends WorkshopContext {
  live: true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: IdeaReader,
    private readonly audit: AuditTrail,
    private readonly events: WorkshopEventsPublisher,
  ) {}

  async add(
    actor: Actor,
    ideaId: string,
    input: CommentInput,
    context?: WorkshopContext | LiveCommentContext,
  ): Promise<{ comment: CommentView; created: boolean }> {
    const live = Boolean(context && 'live' in context && context.live);
    const body = cleanText(input?.body, 'body', 1, 5000);
    const clientId = cleanClientId(input.clientId);
    const kind = input.kind ?? 'comment';
    if (!COMMENT_KINDS.includes(kind)) {
      throw AppException.badRequest('VALIDATION_FAILED', 'kind must be comment or expertise');
    }
    if (
      input.parentId !== undefined &&
      (typeof input.parentId !== 'string' || !UUID.test(input.parentId))
    ) {
      throw AppException.badRequest('VALIDATION_FAILED', 'parentId must be a UUID');
    }
    if (actor.kind === 'guest') {
      if (!context || context.workshopId !== actor.workshopId) {
        throw AppException.forbidden('A guest may comment only inside its workshop');
      }
    } else if (!roleHas(actor.role, Permission.Comment)) {
      throw AppException.forbidden('Your role may not comment');
    }
    if (
      kind === 'expertise' &&
      (actor.kind !== 'user' || !roleHas(actor.role, Permission.CommentExpertise))
    ) {
      throw AppException.forbidden(
        'Only researchers offer expertise',
        'EXPERTISE_RESEARCHERS_ONLY',
      );
    }
    // A unique violation below still returns a concurrent first comment with this clientId.
    if (clientId && !live) {
      const first = await this.byClientId(actor, clientId);
      if (first) return first;
    }
    const newComment: NewComment = {
      ideaId,
      parentId: input.parentId ?? null,
      clientId,
      body,
      kind,
    };
    let created: Created;
    try {
      created =
        (live && context && (await this.addLive(actor, newComment, context.workshopId))) ||
        (await this.dataSource.transaction((manager) =>
          this.addChecked(manager, actor, newComment, context, live),
        ));
    } catch (error) {
      const first =
        clientId && isUniqueViolation(error) ? await this.byClientId(actor, clientId) : null;
      if (first) return first;
      throw error;
    }
    this.events.publish(WorkshopEvent.CommentCreated, created);
    return { comment: created.comment, created: true };
  }

  /**
   * A live room's comment in one statement, so the idea's row is locked only while it runs,
   * not across round trips that wait on a busy event loop (where other comments on the idea
   * queued behind the COMMIT). The statement inserts only when every check passes and
   * reports what it found; the refusal is named here. A hidden idea is left to `addChecked`
   * (null), which knows who its staff are.
   */
  private async addLive(
    actor: Actor,
    comment: NewComment,
    workshopId: string,
  ): Promise<Created | null> {
    const [found] = await prepared<LiveCommentRow>(this.dataSource.manager, LIVE_COMMENT_SQL, [
      ...this.insertParams(actor, comment),
      workshopId,
    ]);
    if (!found || found.idea_workshop_id !== workshopId) throw AppException.notFound('Idea');
    if (found.idea_hidden) {
      if (isStaffOf(actor, found.idea_region_code)) return null;
      throw AppException.notFound('Idea');
    }
    if (found.idea_phase === 'closed') throw commentingClosed();
    if (!found.parent_ok) throw invalidParent();
    return { comment: rowToView(found, false), processId: found.idea_process_id, workshopId };
  }

  /** Any comment, checked step by step in the caller's transaction. */
  private async addChecked(
    manager: EntityManager,
    actor: Actor,
    comment: NewComment,
    context: WorkshopContext | undefined,
    live: boolean,
  ): Promise<Created> {
    // Locking the idea serialises comment_count updates with hides and merges.
    const idea = await this.reader.visible(manager, actor, comment.ideaId, true, Boolean(context));
    // A live workshop may run in a draft; nothing is added to a closed process.
    const open = context
      ? idea.phase !== 'closed'
      : idea.phase === 'open' || idea.phase === 'review';
    if (!open) throw commentingClosed();
    if (
      context &&
      (idea.row.workshop_id !== null || live) &&
      idea.row.workshop_id !== context.workshopId
    ) {
      throw AppException.notFound('Idea');
    }
    if (comment.parentId) {
      // Not below a hidden comment either: its whole thread is hidden from participants.
      const parent = await sql(
        manager,
        `WITH RECURSIVE chain AS (${parentChain('$1', '$2')})
         SELECT 1 FROM chain HAVING count(*) > 0 AND NOT bool_or(hidden)`,
        [comment.parentId, comment.ideaId],
      );
      if (parent.count === 0) throw invalidParent();
    }
    // One statement: the author's helix, the row and the idea's count (was three round trips).
    const rows = await prepared<CommentRow>(
      manager,
      `WITH added AS (${INSERT_COMMENT_SQL} VALUES (${INSERT_COMMENT_VALUES}) RETURNING *),
       counted AS (UPDATE ideas SET comment_count = comment_count + 1 WHERE id = $1)
       SELECT * FROM added`,
      this.insertParams(actor, comment),
    );
    return {
      comment: rowToView(rows[0], false),
      processId: idea.row.process_id,
      workshopId: context?.workshopId ?? idea.row.workshop_id,
    };
  }

  /** $1–$9 of INSERT_COMMENT_VALUES. */
  private insertParams(actor: Actor, comment: NewComment): unknown[] {
    return [
      comment.ideaId,
      comment.parentId,
      actor.kind === 'user' ? actor.id : null,
      actor.kind === 'guest' ? actor.id : null,
      authorName(actor.displayName),
      actor.kind === 'user' ? (actor.organisationId ?? null) : null,
      comment.clientId,
      comment.body,
      comment.kind,
    ];
  }

  /**
   * A page of threads of a visible idea: top-level comments oldest first, each with all its
   * replies nested. Hidden comments (and what hangs below them) only for staff.
   */
  async list(
    actor: Actor | null,
    ideaId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<CommentView>> {
    const manager = this.dataSource.manager;
    const { staff } = await this.reader.visible(manager, actor, ideaId);
    const cursor = decodeCursor(query.cursor, 'thread');
    const visible = staff ? '' : 'AND NOT c.hidden';
    const params: unknown[] = [ideaId, query.limit + 1];
    let after = '';
    if (cursor) {
      params.push(cursor.t, cursor.i);
      after = 'AND (c.created_at, c.id) > ($3::timestamptz, $4::uuid)';
    }
    const { rows: roots } = await sql<CommentRow>(
      manager,
      `SELECT c.*, c.created_at::text AS created_key FROM comments c
       WHERE c.idea_id = $1 AND c.parent_id IS NULL ${visible} ${after}
       ORDER BY c.created_at, c.id LIMIT $2`,
      params,
    );
    const page = roots.slice(0, query.limit);
    const { rows: replies } = await sql<CommentRow>(
      manager,
      `WITH RECURSIVE thread AS (
         SELECT c.* FROM comments c WHERE c.parent_id = ANY($1::uuid[]) ${visible}
         UNION ALL
         SELECT c.* FROM comments c JOIN thread t ON c.parent_id = t.id WHERE true ${visible}
       )
       SELECT * FROM thread ORDER BY created_at, id`,
      [page.map((row) => row.id)],
    );
    const views = new Map<string, CommentView>();
    const items: CommentView[] = [];
    for (const row of [...page, ...replies]) {
      const view: CommentView = { ...rowToView(row, staff), replies: [] };
      views.set(row.id, view);
      if (row.parent_id === null) items.push(view);
      else views.get(row.parent_id)?.replies?.push(view);
    }
    const last = page[page.length - 1];
    return {
      items,
      nextCursor:
        roots.length > query.limit && last
          ? encodeCursor({ s: 'thread', t: last.created_key, i: last.id })
          : null,
    };
  }

  /** Staff of the idea's region hide or show a comment; counted and audited. */
  async setHidden(actor: Actor, commentId: string, hidden: boolean): Promise<CommentView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const comment = await manager.findOneBy(Comment, { id: commentId });
      if (!comment) throw AppException.notFound('Comment');
      const idea = await this.reader.visible(manager, actor, comment.ideaId, true);
      if (!idea.staff) {
        if (comment.hidden) throw AppException.notFound('Comment');
        throw AppException.forbidden('Only the region’s staff may hide comments');
      }
      if (comment.hidden !== hidden) {
        await manager.update(Comment, { id: commentId }, { hidden });
        // What participants see: comments with no hidden comment above them.
        await sql(
          manager,
          `WITH RECURSIVE shown AS (
             SELECT id FROM comments WHERE idea_id = $1 AND parent_id IS NULL AND NOT hidden
             UNION ALL
             SELECT c.id FROM comments c JOIN shown s ON c.parent_id = s.id WHERE NOT c.hidden
           )
           UPDATE ideas SET comment_count = (SELECT count(*) FROM shown) WHERE id = $1`,
          [comment.ideaId],
        );
        await this.audit.record(manager, actor, {
          regionCode: idea.regionCode,
          processId: idea.row.process_id,
          action: hidden ? 'comment.hidden' : 'comment.unhidden',
          objectType: 'comment',
          objectId: commentId,
          details: { ideaId: comment.ideaId },
        });
      }
      return toCommentView({ ...comment, hidden }, true);
    });
    return view;
  }

  /** The caller's earlier comment with this clientId, if any (a retry's first result). */
  async byClientId(
    actor: Actor,
    clientId: string,
  ): Promise<{ comment: CommentView; created: false } | null> {
    // Plain SQL: this runs for every live comment, and the query builder costs more CPU than the query.
    const { rows } = await sql<CommentRow>(
      this.dataSource.manager,
      `SELECT * FROM comments WHERE ${actor.kind === 'user' ? 'author_user_id' : 'author_guest_id'} = $1 AND client_id = $2`,
      [actor.id, clientId],
    );
    return rows[0] ? { comment: rowToView(rows[0], false), created: false } : null;
  }
}

interface NewComment {
  ideaId: string;
  parentId: string | null;
  clientId: string | null;
  body: string;
  kind: CommentKind;
}

interface Created {
  comment: CommentView;
  processId: string;
  workshopId: string | null;
}

/** The body of a recursive `chain`: a comment's thread upwards from the parent, on that idea only. */
function parentChain(parentId: string, ideaId: string): string {
  return `SELECT id, parent_id, hidden FROM comments WHERE id = ${parentId} AND idea_id = ${ideaId}
    UNION ALL
    SELECT c.id, c.parent_id, c.hidden FROM comments c JOIN chain ON c.id = chain.parent_id`;
}

const INSERT_COMMENT_SQL = `INSERT INTO comments
  (idea_id, parent_id, author_user_id, author_guest_id, author_name, helix, client_id, body, kind)`;
/** The author's helix is its organisation's. */
const INSERT_COMMENT_VALUES = `$1, $2, $3, $4, $5, (SELECT helix FROM organisations WHERE id = $6),
  $7, $8, $9`;

/**
 * AddLive's statement: $1–$9 as INSERT_COMMENT_VALUES, $10 the workshop. No row: no such idea.
 * Otherwise what was found, and the comment's columns when every check passed.
 */
const LIVE_COMMENT_SQL = `WITH RECURSIVE idea AS (
    SELECT i.id, i.hidden, i.workshop_id, i.process_id, p.phase, p.region_code
    FROM ideas i JOIN processes p ON p.id = i.process_id
    WHERE i.id = $1 FOR UPDATE OF i FOR SHARE OF p
  ), chain AS (
    ${parentChain('$2', '$1')}
  ), verdict AS (
    SELECT idea.*,
      $2::uuid IS NULL OR (SELECT count(*) > 0 AND NOT bool_or(hidden) FROM chain) AS parent_ok
    FROM idea
  ), added AS (
    ${INSERT_COMMENT_SQL}
    SELECT ${INSERT_COMMENT_VALUES} FROM verdict
    WHERE workshop_id = $10 AND NOT hidden AND phase <> 'closed' AND parent_ok
    RETURNING *
  ), counted AS (
    UPDATE ideas SET comment_count = comment_count + 1 WHERE id = (SELECT idea_id FROM added)
  )
  SELECT v.workshop_id AS idea_workshop_id, v.hidden AS idea_hidden, v.phase AS idea_phase,
    v.region_code AS idea_region_code, v.process_id AS idea_process_id, v.parent_ok, added.*
  FROM verdict v LEFT JOIN added ON true`;

interface LiveCommentRow extends CommentRow {
  idea_workshop_id: string | null;
  idea_hidden: boolean;
  idea_phase: Phase;
  idea_region_code: string;
  idea_process_id: string;
  parent_ok: boolean;
}

function commentingClosed(): AppException {
  return AppException.conflict('COMMENTING_CLOSED', 'The process is not open for comments');
}

function invalidParent(): AppException {
  return AppException.unprocessable('INVALID_PARENT', 'parentId must be a comment on this idea');
}

interface CommentRow {
  id: string;
  idea_id: string;
  parent_id: string | null;
  body: string;
  kind: CommentKind;
  author_name: string;
  helix: Helix | null;
  hidden: boolean;
  created_at: Date;
  created_key: string;
}

function rowToView(row: CommentRow, staff: boolean): CommentView {
  const view: CommentView = {
    id: row.id,
    ideaId: row.idea_id,
    parentId: row.parent_id,
    body: row.body,
    kind: row.kind,
    authorName: row.author_name,
    helix: row.helix,
    createdAt: new Date(row.created_at).toISOString(),
  };
  if (staff) view.hidden = row.hidden;
  return view;
}

export function toCommentView(comment: Comment, staff: boolean): CommentView {
  const view: CommentView = {
    id: comment.id,
    ideaId: comment.ideaId,
    parentId: comment.parentId,
    body: comment.body,
    kind: comment.kind,
    authorName: comment.authorName,
    helix: comment.helix,
    createdAt: comment.createdAt.toISOString(),
  };
  if (staff) view.hidden = comment.hidden;
  return view;
}
