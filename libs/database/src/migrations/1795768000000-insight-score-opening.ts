import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trigram similarity compares the title and the opening of the body (500 characters), where
 * a proposal is stated: two long texts of one field otherwise share most of their trigrams.
 * The lexeme overlap still reads the first 2 000 characters.
 */
export class InsightScoreOpening1795768000000 implements MigrationInterface {
  name = 'InsightScoreOpening1795768000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION insight_score(a_doc text, a_sv text[], a_en text[], b_doc text, b_sv text[], b_en text[])
       RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT (least(insight_dice(a_sv, b_sv), insight_dice(a_en, b_en))
                     + similarity(left(a_doc, 500), left(b_doc, 500))) / 2 $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION insight_score(a_doc text, a_sv text[], a_en text[], b_doc text, b_sv text[], b_en text[])
       RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT (least(insight_dice(a_sv, b_sv), insight_dice(a_en, b_en)) + similarity(a_doc, b_doc)) / 2 $$`,
    );
  }
}
