import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { WorkshopParticipant } from '../workshops/workshop-participant.entity.js';

/**
 * The result of each committed `vote:cast`, keyed by the client's id for it: a phone that
 * retries after a dropped connection gets the first result back instead of a second vote.
 */
@Entity('workshop_vote_requests')
export class VoteRequest {
  @PrimaryColumn({ name: 'participant_id', type: 'uuid' })
  participantId!: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 100 })
  clientId!: string;

  @ManyToOne(() => WorkshopParticipant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Relation<WorkshopParticipant>;

  @Column({ type: 'jsonb' })
  result!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
