import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tn } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import { api, clientId, type ApiError } from '../lib/api.js';
import { LiveError } from '../lib/live.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import type { Idea, ResultRow, Workshop } from '../lib/types.js';
import { useWorkshopLive } from '../lib/use-workshop-live.js';
import { ConnectionBanner } from '../components/connection-banner.js';
import { CodeForm, normaliseCode } from '../components/code-form.js';
import {
  Countdown,
  ErrorMessage,
  Field,
  Loading,
  stageName,
  usePageTitle,
} from '../components/ui.js';

interface StoredJoin {
  workshopId: string;
  guestToken: string | null;
}

const joinKey = (code: string) => `edp.join.${code}`;

function readJoin(code: string): StoredJoin | null {
  try {
    return JSON.parse(localStorage.getItem(joinKey(code)) ?? 'null') as StoredJoin | null;
  } catch {
    return null;
  }
}

/** `/join` and `/j/:code`: name → live participant view. */
export function JoinView({ code: routeCode }: { code?: string }) {
  const current = useSession();
  const code = routeCode ? normaliseCode(routeCode) : '';
  const [joined, setJoined] = useState<StoredJoin | null>(() => (code ? readJoin(code) : null));
  usePageTitle(t('join.title'));

  useEffect(() => setJoined(code ? readJoin(code) : null), [code]);

  if (joined) {
    return (
      <ParticipantLive
        code={code}
        joined={joined}
        onLeave={() => {
          localStorage.removeItem(joinKey(code));
          setJoined(null);
        }}
      />
    );
  }
  if (!code) {
    return (
      <section class="narrow card">
        <h1>{t('join.title')}</h1>
        <CodeForm onCode={(value) => navigate(`/j/${value}`)} />
      </section>
    );
  }
  return (
    <NameForm code={code} signedInAs={current?.user.displayName ?? null} onJoined={setJoined} />
  );
}

