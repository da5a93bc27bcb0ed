import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import { isStaffOf, type Actor } from '@edp/auth';
import { AuditTrail } from '../audit/audit-trail.js';
import { PriorityArea } from '../priority-areas/priority-area.entity.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { requireUser } from '../shared/access.js';
import { pgArray } from '../ideas/idea.view.js';
import { sql } from '../shared/sql.js';
import type { CreateProcessDto } from './dto/create-process.dto.js';
import type { ListProcessesQuery } from './dto/list-processes.query.js';
import type { UpdateProcessDto } from './dto/update-process.dto.js';
import { DiscoveryProcess, type Phase } from './process.entity.js';
import { ProcessPriorityArea } from './process-priority-area.entity.js';
import type { ProcessView } from './process.view.js';

/**
 * A process by id. `lock` shares its row, for a write that depends on the phase: a phase
 * change (ProcessesService.update locks the row FOR UPDATE) then waits for the write, and a
 * write that comes during one waits for it and reads the new phase.
 */
export function findProcess(
  manager: EntityManager,
  processId: string,
  lock: boolean,
): Promise<DiscoveryProcess | null> {
  return manager.findOne(DiscoveryProcess, {
    where: { id: processId },
    ...(lock ? { lock: { mode: 'pessimistic_read' as const } } : {}),
  });
}

/** A draft process is seen by its region's staff only; to anyone else it does not exist. */
export function requireVisible<P extends { phase: string; regionCode: string }>(
  actor: Actor | null,
  process: P | null | undefined,
): asserts process is P {
  if (!process || (process.phase === 'draft' && !isStaffOf(actor, process.regionCode))) {
    throw AppException.notFound('Process');
  }
}

/** The EDP is continuous: a closed or reviewed process may be reopened, but never unpublished. */
const TRANSITIONS: Record<Phase, readonly Phase[]> = {
  draft: ['open'],
  open: ['review', 'closed'],
  review: ['open', 'closed'],
  closed: ['open'],
};

const PROCESS_COLUMNS = `
  p.id, p.region_code, p.title, p.description, p.phase, p.created_at,
  p.created_at::text AS created_key,
  ARRAY(SELECT ppa.priority_area_id::text FROM process_priority_areas ppa
        WHERE ppa.process_id = p.id ORDER BY ppa.priority_area_id) AS priority_area_ids,
  (SELECT count(*)::int FROM ideas i WHERE i.process_id = p.id AND NOT i.hidden) AS idea_count`;

