import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@edp/common';
import type { DataSource, EntityManager } from 'typeorm';
import { rows } from '../shared/sql.js';
import { THRESHOLD_SQL } from './similarity.sql.js';

const BATCH = 25;
/** Candidates of an idea: ideas sharing one of its (at most RARE_TERMS) uncommon Swedish stems. */
const RARE_TERMS = 32;
const MAX_CANDIDATES = 12;

interface Frequency {
  /** Ideas containing each Swedish stem. */
  df: Map<string, number>;
  /** A stem in more ideas than this is too common to find duplicates by. */
  common: number;
}

/**
 * Keeps `idea_similarities` in step with the ideas' text, for the overview's clusters.
 *
 * An idea is stale when it is new or its compared document changed since it was indexed.
 * Stale ideas first get their fingerprint (document and lexemes, stored once); then each is
 * compared with the ideas that share one of its uncommon Swedish stems: words found in at
 * most 2 % of ideas (at least 20), by document frequency from `ts_stat`. Duplicates meet on
 * such words; words every idea uses ("förslag", "region") would make every idea a candidate. Scores use the same `insight_score` as the routes. Runs before clusters
 * are read, so it is correct however ideas were written (API, workshop, import).
 */
@Injectable()
export class SimilarityIndexService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SimilarityIndexService.name);
  private background: Promise<void> | null = null;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Indexes up to `max` stale ideas now and returns how many are still stale. On PostgreSQL
   * those are indexed in the background (one run at a time), so a bulk import does not hold a
   * request. The embedded database is one session that a background run would monopolise:
   * there each call indexes the next `max` ideas instead.
   */
  async refresh(max: number): Promise<number> {
    // While a background run is under way, a request only reads the progress.
    if (!this.background) await this.indexStale(max);
    const [{ n }] = await rows<{ n: number }>(
      this.dataSource,
      `SELECT count(*)::int AS n FROM ideas i LEFT JOIN idea_similarity_state s ON s.idea_id = i.id
       WHERE s.idea_id IS NULL OR s.doc_hash <> md5(insight_doc(i.title, i.body))`,
    );
    const embedded = this.config.databaseUrl === null;
    if (Number(n) > 0 && !embedded && !this.background && !this.stopping) {
      this.background = this.indexStale(Infinity)
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn(`similarity index: ${String(error)}`))
        .finally(() => (this.background = null));
    }
    return Number(n);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.background;
  }

  /** Indexes stale ideas in batches until none is left, `max` is reached or the app stops. */
  private async indexStale(max: number): Promise<number> {
    let total = 0;
    let frequency: Frequency | null = null;
    while (total < max && !this.stopping) {
      const stale = await rows<{ id: string; hash: string; terms: string[] }>(
        this.dataSource,
        `SELECT i.id, md5(insight_doc(i.title, i.body)) AS hash, tsvector_to_array(i.search) AS terms
         FROM ideas i LEFT JOIN idea_similarity_state s ON s.idea_id = i.id
         WHERE s.idea_id IS NULL OR s.doc_hash <> md5(insight_doc(i.title, i.body))
         ORDER BY i.id LIMIT ${BATCH}`,
      );
      if (stale.length === 0) break;
      frequency ??= await this.documentFrequency();
      const { df, common } = frequency;
      await this.dataSource.transaction(async (manager) => {
        // One indexer at a time: two would delete each other's fresh pairs.
        await rows(manager, `SELECT pg_advisory_xact_lock(hashtext('insight.similarity-index'))`);
        const ids = stale.map((row) => row.id);
        await this.fingerprint(
          manager,
          ids,
          stale.map((row) => row.hash),
        );
        await rows(
          manager,
          `DELETE FROM idea_similarities WHERE idea_id = ANY($1::uuid[]) OR other_idea_id = ANY($1::uuid[])`,
          [ids],
        );
        for (const idea of stale) {
          const rare = idea.terms
            .filter((term) => (df.get(term) ?? 1) >= 2 && df.get(term)! <= common)
            .sort((a, b) => df.get(a)! - df.get(b)! || a.localeCompare(b))
            .slice(0, RARE_TERMS);
          if (rare.length) await this.pairs(manager, idea.id, rare);
        }
      });
      total += stale.length;
    }
    return total;
  }

  private async documentFrequency(): Promise<Frequency> {
    const stats = await rows<{ word: string; ndoc: number }>(
      this.dataSource,
      `SELECT word, ndoc FROM ts_stat('SELECT search FROM ideas')`,
    );
    const [{ n }] = await rows<{ n: number }>(
      this.dataSource,
      `SELECT count(*)::int AS n FROM ideas`,
    );
    return {
      df: new Map(stats.map((row) => [row.word, Number(row.ndoc)])),
      common: Math.max(20, Math.ceil(Number(n) / 50)),
    };
  }

  /** The hash read before indexing: an edit made meanwhile leaves the idea stale, not lost. */
  private async fingerprint(manager: EntityManager, ids: string[], hashes: string[]) {
    await rows(
      manager,
      `INSERT INTO idea_similarity_state (idea_id, doc_hash, indexed_at, doc, sv, en)
       SELECT s.id, s.hash, now(), d.doc, insight_lexemes('swedish', d.doc), insight_lexemes('english', d.doc)
       FROM unnest($1::uuid[], $2::text[]) AS s(id, hash) JOIN ideas i ON i.id = s.id
       CROSS JOIN LATERAL (SELECT insight_doc(i.title, i.body) AS doc) d
       ON CONFLICT (idea_id) DO UPDATE SET doc_hash = excluded.doc_hash, indexed_at = excluded.indexed_at,
         doc = excluded.doc, sv = excluded.sv, en = excluded.en`,
      [ids, hashes],
    );
  }

  /** Pairs are found among all ideas; visibility is applied when they are read. */
  private async pairs(manager: EntityManager, ideaId: string, rare: string[]) {
    const query = rare.map((term) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
    await rows(
      manager,
      `INSERT INTO idea_similarities (idea_id, other_idea_id, score)
       SELECT least(x.idea_id, c.idea_id), greatest(x.idea_id, c.idea_id), c.score
       FROM idea_similarity_state x CROSS JOIN LATERAL (
         SELECT o.idea_id, insight_score(x.doc, x.sv, x.en, o.doc, o.sv, o.en) AS score
         FROM (SELECT i.id FROM ideas i
               WHERE i.search @@ $2::tsquery AND i.id <> x.idea_id
               ORDER BY ts_rank(i.search, $2::tsquery) DESC, i.id
               LIMIT ${MAX_CANDIDATES}) top
         JOIN idea_similarity_state o ON o.idea_id = top.id
       ) c
       WHERE x.idea_id = $1 AND c.score >= ${THRESHOLD_SQL}
       ON CONFLICT (idea_id, other_idea_id) DO UPDATE SET score = excluded.score`,
      [ideaId, query.join(' | ')],
    );
  }
}
