import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The similarity index keeps each idea's analysed document (text and its Swedish and English
 * lexemes), so finding pairs does not re-analyse every candidate's text.
 */
export class InsightFingerprints1795767000000 implements MigrationInterface {
  name = 'InsightFingerprints1795767000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idea_similarity_state" ADD "doc" text NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_similarity_state" ADD "sv" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_similarity_state" ADD "en" text array NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idea_similarity_state" DROP COLUMN "en"`);
    await queryRunner.query(`ALTER TABLE "idea_similarity_state" DROP COLUMN "sv"`);
    await queryRunner.query(`ALTER TABLE "idea_similarity_state" DROP COLUMN "doc"`);
  }
}
