import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Extensions every later migration relies on. */
export class Init1764230000000 implements MigrationInterface {
  name = 'Init1764230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