function NameForm({
  code,
  signedInAs,
  onJoined,
}: {
  code: string;
  signedInAs: string | null;
  onJoined: (join: StoredJoin) => void;
}) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [nameMissing, setNameMissing] = useState(false);
  return (
    <section class="narrow card">
      <h1>{t('join.title')}</h1>
      <p class="code-display" aria-label={`${t('join.codeLabel')}: ${code.split('').join(' ')}`}>
        {code}
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const displayName = name.trim();
          if (!signedInAs && !displayName) return setNameMissing(true);
          setNameMissing(false);
          setBusy(true);
          setError(null);
          api<{ workshopId: string; guestToken?: string }>('POST', '/api/workshops/join', {
            body: signedInAs ? { code } : { code, displayName },
          })
            .then((result) => {
              const join = { workshopId: result.workshopId, guestToken: result.guestToken ?? null };
              localStorage.setItem(joinKey(code), JSON.stringify(join));
              onJoined(join);
            })
            .catch((e: ApiError) => setError(e.code))
            .finally(() => setBusy(false));
        }}
      >
        {signedInAs ? (
          <p>{t('join.asUser', { name: signedInAs })}</p>
        ) : (
          <Field
            label={t('join.nameLabel')}
            help={t('join.nameHelp')}
            error={nameMissing ? t('join.nameRequired') : null}
          >
            {(props) => (
              <input
                {...props}
                name="displayName"
                value={name}
                maxLength={60}
                autoComplete="name"
                onInput={(e) => setName((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
        )}
        <ErrorMessage code={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('join.joining') : t('join.button')}
        </button>
      </form>
    </section>
  );
}

function ParticipantLive({
  code,
  joined,
  onLeave,
}: {
  code: string;
  joined: StoredJoin;
  onLeave: () => void;
}) {
  const pending = useRef<string[]>([]);
  const flush = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const live = useWorkshopLive(joined.guestToken, joined.workshopId, {
    onIdeaCreated: (idea) => {
      // Several ideas in a burst become one calm sentence.
      pending.current.push(idea.title);
      clearTimeout(flush.current);
      flush.current = setTimeout(() => {
        const titles = pending.current;
        pending.current = [];
        announce(
          titles.length === 1
            ? t('live.newIdea', { title: titles[0] })
            : t('live.newIdeas', { n: titles.length }),
        );
      }, 1500);
    },
    onStageChanged: (workshop) =>
      announce(t('live.stageChanged', { stage: stageName(workshop.stage) })),
  });
  useEffect(() => () => clearTimeout(flush.current), []);
  const { workshop, ideas, me, status, error } = live;

  useEffect(() => {
    if (error && ['UNAUTHORIZED', 'NOT_FOUND', 'FORBIDDEN'].includes(error.code)) onLeave();
  }, [error]);

  if (!workshop || !me) {
    return (
      <section class="narrow">
        <ConnectionBanner status={status} />
        {error ? <ErrorMessage code={error.code} /> : <Loading />}
      </section>
    );
  }

  const spotlight = workshop.spotlightIdeaId
    ? ideas.find((i) => i.id === workshop.spotlightIdeaId)
    : undefined;

  return (
    <div class="participant" data-stage={workshop.stage}>
      <div class="live-bar">
        <div>
          <h1 class="live-title">{workshop.title}</h1>
          <p class="stage-pill" data-testid="stage">
            {t('live.stageNow', { stage: stageName(workshop.stage) })}
          </p>
        </div>
        <Countdown endsAt={workshop.timerEndsAt} />
        {workshop.stage === 'voting' && workshop.votingMode === 'dots' && (
          <DotBudget left={me.remainingDots} budget={workshop.dotBudget} />
        )}
      </div>
      <ConnectionBanner status={status} />
      {spotlight && workshop.stage !== 'lobby' && (
        <section class="spotlight" aria-labelledby="spotlight-title">
          <h2 id="spotlight-title">{t('live.spotlight')}</h2>
          <p class="idea-title">{spotlight.title}</p>
          {spotlight.body && <p>{spotlight.body}</p>}
        </section>
      )}
      {workshop.stage === 'lobby' && <p class="calm">{t('live.lobbyText')}</p>}
      {workshop.stage === 'ideation' && <Ideation workshop={workshop} ideas={ideas} live={live} />}
      {workshop.stage === 'voting' && <Voting workshop={workshop} ideas={ideas} live={live} />}
      {workshop.stage === 'results' && (
        <Results workshop={workshop} ideas={ideas} guestToken={joined.guestToken} />
      )}
      {workshop.stage === 'closed' && (
        <div class="calm">
          <p>{t('live.closedText')}</p>
          <p>
            <a href={`/processes/${workshop.processId}`}>{t('live.toProcess')}</a>
          </p>
        </div>
      )}
      <p class="leave">
        <button type="button" class="link-button" onClick={onLeave}>
          {t('join.leave')}
        </button>{' '}
        <span class="meta">
          {t('facilitator.code')}: {code}
        </span>
      </p>
    </div>
  );
}

type Live = ReturnType<typeof useWorkshopLive>;
interface VoteResult {
  ideaId: string;
  voteCount: number;
  remainingDots: number;
}

function DotBudget({ left, budget }: { left: number; budget: number }) {
  return (
    <div class="dot-budget" data-testid="dots-left">
      <span>{t('live.dotsLeft', { left, budget })}</span>
      <span class="dots" aria-hidden="true">
        {Array.from({ length: budget }, (_, i) => (
          <span key={i} class={i < left ? 'dot dot-full' : 'dot'} />
        ))}
      </span>
    </div>
  );
}

function Ideation({ workshop, ideas, live }: { workshop: Workshop; ideas: Idea[]; live: Live }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  // One clientId per draft: a retry after a lost ack returns the first idea, never a second.
  const draftId = useRef(clientId());
  const titleTooShort = title.trim().length > 0 && title.trim().length < 3;

  const submit = (event: Event) => {
    event.preventDefault();
    const cleanTitle = title.trim();
    if (cleanTitle.length < 3 || !live.connection.current) return setError('VALIDATION_FAILED');
    setBusy(true);
    setError(null);
    live.connection.current
      .emit<Idea>('idea:submit', {
        workshopId: workshop.id,
        title: cleanTitle,
        ...(body.trim() ? { body: body.trim() } : {}),
        clientId: draftId.current,
      })
      .then((idea) => {
        live.setState((s) =>
          s.ideas.some((i) => i.id === idea.id) ? s : { ...s, ideas: [...s.ideas, idea] },
        );
        setTitle('');
        setBody('');
        setSent(true);
        draftId.current = clientId();
        announce(t('live.submitted'));
      })
      .catch((e: LiveError) => setError(e.code))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <section class="card" aria-labelledby="idea-form-title">
        <h2 id="idea-form-title">{t('process.submitTitle')}</h2>
        <form onSubmit={submit} noValidate>
          <Field
            label={t('live.ideaTitle')}
            help={t('live.ideaTitleHelp')}
            error={titleTooShort ? t('live.ideaTitleHelp') : null}
          >
            {(props) => (
              <input
                {...props}
                name="title"
                value={title}
                maxLength={200}
                onInput={(e) => {
                  setTitle((e.target as HTMLInputElement).value);
                  setSent(false);
                }}
              />
            )}
          </Field>
          <Field label={`${t('live.ideaBody')} ${t('common.optional')}`}>
            {(props) => (
              <textarea
                {...props}
                name="body"
                rows={3}
                maxLength={10000}
                value={body}
                onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          <ErrorMessage code={error} />
          {sent && <p class="success">{t('live.submitted')}</p>}
          <button type="submit" class="primary" disabled={busy || live.status !== 'online'}>
            {busy ? t('live.submitting') : t('live.submit')}
          </button>
        </form>
      </section>
      <section aria-labelledby="ideas-title">
        <h2 id="ideas-title">
          {t('live.ideasTitle')} <span class="count">({ideas.length})</span>
        </h2>
        {ideas.length === 0 ? (
          <p>{t('live.noIdeas')}</p>
        ) : (
          <ul class="idea-list" data-testid="idea-list">
            {[...ideas].reverse().map((idea) => (
              <li key={idea.id} class="card idea-card">
                <p class="idea-title">{idea.title}</p>
                {idea.body && <p class="idea-body">{idea.body}</p>}
                <p class="meta">{idea.authorName}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Voting({ workshop, ideas, live }: { workshop: Workshop; ideas: Idea[]; live: Live }) {
  const me = live.me!;
  const [error, setError] = useState<string | null>(null);
  // Taps are sent one after another, so each ack's remainingDots tells exactly what changed.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const dots = workshop.votingMode === 'dots';

  const mineNow = useRef(me.votes);
  mineNow.current = me.votes;

  const apply = (ideaId: string, result: VoteResult, mine: number) =>
    live.setState((s) =>
      s.me
        ? {
            ...s,
            me: {
              ...s.me,
              remainingDots: result.remainingDots,
              votes: { ...s.me.votes, [ideaId]: mine },
            },
            ideas: s.ideas.map((i) =>
              i.id === ideaId ? { ...i, voteCount: result.voteCount } : i,
            ),
          }
        : s,
    );

  const change = (idea: Idea, add: boolean) => {
    queue.current = queue.current.then(async () => {
      const conn = live.connection.current;
      if (!conn) return;
      const ref = { workshopId: workshop.id, ideaId: idea.id };
      const cast = (n: number) =>
        conn.emit<VoteResult>('vote:cast', {
          ...ref,
          ...(dots ? { dots: n } : {}),
          clientId: clientId(),
        });
      try {
        const before = mineNow.current[idea.id] ?? 0;
        let result: VoteResult;
        let mine: number;
        if (add) {
          result = await cast(1);
          mine = dots ? before + 1 : 1;
        } else {
          // vote:retract takes back all of one's dots on an idea; "−" takes back one,
          // so the rest are cast again right after (taps are queued, so nothing interleaves).
          result = await conn.emit<VoteResult>('vote:retract', ref);
          mine = 0;
          if (dots && before > 1) {
            apply(idea.id, result, 0);
            result = await cast(before - 1);
            mine = before - 1;
          }
        }
        setError(null);
        apply(idea.id, result, mine);
        if (dots)
          announce(t('live.dotsLeft', { left: result.remainingDots, budget: workshop.dotBudget }));
      } catch (e) {
        setError((e as LiveError).code);
      }
    });
  };

  return (
    <section aria-labelledby="vote-title">
      <h2 id="vote-title">{stageName('voting')}</h2>
      <p class="help">{dots ? t('live.dotsHelp') : t('live.upHelp')}</p>
      <ErrorMessage code={error} />
      <ul class="idea-list vote-list" data-testid="vote-list">
        {ideas.map((idea) => {
          const mine = me.votes[idea.id] ?? 0;
          const atMax = workshop.maxDotsPerIdea != null && mine >= workshop.maxDotsPerIdea;
          return (
            <li key={idea.id} class="card idea-card vote-card" data-idea-id={idea.id}>
              <div class="vote-text">
                <p class="idea-title">{idea.title}</p>
                {idea.body && <p class="idea-body">{idea.body}</p>}
              </div>
              {dots ? (
                <div class="dot-controls">
                  <button
                    type="button"
                    class="round"
                    aria-label={t('live.removeDot', { title: idea.title })}
                    disabled={mine === 0 || live.status !== 'online'}
                    onClick={() => change(idea, false)}
                  >
                    −
                  </button>
                  <span class="my-dots" data-testid="my-dots">
                    <span class="sr-only">{t('live.myDots', { n: mine })}</span>
                    <span aria-hidden="true">{mine}</span>
                  </span>
                  <button
                    type="button"
                    class="round primary"
                    aria-label={t('live.addDot', { title: idea.title })}
                    disabled={me.remainingDots === 0 || atMax || live.status !== 'online'}
                    onClick={() => change(idea, true)}
                  >
                    +
                  </button>
                </div>
              ) : (
                <button
                  type="button"
                  class={mine ? 'toggle on' : 'toggle'}
                  aria-pressed={mine > 0}
                  aria-label={
                    mine
                      ? t('live.unvote', { title: idea.title })
                      : t('live.voteOn', { title: idea.title })
                  }
                  disabled={live.status !== 'online'}
                  onClick={() => change(idea, mine === 0)}
                >
                  {mine ? t('live.voted') : t('live.vote')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Ranking from the results route, or from the live tallies if that is not reachable. */
export function useResults(
  workshopId: string,
  ideas: Idea[],
  token: string | null | undefined,
): ResultRow[] {
  const [rows, setRows] = useState<ResultRow[] | null>(null);
  useEffect(() => {
    api<ResultRow[]>('GET', `/api/workshops/${workshopId}/results`, token ? { token } : {})
      .then(setRows)
      .catch(() => setRows(null));
  }, [workshopId, token]);
  if (rows) {
    const live = new Map(ideas.map((i) => [i.id, i.voteCount]));
    return rows.map((row) => ({ ...row, voteCount: live.get(row.idea.id) ?? row.voteCount }));
  }
  const sorted = [...ideas].sort((a, b) => b.voteCount - a.voteCount);
  return sorted.map((idea) => ({
    idea,
    voteCount: idea.voteCount,
    rank: 1 + sorted.filter((other) => other.voteCount > idea.voteCount).length,
  }));
}

function Results({
  workshop,
  ideas,
  guestToken,
}: {
  workshop: Workshop;
  ideas: Idea[];
  guestToken: string | null;
}) {
  const rows = useResults(workshop.id, ideas, guestToken);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t('live.resultsTitle')}</h2>
      <ol class="results" data-testid="results">
        {rows.map((row) => (
          <li key={row.idea.id} class="card result-row">
            <span class="rank">{t('live.rank', { n: row.rank })}</span>
            <span class="idea-title">{row.idea.title}</span>
            <span class="votes">{tn('common.votes', row.voteCount)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
