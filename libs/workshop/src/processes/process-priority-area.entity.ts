import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { PriorityArea } from '../priority-areas/priority-area.entity.js';
import { DiscoveryProcess } from './process.entity.js';

/** The priority areas a process asks input for. */
@Entity('process_priority_areas')
export class ProcessPriorityArea {
  @PrimaryColumn({ name: 'process_id', type: 'uuid' })
  processId!: string;

  @Index('IDX_process_priority_areas_area')
  @PrimaryColumn({ name: 'priority_area_id', type: 'uuid' })
  priorityAreaId!: string;

  @ManyToOne(() => DiscoveryProcess, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'process_id' })
  process?: Relation<DiscoveryProcess>;

  @ManyToOne(() => PriorityArea, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'priority_area_id' })
  priorityArea?: Relation<PriorityArea>;
}
