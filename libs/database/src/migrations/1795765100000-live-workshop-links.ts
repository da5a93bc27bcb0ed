import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LiveWorkshopLinks1795765100000 implements MigrationInterface {
  name = 'LiveWorkshopLinks1795765100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // ideas.workshop_id belongs to libs/workshop, which may not import workshops: the key is
    // declared here only, so `migration:generate` lists a DROP of FK_ideas_workshop — delete it.
    await queryRunner.query(
      `ALTER TABLE "ideas" ADD CONSTRAINT "FK_ideas_workshop" FOREIGN KEY ("workshop_id") REFERENCES "workshops"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" ADD CONSTRAINT "FK_452c80f41b6ffef6a91f0dcb4d9" FOREIGN KEY ("process_id") REFERENCES "processes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" ADD CONSTRAINT "FK_5e1f2eff9db4ea90cc45a2f76df" FOREIGN KEY ("spotlight_idea_id") REFERENCES "ideas"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_votes" ADD CONSTRAINT "FK_70cbb7b43f1b251ce3db43e50b3" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ideas" DROP CONSTRAINT "FK_ideas_workshop"`);
    await queryRunner.query(
      `ALTER TABLE "workshop_votes" DROP CONSTRAINT "FK_70cbb7b43f1b251ce3db43e50b3"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" DROP CONSTRAINT "FK_5e1f2eff9db4ea90cc45a2f76df"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" DROP CONSTRAINT "FK_452c80f41b6ffef6a91f0dcb4d9"`,
    );
  }
}
