import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import { isStaffOf, type Actor } from '@edp/auth';
import { prepared } from '@edp/database';
import type { Phase } from '../processes/process.entity.js';
import { sql } from '../shared/sql.js';
import { IDEA_VIEW_COLUMNS, toIdeaView, type IdeaRow, type IdeaView } from './idea.view.js';

export interface IdeaContext {
  row: IdeaRow & { author_user_id: string | null; author_guest_id: string | null };
  phase: Phase;
  regionCode: string;
  staff: boolean;
}

/** Loads ideas together with what every access decision needs: phase, region, staff. */
@Injectable()
export class IdeaReader {
  /**
   * The idea as this caller may see it, or 404: drafts exist only for the region's staff,
   * hidden ideas only for staff. `lock` takes the row lock for a write transaction, and
   * shares the process's row so that a phase change waits for the write (and the write,
   * coming during one, waits and reads the new phase);
   * `inWorkshop` is set when libs/realtime has checked the caller's workshop, which may run
   * in a process that is still a draft.
   */
  async visible(
    manager: EntityManager,
    actor: Actor | null,
    ideaId: string,
    lock = false,
    inWorkshop = false,
  ): Promise<IdeaContext> {
    // Prepared: every comment, vote and idea page starts here.
    const rows = await prepared<IdeaContext['row'] & { phase: Phase; region_code: string }>(
      manager,
      `SELECT ${IDEA_VIEW_COLUMNS}, i.author_user_id, i.author_guest_id, p.phase, p.region_code
       FROM ideas i JOIN processes p ON p.id = i.process_id
       WHERE i.id = $2 ${lock ? 'FOR UPDATE OF i FOR SHARE OF p' : ''}`,
      [actorUserId(actor), ideaId],
    );
    const row = rows[0];
    const staff = row ? isStaffOf(actor, row.region_code) : false;
    if (!row || (row.phase === 'draft' && !staff && !inWorkshop) || (row.hidden && !staff)) {
      throw AppException.notFound('Idea');
    }
    return { row, phase: row.phase, regionCode: row.region_code, staff };
  }

  async view(
    manager: EntityManager,
    actor: Actor | null,
    ideaId: string,
    staff: boolean,
  ): Promise<IdeaView> {
    const { rows } = await sql<IdeaRow>(
      manager,
      `SELECT ${IDEA_VIEW_COLUMNS} FROM ideas i WHERE i.id = $2`,
      [actorUserId(actor), ideaId],
    );
    if (!rows[0]) throw AppException.notFound('Idea');
    return toIdeaView(rows[0], staff);
  }

  /** Ideas of one live workshop, oldest first, hidden ones left out. */
  async forWorkshop(
    manager: EntityManager,
    actor: Actor | null,
    workshopId: string,
  ): Promise<IdeaView[]> {
    const { rows } = await sql<IdeaRow>(
      manager,
      `SELECT ${IDEA_VIEW_COLUMNS} FROM ideas i
       WHERE i.workshop_id = $2 AND NOT i.hidden ORDER BY i.created_at, i.id`,
      [actorUserId(actor), workshopId],
    );
    return rows.map((row) => toIdeaView(row, false));
  }
}

export function actorUserId(actor: Actor | null): string | null {
  return actor?.kind === 'user' ? actor.id : null;
}
