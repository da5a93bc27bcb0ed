import { useState } from 'preact/hooks';
import { t, tn } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import type { LiveError } from '../lib/live.js';
import { useSession } from '../lib/session.js';
import { STAGES, type Idea, type Stage, type Workshop } from '../lib/types.js';
import { useWorkshopLive } from '../lib/use-workshop-live.js';
import { ConnectionBanner } from '../components/connection-banner.js';
import { QrCode } from '../components/qr-code.js';
import { TallyBars } from '../components/tally.js';
import { Countdown, ErrorMessage, Loading, stageName, usePageTitle } from '../components/ui.js';

export function joinUrl(code: string): string {
  return `${location.origin}/j/${code}`;
}

export function FacilitatorView({ workshopId }: { workshopId: string }) {
  usePageTitle(t('facilitator.title'));
  const current = useSession();
  const live = useWorkshopLive(null, current ? workshopId : null, {
    onStageChanged: (w) => announce(t('live.stageChanged', { stage: stageName(w.stage) })),
  });
  const [error, setError] = useState<string | null>(null);
  const { workshop, ideas, status } = live;

  if (!current) return <p class="narrow">{t('facilitator.needStaff')}</p>;
  if (!workshop) {
    return (
      <section class="narrow">
        <h1>{t('facilitator.title')}</h1>
        <ConnectionBanner status={status} />
        {live.error ? <ErrorMessage code={live.error.code} /> : <Loading />}
      </section>
    );
  }

  const send = <T,>(event: string, payload: Record<string, unknown>): Promise<T | undefined> =>
    (
      live.connection.current?.emit<T>(event, { workshopId, ...payload }) ??
      Promise.reject(new Error('offline'))
    )
      .then((data) => {
        setError(null);
        return data;
      })
      .catch((e: LiveError) => {
        setError(e.code ?? 'OFFLINE');
        return undefined;
      });
  const applyWorkshop = (w: Workshop | undefined) => {
    if (w) live.setState((s) => ({ ...s, workshop: w }));
  };
  const secondsLeft = workshop.timerEndsAt
    ? Math.max(0, Math.round((Date.parse(workshop.timerEndsAt) - Date.now()) / 1000))
    : 0;
  const online = status === 'online';

  return (
    <div class="console">
      <div class="console-head">
        <div>
          <p class="eyebrow">{t('facilitator.title')}</p>
          <h1>{workshop.title}</h1>
          <p class="stage-pill" data-testid="stage">
            {t('live.stageNow', { stage: stageName(workshop.stage) })}
          </p>
        </div>
        <a class="button" href={`/screen/${workshop.id}`} target="_blank" rel="noopener">
          {t('facilitator.openScreen')}
        </a>
      </div>
      <ConnectionBanner status={status} />
      <ErrorMessage code={error} />
      <div class="console-grid">
        <section class="card join-info" aria-labelledby="code-title">
          <h2 id="code-title">{t('facilitator.code')}</h2>
          <p class="code-display" data-testid="join-code">
            {workshop.joinCode}
          </p>
          <QrCode
            value={joinUrl(workshop.joinCode)}
            label={t('facilitator.qr', { url: joinUrl(workshop.joinCode) })}
            size={180}
          />
          <p class="meta">{t('facilitator.joinAt', { url: `${location.host}/join` })}</p>
          <p class="participants" data-testid="participant-count">
            {tn('common.participants', workshop.participantCount)}
          </p>
        </section>
        <section class="card" aria-labelledby="stages-title">
          <h2 id="stages-title">{t('facilitator.stages')}</h2>
          <div class="stage-buttons">
            {STAGES.map((stage: Stage) => (
              <button
                key={stage}
                type="button"
                class={stage === workshop.stage ? 'stage-button current' : 'stage-button'}
                aria-pressed={stage === workshop.stage}
                disabled={!online}
                data-stage={stage}
                onClick={() => void send<Workshop>('stage:set', { stage }).then(applyWorkshop)}
              >
                {stageName(stage)}
              </button>
            ))}
          </div>
          <h2 id="timer-title">{t('facilitator.timer')}</h2>
          <Countdown endsAt={workshop.timerEndsAt} />
          {!workshop.timerEndsAt && <p class="meta">{t('facilitator.noTimer')}</p>}
          <div class="timer-buttons" role="group" aria-labelledby="timer-title">
            {[1, 3, 5, 10].map((n) => (
              <button
                key={n}
                type="button"
                disabled={!online}
                onClick={() =>
                  void send<Workshop>('timer:set', { seconds: n * 60 }).then(applyWorkshop)
                }
              >
                {t('facilitator.startTimer', { n })}
              </button>
            ))}
            <button
              type="button"
              disabled={!online || !workshop.timerEndsAt}
              onClick={() =>
                void send<Workshop>('timer:set', { seconds: secondsLeft + 60 }).then(applyWorkshop)
              }
            >
              {t('facilitator.addMinute')}
            </button>
            <button
              type="button"
              disabled={!online || !workshop.timerEndsAt}
              onClick={() =>
                void send<Workshop>('timer:set', { seconds: null }).then(applyWorkshop)
              }
            >
              {t('facilitator.stopTimer')}
            </button>
          </div>
        </section>
      </div>
      <section class="card" aria-labelledby="tally-title">
        <h2 id="tally-title">
          {t('facilitator.tally')} <span class="count">({tn('common.ideas', ideas.length)})</span>
        </h2>
        <TallyBars ideas={ideas} />
        <h3>{t('live.ideasTitle')}</h3>
        <ul class="moderation-list">
          {ideas.map((idea: Idea) => {
            const spot = workshop.spotlightIdeaId === idea.id;
            return (
              <li key={idea.id} class={spot ? 'moderation-row spotlighted' : 'moderation-row'}>
                <span class="idea-title">{idea.title}</span>
                <span class="meta">{idea.authorName}</span>
                <button
                  type="button"
                  aria-pressed={spot}
                  aria-label={
                    spot
                      ? t('facilitator.unspotlight')
                      : t('facilitator.spotlightLabel', { title: idea.title })
                  }
                  disabled={!online}
                  onClick={() =>
                    void send<Workshop>('idea:spotlight', { ideaId: spot ? null : idea.id }).then(
                      applyWorkshop,
                    )
                  }
                >
                  {spot ? t('facilitator.unspotlight') : t('facilitator.spotlight')}
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label={t('facilitator.hideLabel', { title: idea.title })}
                  disabled={!online}
                  onClick={() =>
                    void send<Idea>('idea:hide', { ideaId: idea.id }).then((hidden) => {
                      if (!hidden) return;
                      live.setState((s) => ({
                        ...s,
                        ideas: s.ideas.filter((i) => i.id !== idea.id),
                      }));
                      announce(t('facilitator.hidden', { title: idea.title }));
                    })
                  }
                >
                  {t('facilitator.hide')}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
