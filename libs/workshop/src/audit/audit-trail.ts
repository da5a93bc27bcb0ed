import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@edp/auth';
import { authorName } from '../shared/author-name.js';
import { AuditEvent } from './audit-event.entity.js';

export type AuditAction =
  | 'process.created'
  | 'process.updated'
  | 'process.phase-changed'
  | 'priority-area.created'
  | 'idea.status-changed'
  | 'idea.merged'
  | 'idea.hidden'
  | 'idea.unhidden'
  | 'comment.hidden'
  | 'comment.unhidden';

export interface AuditEntry {
  regionCode: string;
  processId: string | null;
  action: AuditAction;
  objectType: 'process' | 'idea' | 'comment' | 'priority-area';
  objectId: string;
  details?: Record<string, unknown>;
}

/** Records staff actions. */
@Injectable()
export class AuditTrail {
  /** Written in the caller's transaction: the action and its record commit together. */
  async record(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    await manager.save(
      manager.create(AuditEvent, {
        ...entry,
        details: entry.details ?? {},
        actorId: actor.id,
        actorKind: actor.kind,
        actorName: authorName(actor.displayName),
      }),
    );
  }
}
