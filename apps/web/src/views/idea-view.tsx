import { useEffect, useState } from 'preact/hooks';
import { formatDate, formatNumber, t, tn } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import { api, type ApiError } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import type { Contributor, Idea, ResearcherMatch } from '../lib/types.js';
import { ErrorMessage, LoadFailed, Loading, usePageTitle } from '../components/ui.js';
import { SimilarToIdea } from '../components/similar-ideas.js';

/** One idea: its text, contributing researchers, similar ideas and suggested researchers. */
export function IdeaView({ ideaId }: { ideaId: string }) {
  const current = useSession();
  const [idea, setIdea] = useState<Idea | null>(null);
  const [contributors, setContributors] = useState<Contributor[]>([]);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(idea?.title ?? t('idea.page'));

  useEffect(() => {
    api<Idea>('GET', `/api/ideas/${ideaId}`)
      .then(setIdea)
      .catch((e: ApiError) => setError(e.code));
    api<Contributor[]>('GET', `/api/ideas/${ideaId}/contributors`)
      .then(setContributors)
      .catch(() => setContributors([]));
  }, [ideaId]);

  if (error) return <LoadFailed code={error} />;
  if (!idea) return <Loading />;
  return (
    <div class="idea-page">
      <article class="card">
        <p class="eyebrow">
          <a href={`/processes/${idea.processId}`}>{t('common.back')}</a>
        </p>
        <h1>{idea.title}</h1>
        <p class="meta">
          {t('idea.by', { name: idea.authorName })}
          {idea.helix && <> · {t(`helix.${idea.helix}`)}</>} · {formatDate(idea.createdAt)} ·{' '}
          {tn('common.votes', idea.voteCount)}
        </p>
        {idea.body && <p class="idea-body">{idea.body}</p>}
        {contributors.length > 0 && (
          <section aria-labelledby="contributors-heading">
            <h2 id="contributors-heading">{t('idea.contributors')}</h2>
            <ul data-testid="contributors">
              {contributors.map((c) => (
                <li key={c.id}>
                  {c.displayName}
                  {c.organisation && <span class="meta"> · {c.organisation.name}</span>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </article>
      {current && <SimilarToIdea ideaId={idea.id} />}
      {current && <SuggestedResearchers idea={idea} />}
    </div>
  );
}

function SuggestedResearchers({ idea }: { idea: Idea }) {
  const current = useSession();
  const [matches, setMatches] = useState<ResearcherMatch[] | null>(null);
  const [invited, setInvited] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<ResearcherMatch[]>('GET', `/api/ideas/${idea.id}/matches`)
      .then(setMatches)
      .catch(() => setMatches([]));
  }, [idea.id]);
  if (!matches) return null;
  // Authors are companies, researchers or staff; the server decides who the author is (403 otherwise).
  const mayInvite = current?.user.role !== 'agency';
  return (
    <section class="card" aria-labelledby="matches-heading" data-testid="researcher-matches">
      <h2 id="matches-heading">{t('match.researchersTitle')}</h2>
      <p class="help">{t('match.researchersHelp')}</p>
      <ErrorMessage code={error} />
      {matches.length === 0 ? (
        <p>{t('match.noResearchers')}</p>
      ) : (
        <ul class="match-list">
          {matches.map((m) => (
            <li key={m.researcher.id} data-researcher-id={m.researcher.id}>
              <strong>{m.researcher.displayName}</strong>
              {m.researcher.organisation && <> · {m.researcher.organisation.name}</>}{' '}
              <span class="meta">
                {t('match.terms', { terms: m.terms.join(', ') })} ·{' '}
                {formatNumber(Math.round(m.score * 100))} %
              </span>{' '}
              {mayInvite &&
                (invited.has(m.researcher.id) ? (
                  <span class="success">
                    {t('match.invited', { name: m.researcher.displayName })}
                  </span>
                ) : (
                  <button
                    type="button"
                    aria-label={t('match.inviteLabel', { name: m.researcher.displayName })}
                    onClick={() => {
                      setError(null);
                      api('POST', `/api/ideas/${idea.id}/invitations`, {
                        body: { researcherId: m.researcher.id },
                      })
                        .then(() => {
                          setInvited((s) => new Set(s).add(m.researcher.id));
                          announce(t('match.invited', { name: m.researcher.displayName }));
                        })
                        .catch((e: ApiError) => setError(e.code));
                    }}
                  >
                    {t('match.invite')}
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
