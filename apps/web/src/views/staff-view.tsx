import { useEffect, useState } from 'preact/hooks';
import { formatDate, t, tn } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import { api, download, type ApiError } from '../lib/api.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import {
  IDEA_STATUSES,
  PHASES,
  STAFF_ROLES,
  type Idea,
  type IdeaStatus,
  type Page,
  type Phase,
  type PriorityArea,
  type Process,
  type Region,
  type Workshop,
} from '../lib/types.js';
import { ErrorMessage, Field, Loading, usePageTitle } from '../components/ui.js';

const value = (e: Event) => (e.target as HTMLInputElement).value;

function useStaffRegion(): [string, (code: string) => void, Region[]] {
  const current = useSession();
  const [regions, setRegions] = useState<Region[]>([]);
  const [chosen, setChosen] = useState(current?.user.regionCode ?? '');
  useEffect(() => {
    api<Region[]>('GET', '/api/regions')
      .then(setRegions)
      .catch(() => setRegions([]));
  }, []);
  return [current?.user.regionCode ?? chosen, setChosen, regions];
}

export function StaffView() {
  usePageTitle(t('staff.title'));
  const current = useSession();
  const [regionCode, setRegionCode, regions] = useStaffRegion();
  const [processes, setProcesses] = useState<Process[] | null>(null);
  const [areas, setAreas] = useState<PriorityArea[]>([]);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!regionCode) return;
    api<Page<Process>>('GET', `/api/processes?region=${encodeURIComponent(regionCode)}&limit=100`)
      .then((page) => setProcesses(page.items))
      .catch(() => setProcesses([]));
    api<PriorityArea[]>('GET', `/api/regions/${encodeURIComponent(regionCode)}/priority-areas`)
      .then(setAreas)
      .catch(() => setAreas([]));
  }, [regionCode, reload]);

  if (!current || !STAFF_ROLES.includes(current.user.role)) {
    return (
      <section class="narrow">
        <h1>{t('staff.title')}</h1>
        <p>{t('staff.notStaff')}</p>
        <a href="/login">{t('nav.login')}</a>
      </section>
    );
  }
  const regionName = regions.find((r) => r.code === regionCode)?.name ?? regionCode;
  const canManageProcesses = current.user.role !== 'facilitator';

  return (
    <div class="staff">
      <h1>
        {t('staff.title')}
        {regionName ? ` – ${regionName}` : ''}
      </h1>
      {!current.user.regionCode && (
        <Field label={t('staff.region')}>
          {(p) => (
            <select {...p} value={regionCode} onChange={(e) => setRegionCode(value(e))}>
              <option value="">{t('auth.chooseRegion')}</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name} ({r.code})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {regionCode && (
        <>
          <section class="card" aria-labelledby="processes-title">
            <h2 id="processes-title">{t('staff.processes')}</h2>
            {processes === null ? (
              <Loading />
            ) : (
              <ul class="process-list">
                {processes.map((p) => (
                  <li key={p.id} class="process-row">
                    <a href={`/staff/processes/${p.id}`}>{p.title}</a>{' '}
                    <span class={`phase phase-${p.phase}`}>{t(`process.phase.${p.phase}`)}</span>{' '}
                    <span class="meta">
                      {tn('common.ideas', p.ideaCount)} · {formatDate(p.createdAt)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {canManageProcesses && <NewProcess regionCode={regionCode} areas={areas} />}
          </section>
          <section class="card" aria-labelledby="areas-title">
            <h2 id="areas-title">{t('staff.priorityAreas')}</h2>
            {areas.length === 0 ? (
              <p class="meta">{t('staff.noPriorityAreas')}</p>
            ) : (
              <ul>
                {areas.map((a) => (
                  <li key={a.id}>
                    <strong>{a.name}</strong>
                    {a.description ? ` – ${a.description}` : ''}
                  </li>
                ))}
              </ul>
            )}
            {canManageProcesses && (
              <NewPriorityArea regionCode={regionCode} onCreated={() => setReload((n) => n + 1)} />
            )}
          </section>
        </>
      )}
    </div>
  );
}

function NewProcess({ regionCode, areas }: { regionCode: string; areas: PriorityArea[] }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="sub-form"
      onSubmit={(event) => {
        event.preventDefault();
        api<Process>('POST', '/api/processes', {
          body: {
            regionCode,
            title: title.trim(),
            ...(description.trim() ? { description: description.trim() } : {}),
            ...(chosen.length ? { priorityAreaIds: chosen } : {}),
          },
        })
          .then((p) => navigate(`/staff/processes/${p.id}`))
          .catch((e: ApiError) => setError(e.code));
      }}
    >
      <h3>{t('staff.newProcess')}</h3>
      <Field label={t('staff.processTitle')}>
        {(p) => (
          <input {...p} name="title" required value={title} onInput={(e) => setTitle(value(e))} />
        )}
      </Field>
      <Field label={`${t('staff.description')} ${t('common.optional')}`}>
        {(p) => (
          <textarea
            {...p}
            name="description"
            rows={3}
            value={description}
            onInput={(e) => setDescription(value(e))}
          />
        )}
      </Field>
      {areas.length > 0 && (
        <fieldset>
          <legend>{t('staff.priorityAreas')}</legend>
          {areas.map((a) => (
            <label key={a.id} class="check">
              <input
                type="checkbox"
                checked={chosen.includes(a.id)}
                onChange={(e) =>
                  setChosen((l) =>
                    (e.target as HTMLInputElement).checked
                      ? [...l, a.id]
                      : l.filter((id) => id !== a.id),
                  )
                }
              />{' '}
              {a.name}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorMessage code={error} />
      <button type="submit" class="primary">
        {t('common.create')}
      </button>
    </form>
  );
}

function NewPriorityArea({ regionCode, onCreated }: { regionCode: string; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nace, setNace] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="sub-form"
      onSubmit={(event) => {
        event.preventDefault();
        const naceCodes = nace
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        api('POST', `/api/regions/${encodeURIComponent(regionCode)}/priority-areas`, {
          body: {
            name: name.trim(),
            ...(description.trim() ? { description: description.trim() } : {}),
            ...(naceCodes.length ? { naceCodes } : {}),
          },
        })
          .then(() => {
            setName('');
            setDescription('');
            setNace('');
            setError(null);
            announce(t('staff.saved'));
            onCreated();
          })
          .catch((e: ApiError) => setError(e.code));
      }}
    >
      <h3>{t('staff.newPriorityArea')}</h3>
      <Field label={t('staff.name')}>
        {(p) => <input {...p} required value={name} onInput={(e) => setName(value(e))} />}
      </Field>
      <Field label={`${t('staff.description')} ${t('common.optional')}`}>
        {(p) => <input {...p} value={description} onInput={(e) => setDescription(value(e))} />}
      </Field>
      <Field label={`${t('staff.naceCodes')} ${t('common.optional')}`}>
        {(p) => <input {...p} value={nace} onInput={(e) => setNace(value(e))} />}
      </Field>
      <ErrorMessage code={error} />
      <button type="submit">{t('common.create')}</button>
    </form>
  );
}

interface RecentWorkshop {
  id: string;
  title: string;
  joinCode: string;
  processId: string;
}
const RECENT_KEY = 'edp.recentWorkshops';
// The API has no "workshops of a process" list, so the console remembers the ones created here.
function recentWorkshops(): RecentWorkshop[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as RecentWorkshop[];
  } catch {
    return [];
  }
}
function rememberWorkshop(w: Workshop) {
  const list = [
    { id: w.id, title: w.title, joinCode: w.joinCode, processId: w.processId },
    ...recentWorkshops().filter((r) => r.id !== w.id),
  ].slice(0, 20);
  localStorage.setItem(RECENT_KEY, JSON.stringify(list));
}

export function StaffProcessView({ processId }: { processId: string }) {
  const current = useSession();
  const [process, setProcess] = useState<Process | null>(null);
  const [phase, setPhase] = useState<Phase>('draft');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  usePageTitle(process?.title ?? t('staff.title'));

  useEffect(() => {
    api<Process>('GET', `/api/processes/${processId}`)
      .then((p) => {
        setProcess(p);
        setPhase(p.phase);
      })
      .catch((e: ApiError) => setError(e.code));
  }, [processId]);

  if (!current || !STAFF_ROLES.includes(current.user.role))
    return <p class="narrow">{t('staff.notStaff')}</p>;
  if (!process) return error ? <ErrorMessage code={error} /> : <Loading />;
  const recent = recentWorkshops().filter((w) => w.processId === process.id);

  return (
    <div class="staff">
      <p>
        <a href="/staff">{t('common.back')}</a> ·{' '}
        <a href={`/processes/${process.id}`}>{t('staff.publicPage')}</a>
      </p>
      <h1>{process.title}</h1>
      {current.user.role !== 'facilitator' && (
        <section class="card" aria-labelledby="phase-title">
          <h2 id="phase-title">{t('staff.phase')}</h2>
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              api<Process>('PATCH', `/api/processes/${process.id}`, { body: { phase } })
                .then((p) => {
                  setProcess(p);
                  setSaved(true);
                  setError(null);
                  announce(t('staff.saved'));
                })
                .catch((e: ApiError) => setError(e.code));
            }}
          >
            <Field label={t('staff.phase')}>
              {(p) => (
                <select
                  {...p}
                  name="phase"
                  value={phase}
                  onChange={(e) => {
                    setPhase(value(e) as Phase);
                    setSaved(false);
                  }}
                >
                  {PHASES.map((ph) => (
                    <option key={ph} value={ph}>
                      {t(`process.phase.${ph}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit">{t('staff.savePhase')}</button>
            {saved && <span class="success">{t('staff.saved')}</span>}
          </form>
          <ErrorMessage code={error} />
        </section>
      )}
      <section class="card" aria-labelledby="workshops-title">
        <h2 id="workshops-title">{t('staff.workshops')}</h2>
        {recent.length > 0 && (
          <>
            <h3>{t('staff.recentWorkshops')}</h3>
            <ul>
              {recent.map((w) => (
                <li key={w.id}>
                  {w.title} ({w.joinCode}) –{' '}
                  <a href={`/facilitate/${w.id}`}>{t('staff.console')}</a> ·{' '}
                  <a href={`/screen/${w.id}`} target="_blank" rel="noopener">
                    {t('staff.screen')}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
        <NewWorkshop processId={process.id} />
      </section>
      <StaffIdeas process={process} />
    </div>
  );
}

function NewWorkshop({ processId }: { processId: string }) {
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<'dots' | 'up'>('dots');
  const [budget, setBudget] = useState('5');
  const [maxPerIdea, setMaxPerIdea] = useState('');
  const [guests, setGuests] = useState(true);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="sub-form"
      onSubmit={(event) => {
        event.preventDefault();
        api<Workshop>('POST', `/api/processes/${processId}/workshops`, {
          body: {
            title: title.trim(),
            votingMode: mode,
            dotBudget: Number(budget),
            ...(maxPerIdea ? { maxDotsPerIdea: Number(maxPerIdea) } : {}),
            allowGuests: guests,
          },
        })
          .then((w) => {
            rememberWorkshop(w);
            navigate(`/facilitate/${w.id}`);
          })
          .catch((e: ApiError) => setError(e.code));
      }}
    >
      <h3>{t('staff.newWorkshop')}</h3>
      <Field label={t('staff.workshopTitle')}>
        {(p) => (
          <input
            {...p}
            name="workshopTitle"
            required
            value={title}
            onInput={(e) => setTitle(value(e))}
          />
        )}
      </Field>
      <fieldset>
        <legend>{t('staff.votingMode')}</legend>
        {(['dots', 'up'] as const).map((m) => (
          <label key={m} class="check">
            <input
              type="radio"
              name="votingMode"
              value={m}
              checked={mode === m}
              onChange={() => setMode(m)}
            />{' '}
            {t(`staff.votingMode.${m}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t('staff.dotBudget')}>
        {(p) => (
          <input
            {...p}
            name="dotBudget"
            type="number"
            min={1}
            max={100}
            value={budget}
            onInput={(e) => setBudget(value(e))}
          />
        )}
      </Field>
      <Field label={`${t('staff.maxDotsPerIdea')} ${t('common.optional')}`}>
        {(p) => (
          <input
            {...p}
            name="maxDotsPerIdea"
            type="number"
            min={1}
            max={100}
            value={maxPerIdea}
            onInput={(e) => setMaxPerIdea(value(e))}
          />
        )}
      </Field>
      <label class="check">
        <input
          type="checkbox"
          checked={guests}
          onChange={(e) => setGuests((e.target as HTMLInputElement).checked)}
        />{' '}
        {t('staff.allowGuests')}
      </label>
      <ErrorMessage code={error} />
      <button type="submit" class="primary">
        {t('common.create')}
      </button>
    </form>
  );
}

function StaffIdeas({ process }: { process: Process }) {
  const [ideas, setIdeas] = useState<Idea[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Page<Idea>>('GET', `/api/processes/${process.id}/ideas?sort=new&limit=100`)
      .then((page) => setIdeas(page.items))
      .catch((e: ApiError) => setError(e.code));
  }, [process.id]);
  const patch = (idea: Idea, body: { status?: IdeaStatus; hidden?: boolean }) =>
    api<Idea>('PATCH', `/api/ideas/${idea.id}`, { body })
      .then((next) => {
        setIdeas((list) => list?.map((i) => (i.id === next.id ? next : i)) ?? null);
        setError(null);
        announce(t('staff.saved'));
      })
      .catch((e: ApiError) => setError(e.code));
  return (
    <section class="card" aria-labelledby="staff-ideas-title">
      <div class="section-head">
        <h2 id="staff-ideas-title">{t('staff.ideas')}</h2>
        <button
          type="button"
          onClick={() =>
            void download(
              `/api/processes/${process.id}/export?format=csv`,
              `ideas-${process.id}.csv`,
            ).catch((e: ApiError) => setError(e.code))
          }
        >
          {t('staff.export')}
        </button>
      </div>
      <ErrorMessage code={error} />
      {ideas === null ? (
        <Loading />
      ) : (
        <table class="staff-table">
          <thead>
            <tr>
              <th scope="col">{t('staff.processTitle')}</th>
              <th scope="col">{t('staff.votes')}</th>
              <th scope="col">{t('process.status')}</th>
              <th scope="col">{t('staff.hidden')}</th>
            </tr>
          </thead>
          <tbody>
            {ideas.map((idea) => (
              <tr key={idea.id}>
                <td>
                  {idea.title}
                  <br />
                  <span class="meta">{idea.authorName}</span>
                </td>
                <td>{tn('common.votes', idea.voteCount)}</td>
                <td>
                  <select
                    aria-label={t('staff.statusOf', { title: idea.title })}
                    value={idea.status}
                    onChange={(e) => void patch(idea, { status: value(e) as IdeaStatus })}
                  >
                    {IDEA_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`idea.status.${s}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('staff.hiddenOf', { title: idea.title })}
                    checked={!!idea.hidden}
                    onChange={(e) =>
                      void patch(idea, { hidden: (e.target as HTMLInputElement).checked })
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
