import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Region, User } from '@edp/auth';
import { DiscoveryProcess, Idea } from '@edp/workshop';

export const STAGES = ['lobby', 'ideation', 'voting', 'results', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const VOTING_MODES = ['up', 'dots'] as const;
export type VotingMode = (typeof VOTING_MODES)[number];

/** A live session inside a discovery process. */
@Entity('workshops')
@Check('CHK_workshops_stage', `stage IN ('lobby', 'ideation', 'voting', 'results', 'closed')`)
@Check('CHK_workshops_voting_mode', `voting_mode IN ('up', 'dots')`)
@Check('CHK_workshops_join_code', `join_code ~ '^[A-HJKMNP-Z2-9]{6}$'`)
@Check('CHK_workshops_dot_budget', `dot_budget BETWEEN 1 AND 100`)
@Check('CHK_workshops_max_dots', `max_dots_per_idea BETWEEN 1 AND dot_budget`)
// A code is reusable once its workshop is closed, so codes stay short.
@Index('UQ_workshops_join_code_open', ['joinCode'], { unique: true, where: `stage <> 'closed'` })
export class Workshop {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_workshops_process')
  @Column({ name: 'process_id', type: 'uuid' })
  processId!: string;

  @ManyToOne(() => DiscoveryProcess, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'process_id' })
  process?: Relation<DiscoveryProcess>;

  /** Copied from the process at creation: every access check needs it. */
  @Column({ name: 'region_code', type: 'varchar', length: 10 })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Relation<Region>;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ name: 'join_code', type: 'varchar', length: 6 })
  joinCode!: string;

  @Column({ type: 'varchar', length: 10, default: 'lobby' })
  stage!: Stage;

  @Column({ name: 'voting_mode', type: 'varchar', length: 4 })
  votingMode!: VotingMode;

  @Column({ name: 'dot_budget', type: 'int' })
  dotBudget!: number;

  @Column({ name: 'max_dots_per_idea', type: 'int' })
  maxDotsPerIdea!: number;

  @Column({ name: 'allow_guests', type: 'boolean', default: true })
  allowGuests!: boolean;

  /** Set by the first vote; voting settings can no longer change after it. */
  @Column({ name: 'voting_started', type: 'boolean', default: false })
  votingStarted!: boolean;

  @Column({ name: 'timer_ends_at', type: 'timestamptz', nullable: true })
  timerEndsAt!: Date | null;

  @Column({ name: 'spotlight_idea_id', type: 'uuid', nullable: true })
  spotlightIdeaId!: string | null;

  @ManyToOne(() => Idea, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'spotlight_idea_id' })
  spotlightIdea?: Relation<Idea> | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: Relation<User> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
