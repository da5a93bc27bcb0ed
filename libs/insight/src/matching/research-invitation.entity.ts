import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from 'typeorm';
import { User } from '@edp/auth';
import { Idea } from '@edp/workshop';

export const INVITATION_STATUSES = ['pending', 'accepted', 'declined'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** An idea's author invites a researcher to contribute; accepted ones are its contributors. */
@Entity('research_invitations')
@Unique('UQ_research_invitations_idea_researcher', ['ideaId', 'researcherId'])
@Check('CHK_research_invitations_status', `status IN ('pending', 'accepted', 'declined')`)
@Index('IDX_research_invitations_researcher', ['researcherId', 'createdAt'])
export class ResearchInvitation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_research_invitations' })
  id!: string;

  @Column({ name: 'idea_id', type: 'uuid' })
  ideaId!: string;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'FK_research_invitations_idea' })
  idea?: Relation<Idea>;

  @Column({ name: 'researcher_id', type: 'uuid' })
  researcherId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'researcher_id',
    foreignKeyConstraintName: 'FK_research_invitations_researcher',
  })
  researcher?: Relation<User>;

  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy!: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by', foreignKeyConstraintName: 'FK_research_invitations_inviter' })
  inviter?: Relation<User> | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: InvitationStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;
}
