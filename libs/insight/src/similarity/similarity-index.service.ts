import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { rows } from '../shared/sql.js';
import { similarIdeasSql, THRESHOLD_SQL } from './similarity.sql.js';

const BATCH = 100;

/**
 * Keeps `idea_similarities` in step with the ideas' text: any idea whose document changed
 * since it was indexed (or that is new) gets its pairs recomputed. Runs before the overview
 * reads clusters, so it is correct however ideas were written (API, workshop, import).
 */
@Injectable()
export class SimilarityIndexService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Brings every stale idea up to date; returns how many were (re)indexed. */
  async refresh(): Promise<number> {
    let total = 0;
    for (;;) {
      const stale = await rows<{ id: string; hash: string }>(
        this.dataSource,
        `SELECT i.id, md5(insight_doc(i.title, i.body)) AS hash FROM ideas i LEFT JOIN idea_similarity_state s ON s.idea_id = i.id
         WHERE s.idea_id IS NULL OR s.doc_hash <> md5(insight_doc(i.title, i.body))
         ORDER BY i.id LIMIT ${BATCH}`,
      );
      if (stale.length === 0) return total;
      await this.dataSource.transaction(async (manager) => {
        // One indexer at a time: two would delete each other's fresh pairs.
        await rows(manager, `SELECT pg_advisory_xact_lock(hashtext('insight.similarity-index'))`);
        const ids = stale.map((row) => row.id);
        await rows(
          manager,
          `DELETE FROM idea_similarities WHERE idea_id = ANY($1::uuid[]) OR other_idea_id = ANY($1::uuid[])`,
          [ids],
        );
        for (const id of ids) {
          // Pairs are found among all ideas; visibility is applied when they are read.
          await rows(
            manager,
            `INSERT INTO idea_similarities (idea_id, other_idea_id, score)
             SELECT least($1::uuid, m.id), greatest($1::uuid, m.id), m.score
             FROM (${similarIdeasSql(`(SELECT insight_doc(title, body) FROM ideas WHERE id = $1::uuid)`, 'true', '$1::uuid')}) m
             WHERE m.score >= ${THRESHOLD_SQL}
             ON CONFLICT (idea_id, other_idea_id) DO UPDATE SET score = excluded.score`,
            [id],
          );
        }
        // The hash read before indexing: an edit made meanwhile leaves the idea stale, not lost.
        await rows(
          manager,
          `INSERT INTO idea_similarity_state (idea_id, doc_hash, indexed_at)
           SELECT s.id, s.hash, now()
           FROM unnest($1::uuid[], $2::text[]) AS s(id, hash) JOIN ideas i ON i.id = s.id
           ON CONFLICT (idea_id) DO UPDATE SET doc_hash = excluded.doc_hash, indexed_at = excluded.indexed_at`,
          [ids, stale.map((row) => row.hash)],
        );
      });
      total += stale.length;
    }
  }
}
