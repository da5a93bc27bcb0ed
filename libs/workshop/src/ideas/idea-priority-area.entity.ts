import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { PriorityArea } from '../priority-areas/priority-area.entity.js';
import { Idea } from './idea.entity.js';

@Entity('idea_priority_areas')
export class IdeaPriorityArea {
  @PrimaryColumn({ name: 'idea_id', type: 'uuid' })
  ideaId!: string;

  @Index('IDX_idea_priority_areas_area')
  @PrimaryColumn({ name: 'priority_area_id', type: 'uuid' })
  priorityAreaId!: string;

  @ManyToOne(() => Idea, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'idea_id' })
  idea?: Relation<Idea>;

  @ManyToOne(() => PriorityArea, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'priority_area_id' })
  priorityArea?: Relation<PriorityArea>;
}