@Injectable()
export class ProcessesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async create(caller: Actor | null, input: CreateProcessDto): Promise<ProcessView> {
    const actor = requireUser(caller);
    const regionCode = input.regionCode ?? actor.regionCode;
    if (!regionCode) throw AppException.badRequest('VALIDATION_FAILED', 'regionCode is required');
    // The tenant comes from the token: staff create only in their own region.
    if (!isStaffOf(actor, regionCode)) {
      throw AppException.forbidden('You may create processes only in your own region');
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const region = await sql(manager, 'SELECT 1 FROM regions WHERE code = $1', [regionCode]);
      if (region.count === 0) throw AppException.notFound('Region');
      const areaIds = [...new Set(input.priorityAreaIds ?? [])];
      await this.assertAreasOfRegion(manager, regionCode, areaIds);
      const process = await manager.save(
        manager.create(DiscoveryProcess, {
          regionCode,
          title: input.title,
          description: input.description ?? '',
          phase: 'draft',
          createdBy: actor.id,
        }),
      );
      if (areaIds.length) {
        await manager.insert(
          ProcessPriorityArea,
          areaIds.map((priorityAreaId) => ({ processId: process.id, priorityAreaId })),
        );
      }
      await this.audit.record(manager, actor, {
        regionCode,
        processId: process.id,
        action: 'process.created',
        objectType: 'process',
        objectId: process.id,
        details: { title: process.title },
      });
      return process.id;
    });
    return this.view(this.dataSource.manager, id);
  }

  /** Published processes for everybody, plus drafts of the caller's own region for its staff. */
  async list(actor: Actor | null, query: ListProcessesQuery): Promise<Page<ProcessView>> {
    const cursor = decodeCursor(query.cursor, 'new');
    const params: unknown[] = [query.limit + 1];
    const where: string[] = [];
    if (!(actor?.kind === 'user' && actor.role === 'admin')) {
      const staffRegion =
        actor?.kind === 'user' && (actor.role === 'region' || actor.role === 'facilitator')
          ? actor.regionCode
          : null;
      params.push(staffRegion);
      where.push(`(p.phase <> 'draft' OR p.region_code = $${params.length})`);
    }
    if (query.region) {
      params.push(query.region);
      where.push(`p.region_code = $${params.length}`);
    }
    if (query.phase) {
      params.push(query.phase);
      where.push(`p.phase = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor.t, cursor.i);
      where.push(
        `(p.created_at, p.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    const { rows } = await sql<ProcessRow>(
      this.dataSource.manager,
      `SELECT ${PROCESS_COLUMNS} FROM processes p
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY p.created_at DESC, p.id DESC LIMIT $1`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toProcessView),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ s: 'new', t: last.created_key, i: last.id })
          : null,
    };
  }

  async getVisible(actor: Actor | null, processId: string): Promise<ProcessView> {
    await this.findVisible(this.dataSource.manager, actor, processId);
    return this.view(this.dataSource.manager, processId);
  }

  /** 404 when the caller may not see the process; 403 when it may see but not run it. */
  async requireStaff(actor: Actor | null, processId: string): Promise<DiscoveryProcess> {
    const process = await this.findVisible(this.dataSource.manager, actor, processId);
    if (!isStaffOf(actor, process.regionCode)) {
      throw AppException.forbidden('Only the region’s staff may do this');
    }
    return process;
  }

  /**
   * A draft exists only for its region's staff: everyone else gets the same 404 as for no
   * process. `lock` as for findProcess.
   */
  async findVisible(
    manager: EntityManager,
    actor: Actor | null,
    processId: string,
    lock = false,
  ): Promise<DiscoveryProcess> {
    const process = await findProcess(manager, processId, lock);
    requireVisible(actor, process);
    return process;
  }

  async update(
    actor: Actor | null,
    processId: string,
    input: UpdateProcessDto,
  ): Promise<ProcessView> {
    const user = requireUser(actor);
    if (input.title === undefined && input.description === undefined && !input.phase) {
      throw AppException.badRequest('VALIDATION_FAILED', 'Nothing to change');
    }
    await this.dataSource.transaction(async (manager) => {
      const process = await manager.findOne(DiscoveryProcess, {
        where: { id: processId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!process || (process.phase === 'draft' && !isStaffOf(user, process.regionCode))) {
        throw AppException.notFound('Process');
      }
      if (!isStaffOf(user, process.regionCode)) {
        throw AppException.forbidden('Only the region’s staff may change a process');
      }
      const from = process.phase;
      if (input.phase && input.phase !== from && !TRANSITIONS[from].includes(input.phase)) {
        throw AppException.conflict(
          'INVALID_PHASE_TRANSITION',
          `A process cannot go from ${from} to ${input.phase}`,
        );
      }
      const changes: Partial<DiscoveryProcess> = {};
      if (input.title !== undefined) changes.title = input.title;
      if (input.description !== undefined) changes.description = input.description;
      if (input.phase) changes.phase = input.phase;
      await manager.update(DiscoveryProcess, { id: processId }, changes);
      const entry = { regionCode: process.regionCode, processId, objectType: 'process' as const };
      if (input.phase && input.phase !== from) {
        await this.audit.record(manager, user, {
          ...entry,
          action: 'process.phase-changed',
          objectId: processId,
          details: { from, to: input.phase },
        });
      }
      if (input.title !== undefined || input.description !== undefined) {
        await this.audit.record(manager, user, {
          ...entry,
          action: 'process.updated',
          objectId: processId,
          details: {
            fields: Object.keys(changes).filter((key) => key !== 'phase'),
          },
        });
      }
    });
    return this.view(this.dataSource.manager, processId);
  }

  async view(manager: EntityManager, processId: string): Promise<ProcessView> {
    const { rows } = await sql<ProcessRow>(
      manager,
      `SELECT ${PROCESS_COLUMNS} FROM processes p WHERE p.id = $1`,
      [processId],
    );
    if (!rows[0]) throw AppException.notFound('Process');
    return toProcessView(rows[0]);
  }

  private async assertAreasOfRegion(
    manager: EntityManager,
    regionCode: string,
    areaIds: string[],
  ): Promise<void> {
    if (!areaIds.length) return;
    const found = await manager
      .createQueryBuilder(PriorityArea, 'a')
      .where('a.id IN (:...ids) AND a.region_code = :regionCode', { ids: areaIds, regionCode })
      .getCount();
    if (found !== areaIds.length) {
      throw AppException.unprocessable(
        'INVALID_PRIORITY_AREA',
        'Every priority area must belong to the process’s region',
      );
    }
  }
}

interface ProcessRow {
  id: string;
  region_code: string;
  title: string;
  description: string;
  phase: Phase;
  created_at: Date;
  created_key: string;
  priority_area_ids: string[] | string;
  idea_count: number;
}

function toProcessView(row: ProcessRow): ProcessView {
  return {
    id: row.id,
    regionCode: row.region_code,
    title: row.title,
    description: row.description,
    phase: row.phase,
    priorityAreaIds: pgArray(row.priority_area_ids),
    ideaCount: Number(row.idea_count),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
