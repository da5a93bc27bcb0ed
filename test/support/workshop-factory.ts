import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import {
  DiscoveryProcess,
  PriorityArea,
  ProcessPriorityArea,
  type IdeaView,
  type Phase,
} from '@edp/workshop';
import type { MadeUser } from './factories.js';
import type { TestApp } from './test-app.js';

/** Workshop-service data: processes and priority areas straight into the DB, ideas over HTTP. */
export class WorkshopFactory {
  private counter = 0;

  constructor(private readonly t: TestApp) {}

  /** An idea's support-vote counter and its number of vote rows (they must always agree). */
  async supportVotes(ideaId: string): Promise<{ counter: number; rows: number }> {
    const [row] = await this.t.dataSource.query(
      `SELECT vote_count AS counter, (SELECT count(*)::int FROM idea_votes WHERE idea_id = $1) AS rows
       FROM ideas WHERE id = $1`,
      [ideaId],
    );
    return { counter: Number(row.counter), rows: Number(row.rows) };
  }

  async priorityArea(regionCode = 'SE224', name?: string): Promise<PriorityArea> {
    const manager = this.t.dataSource.manager;
    return manager.save(
      manager.create(PriorityArea, {
        regionCode,
        name: name ?? `Område ${++this.counter} ${randomUUID().slice(0, 6)}`,
        description: '',
        naceCodes: [],
      }),
    );
  }

  async process(
    options: {
      regionCode?: string;
      phase?: Phase;
      title?: string;
      priorityAreaIds?: string[];
    } = {},
  ): Promise<DiscoveryProcess> {
    const manager = this.t.dataSource.manager;
    const process = await manager.save(
      manager.create(DiscoveryProcess, {
        regionCode: options.regionCode ?? 'SE224',
        title: options.title ?? `Upptäcktsprocess ${++this.counter}`,
        description: '',
        phase: options.phase ?? 'open',
        createdBy: null,
      }),
    );
    if (options.priorityAreaIds?.length) {
      await manager.insert(
        ProcessPriorityArea,
        options.priorityAreaIds.map((priorityAreaId) => ({
          processId: process.id,
          priorityAreaId,
        })),
      );
    }
    return process;
  }

  /** Submits through the public route, so every idea took the real path. */
  async idea(
    author: MadeUser,
    processId: string,
    input: { title?: string; body?: string; priorityAreaIds?: string[]; clientId?: string } = {},
  ): Promise<IdeaView> {
    const res = await this.t
      .http()
      .post(`/api/processes/${processId}/ideas`)
      .set(author.auth)
      .send({ title: input.title ?? `Idé nummer ${++this.counter}`, ...input });
    expect(res.status).toBe(201);
    return res.body as IdeaView;
  }

  /** A live workshop row (libs/realtime's table), for ideas that come from a workshop. */
  async workshop(processId: string, regionCode = 'SE224'): Promise<string> {
    const code = Array.from(
      { length: 6 },
      () => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 31)],
    ).join('');
    const rows: { id: string }[] = await this.t.dataSource.query(
      `INSERT INTO workshops (process_id, region_code, title, join_code, voting_mode, dot_budget, max_dots_per_idea)
       VALUES ($1, $2, 'Verkstad', $3, 'up', 5, 1) RETURNING id`,
      [processId, regionCode, code],
    );
    return rows[0].id;
  }

  async setPhase(processId: string, phase: Phase): Promise<void> {
    await this.t.dataSource.manager.update(DiscoveryProcess, { id: processId }, { phase });
  }

  /** Row count and content hash of every workshop table: proves that nothing changed. */
  async snapshot(): Promise<Record<string, string>> {
    const tables = [
      'priority_areas',
      'processes',
      'process_priority_areas',
      'ideas',
      'idea_priority_areas',
      'idea_votes',
      'comments',
      'audit_events',
    ];
    const result: Record<string, string> = {};
    for (const table of tables) {
      const rows: { n: number; h: string | null }[] = await this.t.dataSource.query(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h
         FROM ${table} t`,
      );
      result[table] = `${rows[0].n}:${rows[0].h ?? ''}`;
    }
    return result;
  }
}
