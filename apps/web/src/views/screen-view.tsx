import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tn } from '../i18n/i18n.js';
import { useSession } from '../lib/session.js';
import { useWorkshopLive, type LiveState } from '../lib/use-workshop-live.js';
import { ConnectionBanner } from '../components/connection-banner.js';
import { QrCode } from '../components/qr-code.js';
import { TallyBars } from '../components/tally.js';
import { Countdown, ErrorMessage, Loading, stageName, usePageTitle } from '../components/ui.js';
import { joinUrl } from './facilitator-view.js';
import { useResults } from './join-view.js';

/** `/screen/:workshopId`: the projector view. Readable from the back; updates can be paused (WCAG 2.2.2). */
export function ScreenView({ workshopId }: { workshopId: string }) {
  usePageTitle(t('screen.title'));
  const current = useSession();
  const live = useWorkshopLive(null, current ? workshopId : null);
  const [paused, setPaused] = useState(false);
  const frozen = useRef<LiveState | null>(null);
  const [waiting, setWaiting] = useState(0);

  // While paused the screen shows the moment it was paused; changes are only counted.
  useEffect(() => {
    if (paused) setWaiting((n) => n + 1);
  }, [live.ideas, live.workshop]);

  const shown = paused && frozen.current ? frozen.current : live;
  const { workshop, ideas } = shown;

  if (!current) return <p class="narrow">{t('facilitator.needStaff')}</p>;
  if (!workshop) {
    return (
      <section class="narrow">
        <ConnectionBanner status={live.status} />
        {live.error ? <ErrorMessage code={live.error.code} /> : <Loading />}
      </section>
    );
  }

  const togglePause = () => {
    if (paused) {
      frozen.current = null;
      setPaused(false);
    } else {
      frozen.current = { ...live };
      setWaiting(0);
      setPaused(true);
    }
  };

  return (
    <div class="screen" data-stage={workshop.stage}>
      <header class="screen-head">
        <div class="screen-join">
          <QrCode
            value={joinUrl(workshop.joinCode)}
            label={t('facilitator.qr', { url: joinUrl(workshop.joinCode) })}
            size={200}
          />
          <div>
            <p class="screen-url">{t('facilitator.joinAt', { url: `${location.host}/join` })}</p>
            <p class="code-display code-huge" data-testid="join-code">
              {workshop.joinCode}
            </p>
          </div>
        </div>
        <div class="screen-side">
          <h1 class="screen-title">{workshop.title}</h1>
          <p class="stage-pill">{stageName(workshop.stage)}</p>
          <p class="participants">{tn('common.participants', workshop.participantCount)}</p>
          <Countdown endsAt={workshop.timerEndsAt} large />
          <button type="button" class="pause" aria-pressed={paused} onClick={togglePause}>
            {paused ? t('screen.resume') : t('screen.pause')}
          </button>
          {paused && (
            <p class="meta" data-testid="paused">
              {t('screen.paused', { n: waiting })}
            </p>
          )}
        </div>
      </header>
      <ConnectionBanner status={live.status} />
      {(workshop.stage === 'lobby' || workshop.stage === 'ideation') && (
        <section aria-labelledby="wall-title">
          <h2 id="wall-title">
            {t('screen.wall')} <span class="count">({ideas.length})</span>
          </h2>
          <ul class="wall" data-testid="wall">
            {[...ideas].reverse().map((idea) => (
              <li
                key={idea.id}
                class={idea.id === workshop.spotlightIdeaId ? 'wall-card spotlighted' : 'wall-card'}
              >
                <p class="idea-title">{idea.title}</p>
                <p class="meta">{idea.authorName}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {workshop.stage === 'voting' && (
        <section aria-labelledby="tally-title" class="screen-tally">
          <h2 id="tally-title">{t('screen.tally')}</h2>
          <TallyBars ideas={ideas} />
        </section>
      )}
      {(workshop.stage === 'results' || workshop.stage === 'closed') && (
        <ScreenResults state={shown} />
      )}
    </div>
  );
}

function ScreenResults({ state }: { state: LiveState }) {
  const rows = useResults(state.workshop!.id, state.ideas, null);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t('live.resultsTitle')}</h2>
      <ol class="results results-large" data-testid="results">
        {rows.slice(0, 10).map((row) => (
          <li key={row.idea.id} class="result-row">
            <span class="rank">{row.rank}</span>
            <span class="idea-title">{row.idea.title}</span>
            <span class="votes">{tn('common.votes', row.voteCount)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
