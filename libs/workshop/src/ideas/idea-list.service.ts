import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isStaffOf, type Actor } from '@edp/auth';
import { ProcessesService } from '../processes/processes.service.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { sql } from '../shared/sql.js';
import type { ListIdeasQuery } from './dto/list-ideas.query.js';
import { actorUserId } from './idea-reader.js';
import { IDEA_VIEW_COLUMNS, toIdeaView, type IdeaRow, type IdeaView } from './idea.view.js';

/** The ideas of a process: keyset pages, Swedish full-text search, allow-listed filters. */
@Injectable()
export class IdeaListService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processes: ProcessesService,
  ) {}

  async list(
    actor: Actor | null,
    processId: string,
    query: ListIdeasQuery,
  ): Promise<Page<IdeaView>> {
    const manager = this.dataSource.manager;
    const process = await this.processes.findVisible(manager, actor, processId);
    const staff = isStaffOf(actor, process.regionCode);
    const cursor = decodeCursor(query.cursor, query.sort);
    // $1 is the caller (votedByMe), $2 the process, $3 the page size + 1.
    const params: unknown[] = [actorUserId(actor), processId, query.limit + 1];
    const where = ['i.process_id = $2'];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (!staff) where.push('NOT i.hidden');
    if (query.status) where.push(`i.status = ${param(query.status)}`);
    if (query.priorityArea) {
      where.push(
        `EXISTS (SELECT 1 FROM idea_priority_areas f
                 WHERE f.idea_id = i.id AND f.priority_area_id = ${param(query.priorityArea)})`,
      );
    }
    // websearch syntax ("quoted phrases", or, -not) never raises on user input; the
    // swedish configuration stems, so "specialisering" finds "specialiseringen".
    if (query.q) where.push(`i.search @@ websearch_to_tsquery('swedish', ${param(query.q)})`);
    if (cursor) {
      const t = `${param(cursor.t)}::timestamptz`;
      const id = `${param(cursor.i)}::uuid`;
      where.push(
        query.sort === 'top'
          ? `(i.vote_count, i.created_at, i.id) < (${param(cursor.v)}::int, ${t}, ${id})`
          : `(i.created_at, i.id) < (${t}, ${id})`,
      );
    }
    const order =
      query.sort === 'top'
        ? 'i.vote_count DESC, i.created_at DESC, i.id DESC'
        : 'i.created_at DESC, i.id DESC';
    const { rows } = await sql<IdeaRow>(
      manager,
      `SELECT ${IDEA_VIEW_COLUMNS} FROM ideas i WHERE ${where.join(' AND ')}
       ORDER BY ${order} LIMIT $3`,
      params,
    );
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
