import { SIMILARITY_THRESHOLD } from './similarity.threshold.js';

/** How many full-text candidates are scored exactly; the rest cannot plausibly pass. */
export const CANDIDATES = 60;

/**
 * Ideas similar to one document, scored with the migration's `insight_score`.
 *
 * The GIN index on `ideas.search` (Swedish tsvector) narrows 10 000 ideas to those sharing
 * at least one stemmed word with the document (an OR query), ranked by `ts_rank`; only the
 * best CANDIDATES are scored exactly. A pair sharing no Swedish lexeme scores at most half
 * its trigram similarity, below the threshold in practice, so the prefilter loses nothing.
 *
 * `docSql` is an SQL expression for the document; `ideaFilter` further restricts `i`/`p`.
 */
export function similarIdeasSql(docSql: string, ideaFilter: string, excludeSql: string): string {
  return `
  WITH q AS (
    SELECT d.doc, insight_lexemes('swedish', d.doc) AS sv, insight_lexemes('english', d.doc) AS en,
           replace(plainto_tsquery('swedish', d.doc)::text, ''' & ''', ''' | ''') AS query_text
    FROM (SELECT ${docSql} AS doc) d
  ), candidates AS (
    SELECT i.id, insight_doc(i.title, i.body) AS doc
    FROM q, ideas i JOIN processes p ON p.id = i.process_id
    WHERE q.query_text <> '' AND i.search @@ q.query_text::tsquery
      AND i.id IS DISTINCT FROM ${excludeSql} AND ${ideaFilter}
    ORDER BY ts_rank(i.search, q.query_text::tsquery) DESC, i.id
    LIMIT ${CANDIDATES}
  )
  SELECT c.id, insight_score(q.doc, q.sv, q.en,
           c.doc, insight_lexemes('swedish', c.doc), insight_lexemes('english', c.doc)) AS score
  FROM candidates c, q`;
}

export const THRESHOLD_SQL = String(SIMILARITY_THRESHOLD);
