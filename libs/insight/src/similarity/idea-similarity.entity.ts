import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { Idea } from '@edp/workshop';

/**
 * One similar pair (stored once, lower id first) found by the similarity index. Visibility is
 * applied when read, so hiding an idea or publishing a process needs no re-indexing.
 */
@Entity('idea_similarities')
@Check('CHK_idea_similarities_order', `idea_id < other_idea_id`)
@Index('IDX_idea_similarities_other', ['otherIdeaId'])
export class IdeaSimilarity {
  @PrimaryColumn({
    name: 'idea_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_idea_similarities',
  })
  ideaId!: string;

  @PrimaryColumn({
    name: 'other_idea_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_idea_similarities',
  })
  otherIdeaId!: string;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'FK_idea_similarities_idea' })
  idea?: Relation<Idea>;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'other_idea_id', foreignKeyConstraintName: 'FK_idea_similarities_other' })
  other?: Relation<Idea>;

  @Column({ type: 'real' })
  score!: number;
}

/** Which text of an idea its pairs were computed from (md5 of the compared document). */
@Entity('idea_similarity_state')
export class IdeaSimilarityState {
  @PrimaryColumn({
    name: 'idea_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_idea_similarity_state',
  })
  ideaId!: string;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id', foreignKeyConstraintName: 'FK_idea_similarity_state_idea' })
  idea?: Relation<Idea>;

  @Column({ name: 'doc_hash', type: 'varchar', length: 32 })
  docHash!: string;

  /** The compared document and its lexemes, as the `insight_*` SQL functions compute them. */
  @Column({ type: 'text', default: '' })
  doc!: string;

  @Column({ type: 'text', array: true, default: '{}' })
  sv!: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  en!: string[];

  @Column({ name: 'indexed_at', type: 'timestamptz', default: () => 'now()' })
  indexedAt!: Date;
}
