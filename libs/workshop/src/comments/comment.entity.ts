import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { User, type Helix } from '@edp/auth';
import { Idea } from '../ideas/idea.entity.js';

export const COMMENT_KINDS = ['comment', 'expertise'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

@Entity('comments')
@Check('CHK_comments_kind', `kind IN ('comment', 'expertise')`)
@Check('CHK_comments_one_author', `(author_user_id IS NULL) <> (author_guest_id IS NULL)`)
@Check('CHK_comments_body_length', `char_length(body) BETWEEN 1 AND 5000`)
@Index('UQ_comments_user_client', ['authorUserId', 'clientId'], { unique: true })
@Index('UQ_comments_guest_client', ['authorGuestId', 'clientId'], { unique: true })
@Index('IDX_comments_idea_created', ['ideaId', 'createdAt'])
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'idea_id', type: 'uuid' })
  ideaId!: string;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id' })
  idea?: Relation<Idea>;

  @Index('IDX_comments_parent')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => Comment, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<Comment> | null;

  @Column({ name: 'author_user_id', type: 'uuid', nullable: true })
  authorUserId!: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_user_id' })
  authorUser?: Relation<User> | null;

  @Column({ name: 'author_guest_id', type: 'uuid', nullable: true })
  authorGuestId!: string | null;

  @Column({ name: 'author_name', type: 'varchar', length: 60 })
  authorName!: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  helix!: Helix | null;

  @Column({ name: 'client_id', type: 'varchar', length: 100, nullable: true })
  clientId!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 10, default: 'comment' })
  kind!: CommentKind;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
