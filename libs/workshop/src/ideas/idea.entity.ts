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
import { User, type Helix } from '@edp/auth';
import { DiscoveryProcess } from '../processes/process.entity.js';

export const IDEA_STATUSES = [
  'submitted',
  'shortlisted',
  'prioritised',
  'rejected',
  'merged',
] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

@Entity('ideas')
@Check(
  'CHK_ideas_status',
  `status IN ('submitted', 'shortlisted', 'prioritised', 'rejected', 'merged')`,
)
@Check('CHK_ideas_one_author', `(author_user_id IS NULL) <> (author_guest_id IS NULL)`)
@Check('CHK_ideas_merged', `(status = 'merged') = (merged_into_id IS NOT NULL)`)
@Check('CHK_ideas_vote_count', `vote_count >= 0`)
@Check('CHK_ideas_comment_count', `comment_count >= 0`)
@Check('CHK_ideas_title_length', `char_length(title) BETWEEN 3 AND 200`)
@Check('CHK_ideas_body_length', `char_length(body) <= 10000`)
@Index('UQ_ideas_user_client', ['authorUserId', 'clientId'], { unique: true })
@Index('UQ_ideas_guest_client', ['authorGuestId', 'clientId'], { unique: true })
@Index('IDX_ideas_process_created', ['processId', 'createdAt'])
@Index('IDX_ideas_process_votes', ['processId', 'voteCount'])
export class Idea {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'process_id', type: 'uuid' })
  processId!: string;

  @ManyToOne(() => DiscoveryProcess, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'process_id' })
  process?: Relation<DiscoveryProcess>;

  /** The live workshop it came from; the FK to `workshops` is added by libs/realtime. */
  @Index('IDX_ideas_workshop')
  @Column({ name: 'workshop_id', type: 'uuid', nullable: true })
  workshopId!: string | null;

  @Index('IDX_ideas_author_user')
  @Column({ name: 'author_user_id', type: 'uuid', nullable: true })
  authorUserId!: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_user_id' })
  authorUser?: Relation<User> | null;

  @Column({ name: 'author_guest_id', type: 'uuid', nullable: true })
  authorGuestId!: string | null;

  /** Snapshots at submission: later changes to the account do not rewrite history. */
  @Column({ name: 'author_name', type: 'varchar', length: 60 })
  authorName!: string;

  @Column({ name: 'organisation_name', type: 'varchar', length: 200, nullable: true })
  organisationName!: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  helix!: Helix | null;

  @Column({ name: 'client_id', type: 'varchar', length: 100, nullable: true })
  clientId!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  body!: string;

  @Column({ type: 'varchar', length: 12, default: 'submitted' })
  status!: IdeaStatus;

  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId!: string | null;

  @ManyToOne(() => Idea, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'merged_into_id' })
  mergedInto?: Relation<Idea> | null;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  @Column({ name: 'vote_count', type: 'int', default: 0 })
  voteCount!: number;

  @Column({ name: 'comment_count', type: 'int', default: 0 })
  commentCount!: number;

  @Index('IDX_ideas_search', { type: 'gin' })
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: `to_tsvector('swedish', coalesce(title, '') || ' ' || coalesce(body, ''))`,
  })
  search?: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
