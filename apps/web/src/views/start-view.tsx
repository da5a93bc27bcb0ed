import { useEffect, useState } from 'preact/hooks';
import { formatDate, t, tn } from '../i18n/i18n.js';
import { api } from '../lib/api.js';
import { navigate } from '../lib/router.js';
import type { Page, Process, Region } from '../lib/types.js';
import { ErrorMessage, Loading, usePageTitle } from '../components/ui.js';
import { CodeForm } from '../components/code-form.js';

export function StartView() {
  usePageTitle(t('nav.home'));
  const [processes, setProcesses] = useState<Process[] | null>(null);
  const [regions, setRegions] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Page<Process>>('GET', '/api/processes?phase=open&limit=100')
      .then((page) => setProcesses(page.items.filter((p) => p.phase === 'open')))
      .catch((e: { code?: string }) => {
        setProcesses([]);
        setError(e.code ?? 'NETWORK');
      });
    api<Region[]>('GET', '/api/regions')
      .then((list) => setRegions(new Map(list.map((r) => [r.code, r.name]))))
      .catch(() => undefined);
  }, []);

  const byRegion = new Map<string, Process[]>();
  for (const process of processes ?? []) {
    byRegion.set(process.regionCode, [...(byRegion.get(process.regionCode) ?? []), process]);
  }
  const regionCodes = [...byRegion.keys()].sort((a, b) =>
    (regions.get(a) ?? a).localeCompare(regions.get(b) ?? b, 'sv'),
  );

  return (
    <div class="start">
      <section class="hero" aria-labelledby="start-title">
        <p class="eyebrow">{t('app.tagline')}</p>
        <h1 id="start-title">{t('start.title')}</h1>
        <p class="lead">{t('start.lead')}</p>
        <ol class="how">
          <li>{t('start.how1')}</li>
          <li>{t('start.how2')}</li>
          <li>{t('start.how3')}</li>
        </ol>
      </section>
      <section class="card join-card" aria-labelledby="join-title">
        <h2 id="join-title">{t('start.joinTitle')}</h2>
        <CodeForm onCode={(code) => navigate(`/j/${code}`)} />
      </section>
      <section aria-labelledby="processes-title">
        <h2 id="processes-title">{t('start.processesTitle')}</h2>
        {processes === null ? (
          <Loading />
        ) : (
          <>
            <ErrorMessage code={error} />
            {processes.length === 0 && !error && <p>{t('start.noProcesses')}</p>}
            {regionCodes.map((code) => (
              <section class="region-group" key={code} aria-labelledby={`region-${code}`}>
                <h3 id={`region-${code}`}>{regions.get(code) ?? code}</h3>
                <ul class="process-list">
                  {(byRegion.get(code) ?? []).map((process) => (
                    <li key={process.id} class="card process-card">
                      <a href={`/processes/${process.id}`} class="process-link">
                        {process.title}
                      </a>
                      {process.description && <p>{process.description}</p>}
                      <p class="meta">
                        {tn('common.ideas', process.ideaCount)} · {formatDate(process.createdAt)}
                      </p>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </>
        )}
      </section>
    </div>
  );
}
