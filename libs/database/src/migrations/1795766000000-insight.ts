import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * S3 intelligence (issue 9): researchers' expertise profiles, invitations of researchers to
 * ideas, and the index of similar idea pairs behind the overview's cross-region clusters.
 */
export class Insight1795766000000 implements MigrationInterface {
  name = 'Insight1795766000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "researcher_expertise" ("user_id" uuid NOT NULL, "keywords" text array NOT NULL DEFAULT '{}', "text" text NOT NULL DEFAULT '', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_researcher_expertise_text" CHECK (char_length(text) <= 2000), CONSTRAINT "CHK_researcher_expertise_keywords" CHECK (cardinality(keywords) <= 30), CONSTRAINT "PK_researcher_expertise" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "research_invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "idea_id" uuid NOT NULL, "researcher_id" uuid NOT NULL, "invited_by" uuid, "status" character varying(10) NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "responded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_research_invitations_idea_researcher" UNIQUE ("idea_id", "researcher_id"), CONSTRAINT "CHK_research_invitations_status" CHECK (status IN ('pending', 'accepted', 'declined')), CONSTRAINT "PK_research_invitations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_research_invitations_researcher" ON "research_invitations" ("researcher_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idea_similarities" ("idea_id" uuid NOT NULL, "other_idea_id" uuid NOT NULL, "score" real NOT NULL, CONSTRAINT "CHK_idea_similarities_order" CHECK (idea_id < other_idea_id), CONSTRAINT "PK_idea_similarities" PRIMARY KEY ("idea_id", "other_idea_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_idea_similarities_other" ON "idea_similarities" ("other_idea_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idea_similarity_state" ("idea_id" uuid NOT NULL, "doc_hash" character varying(32) NOT NULL, "indexed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_idea_similarity_state" PRIMARY KEY ("idea_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "researcher_expertise" ADD CONSTRAINT "FK_researcher_expertise_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "research_invitations" ADD CONSTRAINT "FK_research_invitations_idea" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "research_invitations" ADD CONSTRAINT "FK_research_invitations_researcher" FOREIGN KEY ("researcher_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "research_invitations" ADD CONSTRAINT "FK_research_invitations_inviter" FOREIGN KEY ("invited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_similarities" ADD CONSTRAINT "FK_idea_similarities_idea" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_similarities" ADD CONSTRAINT "FK_idea_similarities_other" FOREIGN KEY ("other_idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "idea_similarity_state" ADD CONSTRAINT "FK_idea_similarity_state_idea" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idea_similarity_state"`);
    await queryRunner.query(`DROP TABLE "idea_similarities"`);
    await queryRunner.query(`DROP TABLE "research_invitations"`);
    await queryRunner.query(`DROP TABLE "researcher_expertise"`);
  }
}
