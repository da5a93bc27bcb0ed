import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isStaffOf, type Actor } from '@edp/auth';
import { requireVisible } from '../processes/processes.service.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { sql } from '../shared/sql.js';
import type { ListIdeasQuery } from './dto/list-ideas.query.js';
import { actorUserId } from './idea-reader.js';
import {
  LIST_PROCESS_SQL,
  ideaListStatement,
  toIdeaView,
  type IdeaRow,
  type IdeaView,
  type ListProcessRow,
} from './idea.view.js';

/** The ideas of a process: keyset pages, Swedish full-text search, allow-listed filters. */
@Injectable()
export class IdeaListService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(
    actor: Actor | null,
    processId: string,
    query: ListIdeasQuery,
  ): Promise<Page<IdeaView>> {
    const manager = this.dataSource.manager;
    // Read with one plain statement: through TypeORM (findOneBy, entity hydration) the
    // process cost more CPU than the page of ideas.
    const {
      rows: [row],
    } = await sql<ListProcessRow>(manager, LIST_PROCESS_SQL, [processId]);
    const process = row && { phase: row.phase, regionCode: row.region_code };
    requireVisible(actor, process);
    const staff = isStaffOf(actor, process.regionCode);
    const cursor = decodeCursor(query.cursor, query.sort);
    const { text, params } = ideaListStatement({
      userId: actorUserId(actor),
      processId,
      staff,
      limit: query.limit,
      sort: query.sort,
      status: query.status,
      priorityArea: query.priorityArea,
      q: query.q,
      cursor,
    });
    const { rows } = await sql<IdeaRow>(manager, text, params);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toIdeaView(row, staff)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({
              s: query.sort,
              t: last.created_key,
              i: last.id,
              ...(query.sort === 'top' ? { v: Number(last.vote_count) } : {}),
            })
          : null,
    };
  }
}
