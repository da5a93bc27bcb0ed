import { useEffect, useState } from 'preact/hooks';
import { formatNumber, t } from '../i18n/i18n.js';
import { api, type ApiError } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import { HELICES, OVERVIEW_ROLES, PHASES, type Overview } from '../lib/types.js';
import { ErrorMessage, Loading, usePageTitle } from '../components/ui.js';

/** National overview for admin, agency and region staff: a table by region and the clusters. */
export function OverviewView() {
  const current = useSession();
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(t('overview.title'));
  const allowed = !!current && OVERVIEW_ROLES.includes(current.user.role);

  useEffect(() => {
    if (!allowed) return;
    api<Overview>('GET', '/api/overview')
      .then(setData)
      .catch((e: ApiError) => setError(e.code));
  }, [allowed]);

  if (!allowed)
    return (
      <section class="narrow">
        <h1>{t('overview.title')}</h1>
        <p>{t('overview.staffOnly')}</p>
        {!current && <a href="/login">{t('nav.login')}</a>}
      </section>
    );
  if (error)
    return (
      <section class="narrow">
        <h1>{t('overview.title')}</h1>
        <ErrorMessage code={error} />
      </section>
    );
  if (!data) return <Loading />;
  const names = new Map(data.regions.map((r) => [r.code, r.name]));

  return (
    <div class="overview-page">
      <h1>{t('overview.title')}</h1>
      <p class="lead">{t('overview.lead')}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="overview-caption">
        <table class="overview-table" data-testid="overview-table">
          <caption id="overview-caption">{t('overview.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                {t('overview.region')}
              </th>
              <th scope="colgroup" colSpan={PHASES.length}>
                {t('overview.processes')}
              </th>
              <th scope="col" rowSpan={2}>
                {t('overview.ideas')}
              </th>
              <th scope="col" rowSpan={2}>
                {t('overview.votes')}
              </th>
              <th scope="colgroup" colSpan={HELICES.length}>
                {t('overview.participants')}
              </th>
            </tr>
            <tr>
              {PHASES.map((phase) => (
                <th scope="col" key={phase}>
                  {t(`process.phase.${phase}`)}
                </th>
              ))}
              {HELICES.map((helix) => (
                <th scope="col" key={helix}>
                  {t(`helix.${helix}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.regions.map((r) => (
              <tr key={r.code} data-region={r.code}>
                <th scope="row">
                  {r.name} <span class="meta">({r.code})</span>
                  {r.scope === 'published' && (
                    <span class="meta"> · {t('overview.publishedOnly')}</span>
                  )}
                </th>
                {PHASES.map((phase) => (
                  <td key={phase} data-col={`processes.${phase}`}>
                    {formatNumber(r.processes[phase])}
                  </td>
                ))}
                <td data-col="ideas">{formatNumber(r.ideas)}</td>
                <td data-col="votes">{formatNumber(r.votes)}</td>
                {HELICES.map((helix) => (
                  <td key={helix} data-col={`participants.${helix}`}>
                    {formatNumber(r.participantsByHelix[helix])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section aria-labelledby="clusters-heading">
        <h2 id="clusters-heading">{t('overview.clusters')}</h2>
        <p>{t('overview.clustersHelp')}</p>
        {data.clusters.length === 0 ? (
          <p>{t('overview.noClusters')}</p>
        ) : (
          <ol class="cluster-list" data-testid="clusters">
            {data.clusters.map((cluster, index) => (
              <li key={cluster.ideas.map((i) => i.id).join()} class="card">
                <h3>
                  {t('overview.cluster', {
                    n: index + 1,
                    regions: cluster.regionCodes
                      .map((code) => `${names.get(code) ?? code} (${code})`)
                      .join(', '),
                  })}
                </h3>
                <ul>
                  {cluster.ideas.map((idea) => (
                    <li key={idea.id} data-cluster-idea={idea.id}>
                      <a href={`/ideas/${idea.id}`}>{idea.title}</a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
