import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LiveWorkshops1795764101033 implements MigrationInterface {
  name = 'LiveWorkshops1795764101033';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workshops" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "process_id" uuid NOT NULL, "region_code" character varying(10) NOT NULL, "title" character varying(200) NOT NULL, "join_code" character varying(6) NOT NULL, "stage" character varying(10) NOT NULL DEFAULT 'lobby', "voting_mode" character varying(4) NOT NULL, "dot_budget" integer NOT NULL, "max_dots_per_idea" integer NOT NULL, "allow_guests" boolean NOT NULL DEFAULT true, "voting_started" boolean NOT NULL DEFAULT false, "timer_ends_at" TIMESTAMP WITH TIME ZONE, "spotlight_idea_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_workshops_max_dots" CHECK (max_dots_per_idea BETWEEN 1 AND dot_budget), CONSTRAINT "CHK_workshops_dot_budget" CHECK (dot_budget BETWEEN 1 AND 100), CONSTRAINT "CHK_workshops_join_code" CHECK (join_code ~ '^[A-HJKMNP-Z2-9]{6}$'), CONSTRAINT "CHK_workshops_voting_mode" CHECK (voting_mode IN ('up', 'dots')), CONSTRAINT "CHK_workshops_stage" CHECK (stage IN ('lobby', 'ideation', 'voting', 'results', 'closed')), CONSTRAINT "PK_6d0e82a124f5b53df91c8989848" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_workshops_process" ON "workshops"  ("process_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_workshops_join_code_open" ON "workshops"  ("join_code") WHERE stage <> 'closed'`,
    );
    await queryRunner.query(
      `CREATE TABLE "workshop_participants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workshop_id" uuid NOT NULL, "user_id" uuid, "display_name" character varying(60) NOT NULL, "dots_spent" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_workshop_participants_dots" CHECK (dots_spent >= 0), CONSTRAINT "PK_62cebe64adc1eb830364219f205" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_workshop_participants_user" ON "workshop_participants"  ("workshop_id", "user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workshop_votes" ("participant_id" uuid NOT NULL, "idea_id" uuid NOT NULL, "workshop_id" uuid NOT NULL, "dots" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_workshop_votes_dots" CHECK (dots BETWEEN 1 AND 100), CONSTRAINT "PK_a9745460df9e1b75cd5aa173801" PRIMARY KEY ("participant_id", "idea_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_workshop_votes_workshop_idea" ON "workshop_votes"  ("workshop_id", "idea_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workshop_vote_requests" ("participant_id" uuid NOT NULL, "client_id" character varying(100) NOT NULL, "result" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6409c10260312a0a6586c91eb48" PRIMARY KEY ("participant_id", "client_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" ADD CONSTRAINT "FK_544bec36fd908fad2471944e897" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" ADD CONSTRAINT "FK_075faefc9ed9d23062a3c93faf8" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_participants" ADD CONSTRAINT "FK_0eb3e098b5194452750d4d5fb9f" FOREIGN KEY ("workshop_id") REFERENCES "workshops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_participants" ADD CONSTRAINT "FK_284a82276a8bee3b8cdef786fbb" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_votes" ADD CONSTRAINT "FK_2a0a20021dfef1075103594c227" FOREIGN KEY ("participant_id") REFERENCES "workshop_participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_votes" ADD CONSTRAINT "FK_8e1f876e4eef384608eca9dccc1" FOREIGN KEY ("workshop_id") REFERENCES "workshops"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_vote_requests" ADD CONSTRAINT "FK_2ae0abccc653cd64c594879377a" FOREIGN KEY ("participant_id") REFERENCES "workshop_participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "workshop_vote_requests" DROP CONSTRAINT "FK_2ae0abccc653cd64c594879377a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_votes" DROP CONSTRAINT "FK_8e1f876e4eef384608eca9dccc1"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_votes" DROP CONSTRAINT "FK_2a0a20021dfef1075103594c227"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_participants" DROP CONSTRAINT "FK_284a82276a8bee3b8cdef786fbb"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshop_participants" DROP CONSTRAINT "FK_0eb3e098b5194452750d4d5fb9f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" DROP CONSTRAINT "FK_075faefc9ed9d23062a3c93faf8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "workshops" DROP CONSTRAINT "FK_544bec36fd908fad2471944e897"`,
    );
    await queryRunner.query(`DROP TABLE "workshop_vote_requests"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_workshop_votes_workshop_idea"`);
    await queryRunner.query(`DROP TABLE "workshop_votes"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_workshop_participants_user"`);
    await queryRunner.query(`DROP TABLE "workshop_participants"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_workshops_join_code_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_workshops_process"`);
    await queryRunner.query(`DROP TABLE "workshops"`);
  }
}
