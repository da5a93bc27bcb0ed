import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which object: staff actions and moderation, append-only. */
@Entity('audit_events')
@Index('IDX_audit_events_process_created', ['processId', 'createdAt'])
@Index('IDX_audit_events_region_created', ['regionCode', 'createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 10 })
  regionCode!: string;

  @Column({ name: 'process_id', type: 'uuid', nullable: true })
  processId!: string | null;

  /** No FK: the trail outlives accounts. */
  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @Column({ name: 'actor_kind', type: 'varchar', length: 10 })
  actorKind!: 'user' | 'guest';

  @Column({ name: 'actor_name', type: 'varchar', length: 60 })
  actorName!: string;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ name: 'object_type', type: 'varchar', length: 20 })
  objectType!: string;

  @Column({ name: 'object_id', type: 'uuid' })
  objectId!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
