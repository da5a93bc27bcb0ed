/**
 * Research ↔ business matching, in SQL. A profile's terms are its keywords (weight 2) and the
 * words of its text (weight 1), each stemmed with the `swedish` and the `english`
 * configuration; a term that is a stop word in either language is dropped (so "och" or
 * "the" never match). A term matches an idea when its stems occur among the idea's stems
 * in either configuration, or, for a keyword of 5+ letters, when it begins or ends a word of
 * the idea (trigram word similarity ≥ 0.8): Swedish compounds put "vätgas" inside
 * "vätgastankstation". The score is the sum of the matched terms' weights; the matched
 * terms are returned as the reason.
 */
const PROFILE_TERMS = (where: string) => `
  profile_terms AS (
    SELECT DISTINCT ON (t.user_id, lower(t.term)) t.user_id, t.term, t.keyword,
           insight_lexemes('swedish', t.term) AS sv, insight_lexemes('english', t.term) AS en
    FROM (
      SELECT e.user_id, k AS term, true AS keyword FROM researcher_expertise e, unnest(e.keywords) k
      WHERE ${where}
      UNION ALL
      SELECT e.user_id, w, false FROM researcher_expertise e,
        regexp_split_to_table(lower(e.text), '[^[:alnum:]]+') w
      WHERE ${where} AND char_length(w) >= 4
    ) t
    ORDER BY t.user_id, lower(t.term), t.keyword DESC
  ),
  terms AS (SELECT * FROM profile_terms WHERE cardinality(sv) > 0 AND cardinality(en) > 0)`;

export const MIN_MATCH_SCORE = 2;

const TERM_MATCHES = (idea: string) => `(t.sv && ${idea}.sv OR t.en && ${idea}.en
  OR (t.keyword AND char_length(t.term) >= 5 AND word_similarity(t.term, ${idea}.doc) >= 0.8))`;

/** $1 idea id, $2 limit. Researchers (enabled, not the idea's author) whose terms fit the idea. */
export const RESEARCHERS_FOR_IDEA = `
  WITH idea AS (
    SELECT i.author_user_id, d.doc, insight_lexemes('swedish', d.doc) AS sv, insight_lexemes('english', d.doc) AS en
    FROM ideas i CROSS JOIN LATERAL (SELECT insight_doc(i.title, i.body) AS doc) d WHERE i.id = $1::uuid
  ),
  ${PROFILE_TERMS(`e.user_id IN (SELECT u.id FROM users u WHERE u.role = 'researcher' AND NOT u.disabled)`)}
  SELECT t.user_id, u.display_name, o.id AS organisation_id, o.name AS organisation_name, o.helix,
         sum(CASE WHEN t.keyword THEN 2 ELSE 1 END)::int AS score,
         array_agg(t.term ORDER BY t.keyword DESC, lower(t.term)) AS terms
  FROM terms t CROSS JOIN idea
  JOIN users u ON u.id = t.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
  WHERE ${TERM_MATCHES('idea')} AND t.user_id IS DISTINCT FROM idea.author_user_id
  GROUP BY t.user_id, u.display_name, o.id, o.name, o.helix
  HAVING sum(CASE WHEN t.keyword THEN 2 ELSE 1 END) >= ${MIN_MATCH_SCORE}
  ORDER BY score DESC, u.display_name, t.user_id
  LIMIT $2`;

/**
 * $1 viewer (the researcher), $2 limit. Published ideas (not the researcher's own) fitting
 * the profile; the GIN index on `ideas.search` first keeps ideas sharing a Swedish stem.
 */
export const IDEAS_FOR_RESEARCHER = (ideaColumns: string, published: string) => `
  WITH ${PROFILE_TERMS(`e.user_id = $1::uuid`)},
  q AS (
    SELECT array_to_string(ARRAY(
      SELECT DISTINCT '''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''''
        || CASE WHEN terms.keyword THEN ':*' ELSE '' END
      FROM terms, unnest(terms.sv) l), ' | ') AS query_text
  ),
  candidates AS (
    SELECT i.id, insight_doc(i.title, i.body) AS doc,
           insight_lexemes('swedish', insight_doc(i.title, i.body)) AS sv,
           insight_lexemes('english', insight_doc(i.title, i.body)) AS en
    FROM q, ideas i JOIN processes p ON p.id = i.process_id
    WHERE q.query_text <> '' AND i.search @@ q.query_text::tsquery AND ${published}
      AND i.author_user_id IS DISTINCT FROM $1::uuid
    ORDER BY ts_rank(i.search, q.query_text::tsquery) DESC, i.id
    LIMIT 200
  ),
  scored AS (
    SELECT c.id, sum(CASE WHEN t.keyword THEN 2 ELSE 1 END)::int AS score,
           array_agg(t.term ORDER BY t.keyword DESC, lower(t.term)) AS terms
    FROM candidates c JOIN terms t ON ${TERM_MATCHES('c')}
    GROUP BY c.id HAVING sum(CASE WHEN t.keyword THEN 2 ELSE 1 END) >= ${MIN_MATCH_SCORE}
  )
  SELECT s.score, s.terms, ${ideaColumns}
  FROM scored s JOIN ideas i ON i.id = s.id
  ORDER BY s.score DESC, i.created_at DESC, i.id
  LIMIT $2`;
