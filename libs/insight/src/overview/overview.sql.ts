/**
 * The ideas the overview counts for one caller, each with every region row it rolls up into
 * (its process's region and that region's parent, so a NUTS-2 row includes its counties).
 * $1 = sees everything in full (admin, agency), $2 = the caller's own region (region staff).
 * Another region's drafts and hidden ideas are never counted: regions see each other
 * only in published form.
 */
export const COUNTED = `
  counted_processes AS (
    SELECT p.id, p.phase, (p.region_code = $2::text OR $1::boolean) AS full, rr.code
    FROM processes p JOIN regions r ON r.code = p.region_code
    CROSS JOIN LATERAL (VALUES (r.code), (r.parent_code)) AS rr(code)
    WHERE rr.code IS NOT NULL AND ($1::boolean OR p.region_code = $2::text OR p.phase <> 'draft')
  ),
  counted_ideas AS (
    SELECT i.id, i.author_user_id, cp.code, cp.full
    FROM ideas i JOIN counted_processes cp ON cp.id = i.process_id
    WHERE cp.full OR NOT i.hidden
  )`;

export const PROCESSES_BY_PHASE = `WITH ${COUNTED}
  SELECT code, phase, count(*)::int AS n FROM counted_processes GROUP BY code, phase`;

export const IDEAS_VOTES_COMMENTS = `WITH ${COUNTED}
  SELECT ci.code, count(*)::int AS ideas,
    coalesce(sum((SELECT count(*) FROM idea_votes v WHERE v.idea_id = ci.id)), 0)::int AS votes,
    coalesce(sum((SELECT count(*) FROM comments c WHERE c.idea_id = ci.id AND (ci.full OR NOT c.hidden))), 0)::int AS comments
  FROM counted_ideas ci GROUP BY ci.code`;

/** Distinct signed-in people who wrote an idea, voted or commented, by their organisation's helix. */
export const PARTICIPANTS_BY_HELIX = `WITH ${COUNTED},
  people AS (
    SELECT ci.code, ci.author_user_id AS user_id FROM counted_ideas ci WHERE ci.author_user_id IS NOT NULL
    UNION SELECT ci.code, v.user_id FROM counted_ideas ci JOIN idea_votes v ON v.idea_id = ci.id
    UNION SELECT ci.code, c.author_user_id FROM counted_ideas ci JOIN comments c ON c.idea_id = ci.id
      WHERE c.author_user_id IS NOT NULL AND (ci.full OR NOT c.hidden)
  )
  SELECT people.code, o.helix, count(DISTINCT people.user_id)::int AS n
  FROM people JOIN users u ON u.id = people.user_id JOIN organisations o ON o.id = u.organisation_id
  GROUP BY people.code, o.helix`;

/** A region's own priority areas and how many counted ideas name each. */
export const PRIORITY_AREAS = `WITH ${COUNTED}
  SELECT pa.region_code AS code, pa.id, pa.name,
    (SELECT count(DISTINCT ci.id) FROM idea_priority_areas ipa
       JOIN counted_ideas ci ON ci.id = ipa.idea_id AND ci.code = pa.region_code
     WHERE ipa.priority_area_id = pa.id)::int AS ideas
  FROM priority_areas pa ORDER BY pa.region_code, pa.name, pa.id`;

/** Similar pairs whose two ideas are both published (clusters show published ideas only). */
export const PUBLISHED_PAIRS = `
  SELECT s.idea_id AS a, s.other_idea_id AS b
  FROM idea_similarities s
  JOIN ideas ia ON ia.id = s.idea_id JOIN processes pa ON pa.id = ia.process_id
  JOIN ideas ib ON ib.id = s.other_idea_id JOIN processes pb ON pb.id = ib.process_id
  WHERE NOT ia.hidden AND NOT ib.hidden AND pa.phase <> 'draft' AND pb.phase <> 'draft'
    AND s.score >= $1`;
