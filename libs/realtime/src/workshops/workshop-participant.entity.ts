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
import { User } from '@edp/auth';
import { Workshop } from './workshop.entity.js';

/**
 * Someone who joined a workshop: a signed-in user (one row per user) or a guest (the row
 * id is the guest token's subject). Its row is the lock every dot vote takes.
 */
@Entity('workshop_participants')
@Check('CHK_workshop_participants_dots', `dots_spent >= 0`)
@Index('UQ_workshop_participants_user', ['workshopId', 'userId'], { unique: true })
export class WorkshopParticipant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workshop_id', type: 'uuid' })
  workshopId!: string;

  @ManyToOne(() => Workshop, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workshop_id' })
  workshop?: Relation<Workshop>;

  /** null for a guest. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User> | null;

  @Column({ name: 'display_name', type: 'varchar', length: 60 })
  displayName!: string;

  /** Counter kept in the vote's transaction; equals the sum of this participant's vote rows. */
  @Column({ name: 'dots_spent', type: 'int', default: 0 })
  dotsSpent!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
