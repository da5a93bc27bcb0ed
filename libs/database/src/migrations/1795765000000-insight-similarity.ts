import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The similarity score of S3 overlap detection, as SQL functions so that the routes, the
 * cluster index and the quality test all run the same code on PGlite and PostgreSQL.
 *
 * score = ( Dice overlap of stemmed lexemes + trigram similarity of the text ) / 2
 * The lexeme overlap is computed with the `swedish` and the `english` configuration and
 * the lower of the two is kept: each configuration drops only its own language's stop
 * words, so the wrong one inflates the overlap with "och/att" or "the/and".
 */
export class InsightSimilarity1795765000000 implements MigrationInterface {
  name = 'InsightSimilarity1795765000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Long bodies are cut so one 10 000-character idea cannot make a query slow.
    await queryRunner.query(
      `CREATE FUNCTION insight_doc(title text, body text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT coalesce(title, '') || ' ' || left(coalesce(body, ''), 2000) $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION insight_lexemes(config regconfig, doc text) RETURNS text[]
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT tsvector_to_array(to_tsvector(config, doc)) $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION insight_dice(a text[], b text[]) RETURNS float8
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT CASE WHEN cardinality(a) + cardinality(b) = 0 THEN 0
         ELSE 2.0 * (SELECT count(*) FROM unnest(a) AS x WHERE x = ANY (b))
              / (cardinality(a) + cardinality(b)) END $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION insight_score(a_doc text, a_sv text[], a_en text[], b_doc text, b_sv text[], b_en text[])
       RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT (least(insight_dice(a_sv, b_sv), insight_dice(a_en, b_en)) + similarity(a_doc, b_doc)) / 2 $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION insight_similarity(a_doc text, b_doc text) RETURNS float8
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT insight_score(
         a_doc, insight_lexemes('swedish', a_doc), insight_lexemes('english', a_doc),
         b_doc, insight_lexemes('swedish', b_doc), insight_lexemes('english', b_doc)) $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION insight_similarity(text, text)`);
    await queryRunner.query(
      `DROP FUNCTION insight_score(text, text[], text[], text, text[], text[])`,
    );
    await queryRunner.query(`DROP FUNCTION insight_dice(text[], text[])`);
    await queryRunner.query(`DROP FUNCTION insight_lexemes(regconfig, text)`);
    await queryRunner.query(`DROP FUNCTION insight_doc(text, text)`);
  }
}
