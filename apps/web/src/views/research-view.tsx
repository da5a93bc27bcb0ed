import { useEffect, useState } from 'preact/hooks';
import { formatNumber, t } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import { api, type ApiError } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import type { Expertise, IdeaMatch, Invitation, InvitationStatus } from '../lib/types.js';
import { ErrorMessage, Field, Loading, usePageTitle } from '../components/ui.js';

/** The researcher's pages: invitations, expertise profile and matching ideas. */
export function ResearchView() {
  const current = useSession();
  const [version, setVersion] = useState(0);
  usePageTitle(t('research.title'));
  if (current?.user.role !== 'researcher')
    return (
      <section class="narrow">
        <h1>{t('research.title')}</h1>
        <p>{t('research.staffOnly')}</p>
        {!current && <a href="/login">{t('nav.login')}</a>}
      </section>
    );
  return (
    <div class="research-page">
      <h1>{t('research.title')}</h1>
      <Invitations />
      <ExpertiseForm onSaved={() => setVersion((n) => n + 1)} />
      <Matches key={version} />
    </div>
  );
}

function statusText(status: InvitationStatus): string {
  return t(`research.status.${status}`);
}

function Invitations() {
  const [list, setList] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Invitation[]>('GET', '/api/auth/me/invitations')
      .then(setList)
      .catch((e: ApiError) => setError(e.code));
  }, []);
  const answer = (invitation: Invitation, status: 'accepted' | 'declined') => {
    setError(null);
    api<Invitation>('PATCH', `/api/invitations/${invitation.id}`, { body: { status } })
      .then((updated) => {
        setList((l) => l?.map((i) => (i.id === invitation.id ? { ...i, ...updated } : i)) ?? null);
        announce(t('research.answered', { status: statusText(status) }));
      })
      .catch((e: ApiError) => setError(e.code));
  };
  return (
    <section class="card" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t('research.invitationsTitle')}</h2>
      <ErrorMessage code={error} />
      {list === null ? (
        !error && <Loading />
      ) : list.length === 0 ? (
        <p>{t('research.noInvitations')}</p>
      ) : (
        <ul class="invitation-list" data-testid="invitations">
          {list.map((inv) => {
            const title = inv.idea?.title ?? '';
            return (
              <li key={inv.id} data-invitation-id={inv.id}>
                <a href={`/ideas/${inv.ideaId}`}>{title}</a>
                {inv.invitedBy && (
                  <span class="meta">
                    {' '}
                    · {t('research.invitedBy', { name: inv.invitedBy.displayName })}
                  </span>
                )}{' '}
                <span class={`status status-${inv.status}`} data-testid="invitation-status">
                  {statusText(inv.status)}
                </span>
                {inv.status === 'pending' && (
                  <span class="actions">
                    {' '}
                    <button
                      type="button"
                      class="primary"
                      aria-label={t('research.acceptLabel', { title })}
                      onClick={() => answer(inv, 'accepted')}
                    >
                      {t('research.accept')}
                    </button>{' '}
                    <button
                      type="button"
                      aria-label={t('research.declineLabel', { title })}
                      onClick={() => answer(inv, 'declined')}
                    >
                      {t('research.decline')}
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ExpertiseForm({ onSaved }: { onSaved: () => void }) {
  const [keywords, setKeywords] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Expertise>('GET', '/api/auth/me/expertise')
      .then((e) => {
        setKeywords(e.keywords.join(', '));
        setText(e.text);
      })
      .catch(() => undefined);
  }, []);
  return (
    <section class="card" aria-labelledby="expertise-heading">
      <h2 id="expertise-heading">{t('research.expertiseTitle')}</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          setSaved(false);
          const list = keywords
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean);
          api('PUT', '/api/auth/me/expertise', { body: { keywords: list, text: text.trim() } })
            .then(() => {
              setSaved(true);
              announce(t('research.saved'));
              onSaved();
            })
            .catch((e: ApiError) => setError(e.code))
            .finally(() => setBusy(false));
        }}
      >
        <Field label={t('research.keywords')} help={t('research.keywordsHelp')}>
          {(props) => (
            <input
              {...props}
              name="keywords"
              value={keywords}
              onInput={(e) => setKeywords((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <Field label={t('research.text')}>
          {(props) => (
            <textarea
              {...props}
              name="text"
              rows={4}
              maxLength={2000}
              value={text}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            />
          )}
        </Field>
        <ErrorMessage code={error} />
        {saved && <p class="success">{t('research.saved')}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}

function Matches() {
  const [list, setList] = useState<IdeaMatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<IdeaMatch[]>('GET', '/api/auth/me/matches')
      .then(setList)
      .catch((e: ApiError) => setError(e.code));
  }, []);
  return (
    <section class="card" aria-labelledby="matches-heading">
      <h2 id="matches-heading">{t('research.matchesTitle')}</h2>
      <ErrorMessage code={error} />
      {list === null ? (
        !error && <Loading />
      ) : list.length === 0 ? (
        <p>{t('research.noMatches')}</p>
      ) : (
        <ul class="match-list" data-testid="idea-matches">
          {list.map((m) => (
            <li key={m.idea.id}>
              <a href={`/ideas/${m.idea.id}`}>{m.idea.title}</a>{' '}
              <span class="meta">
                {t('match.terms', { terms: m.terms.join(', ') })} ·{' '}
                {formatNumber(Math.round(m.score * 100))} %
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
