import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const HELICES = ['industry', 'academia', 'public', 'civil'] as const;
export type Helix = (typeof HELICES)[number];

@Entity('organisations')
@Check('CHK_organisations_helix', `helix IN ('industry', 'academia', 'public', 'civil')`)
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  helix!: Helix;

  @Column({ name: 'org_number', type: 'varchar', length: 20, nullable: true })
  orgNumber!: string | null;

  @Column({ name: 'nace_code', type: 'varchar', length: 10, nullable: true })
  naceCode!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
