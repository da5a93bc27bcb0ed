import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';

export type RegionKind = 'nuts2' | 'county';

/** A tenant: a NUTS-2 programme area or a county (NUTS-3), identified by its NUTS code. */
@Entity('regions')
@Check('CHK_regions_kind', `kind IN ('nuts2', 'county')`)
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  code!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: RegionKind;

  @Column({ name: 'parent_code', type: 'varchar', length: 10, nullable: true })
  parentCode!: string | null;

  @ManyToOne(() => Region, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_code' })
  parent?: Relation<Region> | null;
}
