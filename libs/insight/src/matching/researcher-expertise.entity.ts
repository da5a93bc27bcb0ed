import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { User } from '@edp/auth';

/** A researcher's expertise profile: keywords and a short text, Swedish or English. */
@Entity('researcher_expertise')
@Check('CHK_researcher_expertise_text', `char_length(text) <= 2000`)
@Check('CHK_researcher_expertise_keywords', `cardinality(keywords) <= 30`)
export class ResearcherExpertise {
  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_researcher_expertise',
  })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_researcher_expertise_user' })
  user?: Relation<User>;

  @Column({ type: 'text', array: true, default: '{}' })
  keywords!: string[];

  @Column({ type: 'text', default: '' })
  text!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
