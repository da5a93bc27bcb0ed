import { t, tn } from '../i18n/i18n.js';
import type { Idea } from '../lib/types.js';

/** Horizontal bars, one per idea, widths relative to the leader; numbers always shown. */
export function TallyBars({ ideas, sort = true }: { ideas: Idea[]; sort?: boolean }) {
  const rows = sort ? [...ideas].sort((a, b) => b.voteCount - a.voteCount) : ideas;
  const max = Math.max(1, ...rows.map((i) => i.voteCount));
  return (
    <ul class="tally" data-testid="tally">
      {rows.map((idea) => (
        <li key={idea.id} class="tally-row" data-idea-id={idea.id} data-votes={idea.voteCount}>
          <span class="tally-title">{idea.title}</span>
          <span class="tally-track" aria-hidden="true">
            <span class="tally-bar" style={{ width: `${(idea.voteCount / max) * 100}%` }} />
          </span>
          <span class="tally-count">{tn('common.votes', idea.voteCount)}</span>
        </li>
      ))}
      {rows.length === 0 && <li class="meta">{t('live.noIdeas')}</li>}
    </ul>
  );
}
