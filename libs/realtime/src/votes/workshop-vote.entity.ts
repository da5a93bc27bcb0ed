import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Idea } from '@edp/workshop';
import { Workshop } from '../workshops/workshop.entity.js';
import { WorkshopParticipant } from '../workshops/workshop-participant.entity.js';

/** The dots one participant has put on one idea (one support vote in `up` mode). */
@Entity('workshop_votes')
@Check('CHK_workshop_votes_dots', `dots BETWEEN 1 AND 100`)
@Index('IDX_workshop_votes_workshop_idea', ['workshopId', 'ideaId'])
export class WorkshopVote {
  @PrimaryColumn({ name: 'participant_id', type: 'uuid' })
  participantId!: string;

  @PrimaryColumn({ name: 'idea_id', type: 'uuid' })
  ideaId!: string;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id' })
  idea?: Relation<Idea>;

  @ManyToOne(() => WorkshopParticipant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Relation<WorkshopParticipant>;

  @Column({ name: 'workshop_id', type: 'uuid' })
  workshopId!: string;

  @ManyToOne(() => Workshop, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workshop_id' })
  workshop?: Relation<Workshop>;

  @Column({ type: 'int' })
  dots!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
