/**
 * Pairs scoring at or above this are reported as similar. Chosen on the labelled set in
 * test/insight/fixtures/labelled-pairs.json as the round value where no unrelated or
 * merely related pair is flagged: a comparator that flags unrelated ideas is worse than none.
 */
export const SIMILARITY_THRESHOLD = 0.3;
