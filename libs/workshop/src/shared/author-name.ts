/**
 * A display name as the varchar(60) snapshot columns hold it. Cut at code points, as the
 * column counts them: cutting at 60 UTF-16 units would split an emoji into a lone surrogate.
 */
export function authorName(displayName: string): string {
  return [...displayName].slice(0, 60).join('');
}
