import {
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
import { Region } from '@edp/auth';

/** A region's strength area (styrkeområde), optionally tied to NACE codes. */
@Entity('priority_areas')
@Unique('UQ_priority_areas_region_name', ['regionCode', 'name'])
export class PriorityArea {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_priority_areas_region')
  @Column({ name: 'region_code', type: 'varchar', length: 10 })
  regionCode!: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Relation<Region>;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'nace_codes', type: 'text', array: true, default: () => "'{}'" })
  naceCodes!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
