import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workshop service (issue 4): priority areas, discovery processes, ideas with a
 * generated Swedish tsvector (GIN), support votes keyed (idea, user), threaded comments and
 * the audit trail. `ideas.workshop_id` has no FK here: libs/realtime adds it.
 */
export class WorkshopService1795764258034 implements MigrationInterface {
  name = 'WorkshopService1795764258034';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(10) NOT NULL, "process_id" uuid, "actor_id" uuid NOT NULL, "actor_kind" character varying(10) NOT NULL, "actor_name" character varying(60) NOT NULL, "action" character varying(40) NOT NULL, "object_type" character varying(20) NOT NULL, "object_id" uuid NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_region_created" ON "audit_events"  ("region_code", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_events_process_created" ON "audit_events"  ("process_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "priority_areas" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(10) NOT NULL, "name" character varying(120) NOT NULL, "description" text NOT NULL DEFAULT '', "nace_codes" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_priority_areas_region_name" UNIQUE ("region_code", "name"), CONSTRAINT "PK_2a938896a5e523c27cddec7b893" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_priority_areas_region" ON "priority_areas"  ("region_code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "processes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "region_code" character varying(10) NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "phase" character varying(10) NOT NULL DEFAULT 'draft', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_processes_phase" CHECK (phase IN ('draft', 'open', 'review', 'closed')), CONSTRAINT "PK_566885de50f7d20a6df306c12e6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_processes_region_created" ON "processes"  ("region_code", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "process_priority_areas" ("process_id" uuid NOT NULL, "priority_area_id" uuid NOT NULL, CONSTRAINT "PK_453fd1f600103c886c9ad51d147" PRIMARY KEY ("process_id", "priority_area_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_process_priority_areas_area" ON "process_priority_areas"  ("priority_area_id") `,
    );
    // TypeORM records generated columns in its metadata table (created here when a data
    // source without entities runs the migrations); the database name differs per install.
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" character varying NOT NULL, "database" character varying, "schema" character varying, "table" character varying, "name" character varying, "value" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        await queryRunner.getCurrentDatabase(),
        await queryRunner.getCurrentSchema(),
        'ideas',
        'GENERATED_COLUMN',
        'search',
        "to_tsvector('swedish', coalesce(title, '') || ' ' || coalesce(body, ''))",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "ideas" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "process_id" uuid NOT NULL, "workshop_id" uuid, "author_user_id" uuid, "author_guest_id" uuid, "author_name" character varying(60) NOT NULL, "organisation_name" character varying(200), "helix" character varying(10), "client_id" character varying(100), "title" text NOT NULL, "body" text NOT NULL DEFAULT '', "status" character varying(12) NOT NULL DEFAULT 'submitted', "merged_into_id" uuid, "hidden" boolean NOT NULL DEFAULT false, "vote_count" integer NOT NULL DEFAULT '0', "comment_count" integer NOT NULL DEFAULT '0', "search" tsvector GENERATED ALWAYS AS (to_tsvector('swedish', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_ideas_body_length" CHECK (char_length(body) <= 10000), CONSTRAINT "CHK_ideas_title_length" CHECK (char_length(title) BETWEEN 3 AND 200), CONSTRAINT "CHK_ideas_comment_count" CHECK (comment_count >= 0), CONSTRAINT "CHK_ideas_vote_count" CHECK (vote_count >= 0), CONSTRAINT "CHK_ideas_merged" CHECK ((status = 'merged') = (merged_into_id IS NOT NULL)), CONSTRAINT "CHK_ideas_one_author" CHECK ((author_user_id IS NULL) <> (author_guest_id IS NULL)), CONSTRAINT "CHK_ideas_status" CHECK (status IN ('submitted', 'shortlisted', 'prioritised', 'rejected', 'merged')), CONSTRAINT "PK_6ab43f1e9b1cef0d8f3e56ce3a3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ideas_workshop" ON "ideas"  ("workshop_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ideas_author_user" ON "ideas"  ("author_user_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_ideas_search" ON "ideas" USING gin ("search") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_ideas_process_votes" ON "ideas"  ("process_id", "vote_count") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ideas_process_created" ON "ideas"  ("process_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_ideas_guest_client" ON "ideas"  ("author_guest_id", "client_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_ideas_user_client" ON "ideas"  ("author_user_id", "client_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "idea_id" uuid NOT NULL, "parent_id" uuid, "author_user_id" uuid, "author_guest_id" uuid, "author_name" character varying(60) NOT NULL, "helix" character varying(10), "client_id" character varying(100), "body" text NOT NULL, "kind" character varying(10) NOT NULL DEFAULT 'comment', "hidden" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_comments_body_length" CHECK (char_length(body) BETWEEN 1 AND 5000), CONSTRAINT "CHK_comments_one_author" CHECK ((author_user_id IS NULL) <> (author_guest_id IS NULL)), CONSTRAINT "CHK_comments_kind" CHECK (kind IN ('comment', 'expertise')), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_comments_parent" ON "comments"  ("parent_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_idea_created" ON "comments"  ("idea_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_comments_guest_client" ON "comments"  ("author_guest_id", "client_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_comments_user_client" ON "comments"  ("author_user_id", "client_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idea_priority_areas" ("idea_id" uuid NOT NULL, "priority_area_id" uuid NOT NULL, CONSTRAINT "PK_f84fe29fd5f52ba21d2fa2adcf9" PRIMARY KEY ("idea_id", "priority_area_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_idea_priority_areas_area" ON "idea_priority_areas"  ("priority_area_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idea_votes" ("idea_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f495e2e530cb43a0b93ddc79aa9" PRIMARY KEY ("idea_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_idea_votes_user" ON "idea_votes"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "priority_areas" ADD CONSTRAINT "FK_adda619ebc6f54f641d01c278cf" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "processes" ADD CONSTRAINT "FK_82905550b02fffb53c8e616c3db" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "processes" ADD CONSTRAINT "FK_a6fd8197fdb33122944c6119eda" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "process_priority_areas" ADD CONSTRAINT "FK_e4af446383a6e9bbc38a424925a" FOREIGN KEY ("process_id") REFERENCES "processes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "process_priority_areas" ADD CONSTRAINT "FK_c36f162043a6cc5af7c791a80eb" FOREIGN KEY ("priority_area_id") REFERENCES "priority_areas"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ideas" ADD CONSTRAINT "FK_7d30cc35087554f2c703e77a40f" FOREIGN KEY ("process_id") REFERENCES "processes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ideas" ADD CONSTRAINT "FK_c36f351c3318a65d7bfcaeda453" FOREIGN KEY ("author_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ideas" ADD CONSTRAINT "FK_331079680b091d151050281e7b5" FOREIGN KEY ("merged_into_id") REFERENCES "ideas"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_ae79ee0b70da15c00c55a06c28e" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_d6f93329801a93536da4241e386" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_ca96de050d1b690cefccebc7dc8" FOREIGN KEY ("author_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_priority_areas" ADD CONSTRAINT "FK_6a089f8998b8c83bdc68971b0ff" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_priority_areas" ADD CONSTRAINT "FK_7187c81e660061129fcb32c1f94" FOREIGN KEY ("priority_area_id") REFERENCES "priority_areas"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_votes" ADD CONSTRAINT "FK_e9c8d02c9cd70fbf60ee11192ab" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_votes" ADD CONSTRAINT "FK_2006e50b386fe818d662cd8ae12" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idea_votes" DROP CONSTRAINT "FK_2006e50b386fe818d662cd8ae12"`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_votes" DROP CONSTRAINT "FK_e9c8d02c9cd70fbf60ee11192ab"`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_priority_areas" DROP CONSTRAINT "FK_7187c81e660061129fcb32c1f94"`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_priority_areas" DROP CONSTRAINT "FK_6a089f8998b8c83bdc68971b0ff"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_ca96de050d1b690cefccebc7dc8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_d6f93329801a93536da4241e386"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_ae79ee0b70da15c00c55a06c28e"`,
    );
    await queryRunner.query(`ALTER TABLE "ideas" DROP CONSTRAINT "FK_331079680b091d151050281e7b5"`);
    await queryRunner.query(`ALTER TABLE "ideas" DROP CONSTRAINT "FK_c36f351c3318a65d7bfcaeda453"`);
    await queryRunner.query(`ALTER TABLE "ideas" DROP CONSTRAINT "FK_7d30cc35087554f2c703e77a40f"`);
    await queryRunner.query(
      `ALTER TABLE "process_priority_areas" DROP CONSTRAINT "FK_c36f162043a6cc5af7c791a80eb"`,
    );
    await queryRunner.query(
      `ALTER TABLE "process_priority_areas" DROP CONSTRAINT "FK_e4af446383a6e9bbc38a424925a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "processes" DROP CONSTRAINT "FK_a6fd8197fdb33122944c6119eda"`,
    );
    await queryRunner.query(
      `ALTER TABLE "processes" DROP CONSTRAINT "FK_82905550b02fffb53c8e616c3db"`,
    );
    await queryRunner.query(
      `ALTER TABLE "priority_areas" DROP CONSTRAINT "FK_adda619ebc6f54f641d01c278cf"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_idea_votes_user"`);
    await queryRunner.query(`DROP TABLE "idea_votes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_idea_priority_areas_area"`);
    await queryRunner.query(`DROP TABLE "idea_priority_areas"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_comments_user_client"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_comments_guest_client"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_idea_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_parent"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ideas_user_client"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_ideas_guest_client"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ideas_process_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ideas_process_votes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ideas_search"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ideas_author_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ideas_workshop"`);
    await queryRunner.query(`DROP TABLE "ideas"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`,
      [
        'GENERATED_COLUMN',
        'search',
        await queryRunner.getCurrentDatabase(),
        await queryRunner.getCurrentSchema(),
        'ideas',
      ],
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_process_priority_areas_area"`);
    await queryRunner.query(`DROP TABLE "process_priority_areas"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_processes_region_created"`);
    await queryRunner.query(`DROP TABLE "processes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_priority_areas_region"`);
    await queryRunner.query(`DROP TABLE "priority_areas"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_process_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_region_created"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
