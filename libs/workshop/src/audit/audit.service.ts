import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '@edp/auth';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { sql } from '../shared/sql.js';
import { ProcessesService } from '../processes/processes.service.js';

export interface AuditEventView {
  id: string;
  action: string;
  actor: { id: string; kind: string; name: string };
  objectType: string;
  objectId: string;
  details: Record<string, unknown>;
  createdAt: string;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processes: ProcessesService,
  ) {}

  /** A process's trail, newest first: admins and the region's staff. */
  async listForProcess(
    actor: Actor | null,
    processId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<AuditEventView>> {
    await this.processes.requireStaff(actor, processId);
    const cursor = decodeCursor(query.cursor, 'audit');
    const params: unknown[] = [processId, query.limit + 1];
    let where = 'a.process_id = $1';
    if (cursor) {
      params.push(cursor.t, cursor.i);
      where += ' AND (a.created_at, a.id) < ($3::timestamptz, $4::uuid)';
    }
    const { rows } = await sql<AuditRow>(
      this.dataSource.manager,
      `SELECT a.*, a.created_at::text AS created_key FROM audit_events a
       WHERE ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.id,
        action: row.action,
        actor: { id: row.actor_id, kind: row.actor_kind, name: row.actor_name },
        objectType: row.object_type,
        objectId: row.object_id,
        details: row.details,
        createdAt: new Date(row.created_at).toISOString(),
      })),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ s: 'audit', t: last.created_key, i: last.id })
          : null,
    };
  }
}

interface AuditRow {
  id: string;
  action: string;
  actor_id: string;
  actor_kind: string;
  actor_name: string;
  object_type: string;
  object_id: string;
  details: Record<string, unknown>;
  created_at: Date;
  created_key: string;
}
