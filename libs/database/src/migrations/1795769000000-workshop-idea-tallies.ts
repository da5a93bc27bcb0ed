import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A maintained dot count per idea of a live workshop. Summing `workshop_votes` on every cast
 * and every coalesced broadcast cost a scan of one row per voter; the count is kept in the
 * same statement that writes the vote (see DotVotesService), so it cannot drift from the rows.
 */
export class WorkshopIdeaTallies1795769000000 implements MigrationInterface {
  name = 'WorkshopIdeaTallies1795769000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workshop_idea_tallies" ("idea_id" uuid NOT NULL, "workshop_id" uuid NOT NULL, "dots" integer NOT NULL DEFAULT 0, CONSTRAINT "CHK_workshop_idea_tallies_dots" CHECK (dots >= 0), CONSTRAINT "PK_workshop_idea_tallies" PRIMARY KEY ("idea_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_workshop_idea_tallies_workshop" ON "workshop_idea_tallies" ("workshop_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_idea_tallies" ADD CONSTRAINT "FK_workshop_idea_tallies_idea" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_idea_tallies" ADD CONSTRAINT "FK_workshop_idea_tallies_workshop" FOREIGN KEY ("workshop_id") REFERENCES "workshops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "workshop_idea_tallies" ("idea_id", "workshop_id", "dots")
       SELECT idea_id, workshop_id, SUM(dots) FROM workshop_votes GROUP BY idea_id, workshop_id`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "workshop_idea_tallies"`);
  }
}
