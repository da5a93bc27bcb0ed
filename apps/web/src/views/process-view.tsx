import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDate, t, tn } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import { api, clientId, type ApiError } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import {
  IDEA_STATUSES,
  type Comment,
  type Idea,
  type IdeaStatus,
  type Page,
  type PriorityArea,
  type Process,
  type Region,
} from '../lib/types.js';
import { ErrorMessage, Field, LoadFailed, Loading, usePageTitle } from '../components/ui.js';
import { SimilarWhileTyping } from '../components/similar-ideas.js';

const SUBMITTERS = ['company', 'researcher', 'region', 'facilitator', 'admin'];
const VOTERS = ['company', 'researcher'];

export function ProcessView({ processId }: { processId: string }) {
  const [process, setProcess] = useState<Process | null>(null);
  const [regionName, setRegionName] = useState<string>('');
  const [areas, setAreas] = useState<PriorityArea[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  usePageTitle(process?.title ?? t('process.ideas'));

  useEffect(() => {
    api<Process>('GET', `/api/processes/${processId}`)
      .then((p) => {
        setProcess(p);
        api<Region[]>('GET', '/api/regions')
          .then((list) =>
            setRegionName(list.find((r) => r.code === p.regionCode)?.name ?? p.regionCode),
          )
          .catch(() => setRegionName(p.regionCode));
        api<PriorityArea[]>('GET', `/api/regions/${p.regionCode}/priority-areas`)
          .then(setAreas)
          .catch(() => setAreas([]));
      })
      .catch((e: ApiError) => setError(e.code));
  }, [processId]);

  if (error) return <LoadFailed code={error} />;
  if (!process) return <Loading />;
  const areaNames = new Map(areas.map((a) => [a.id, a.name]));

  return (
    <div class="process-page">
      <header class="process-head">
        <p class="eyebrow">
          {t('process.region')}: {regionName} ·{' '}
          <span class={`phase phase-${process.phase}`}>{t(`process.phase.${process.phase}`)}</span>
        </p>
        <h1>{process.title}</h1>
        {process.description && <p class="lead">{process.description}</p>}
        {process.priorityAreaIds.length > 0 && (
          <ul class="tags" aria-label={t('staff.priorityAreas')}>
            {process.priorityAreaIds.map((id) => (
              <li key={id} class="tag">
                {areaNames.get(id) ?? ''}
              </li>
            ))}
          </ul>
        )}
      </header>
      <SubmitIdea
        process={process}
        areas={areas.filter((a) => process.priorityAreaIds.includes(a.id))}
        onSubmitted={() => setReload((n) => n + 1)}
      />
      <IdeaBrowser process={process} reload={reload} />
    </div>
  );
}

function SubmitIdea({
  process,
  areas,
  onSubmitted,
}: {
  process: Process;
  areas: PriorityArea[];
  onSubmitted: () => void;
}) {
  const current = useSession();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const draftId = useRef(clientId());

  if (!current)
    return (
      <p class="card notice">
        {t('process.loginToTakePart')} <a href="/login">{t('nav.login')}</a> ·{' '}
        <a href="/register">{t('nav.register')}</a>
      </p>
    );
  if (!SUBMITTERS.includes(current.user.role)) return null;
  if (process.phase !== 'open') return <p class="card notice">{t('process.notOpen')}</p>;

  return (
    <section class="card" aria-labelledby="submit-title">
      <h2 id="submit-title">{t('process.submitTitle')}</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          api<Idea>('POST', `/api/processes/${process.id}/ideas`, {
            body: {
              title: title.trim(),
              ...(body.trim() ? { body: body.trim() } : {}),
              ...(chosen.length ? { priorityAreaIds: chosen } : {}),
              clientId: draftId.current,
            },
          })
            .then(() => {
              setTitle('');
              setBody('');
              setChosen([]);
              setDone(true);
              draftId.current = clientId();
              announce(t('process.ideaSubmitted'));
              onSubmitted();
            })
            .catch((e: ApiError) => setError(e.code))
            .finally(() => setBusy(false));
        }}
      >
        <Field label={t('live.ideaTitle')} help={t('live.ideaTitleHelp')}>
          {(props) => (
            <input
              {...props}
              name="title"
              value={title}
              maxLength={200}
              onInput={(e) => {
                setTitle((e.target as HTMLInputElement).value);
                setDone(false);
              }}
            />
          )}
        </Field>
        <Field label={`${t('live.ideaBody')} ${t('common.optional')}`}>
          {(props) => (
            <textarea
              {...props}
              name="body"
              rows={4}
              maxLength={10000}
              value={body}
              onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
            />
          )}
        </Field>
        <SimilarWhileTyping processId={process.id} title={title} body={body} />
        {areas.length > 0 && (
          <fieldset>
            <legend>{t('staff.priorityAreas')}</legend>
            {areas.map((area) => (
              <label key={area.id} class="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(area.id)}
                  onChange={(e) =>
                    setChosen((list) =>
                      (e.target as HTMLInputElement).checked
                        ? [...list, area.id]
                        : list.filter((id) => id !== area.id),
                    )
                  }
                />{' '}
                {area.name}
              </label>
            ))}
          </fieldset>
        )}
        <ErrorMessage code={error} />
        {done && <p class="success">{t('process.ideaSubmitted')}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {t('live.submit')}
        </button>
      </form>
    </section>
  );
}

function IdeaBrowser({ process, reload }: { process: Process; reload: number }) {
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [sort, setSort] = useState<'top' | 'new'>('top');
  const [status, setStatus] = useState<IdeaStatus | ''>('');
  const [ideas, setIdeas] = useState<Idea[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (after: string | null) => {
    const params = new URLSearchParams({ sort, limit: '20' });
    if (applied) params.set('q', applied);
    if (status) params.set('status', status);
    if (after) params.set('cursor', after);
    api<Page<Idea>>('GET', `/api/processes/${process.id}/ideas?${params.toString()}`)
      .then((page) => {
        setIdeas((list) => (after && list ? [...list, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
        if (!after) announce(tn('process.resultCount', page.items.length));
      })
      .catch((e: ApiError) => setError(e.code));
  };
  useEffect(() => load(null), [process.id, applied, sort, status, reload]);

  return (
    <section aria-labelledby="ideas-heading">
      <h2 id="ideas-heading">{t('process.ideas')}</h2>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(query.trim());
        }}
      >
        <Field label={t('process.search')}>
          {(props) => (
            <input
              {...props}
              type="search"
              name="q"
              value={query}
              onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="submit">{t('process.searchButton')}</button>
        <Field label={t('process.sort')}>
          {(props) => (
            <select
              {...props}
              name="sort"
              value={sort}
              onChange={(e) => setSort((e.target as HTMLSelectElement).value as 'top' | 'new')}
            >
              <option value="top">{t('process.sort.top')}</option>
              <option value="new">{t('process.sort.new')}</option>
            </select>
          )}
        </Field>
        <Field label={t('process.status')}>
          {(props) => (
            <select
              {...props}
              name="status"
              value={status}
              onChange={(e) => setStatus((e.target as HTMLSelectElement).value as IdeaStatus | '')}
            >
              <option value="">{t('process.status.all')}</option>
              {IDEA_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`idea.status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorMessage code={error} />
      {ideas === null ? (
        <Loading />
      ) : ideas.length === 0 ? (
        <p>{t('process.noIdeas')}</p>
      ) : (
        <ul class="idea-list" data-testid="process-ideas">
          {ideas.map((idea) => (
            <IdeaItem
              key={idea.id}
              idea={idea}
              onChange={(next) =>
                setIdeas((list) => list?.map((i) => (i.id === next.id ? next : i)) ?? null)
              }
            />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" onClick={() => load(cursor)}>
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}

function IdeaItem({ idea, onChange }: { idea: Idea; onChange: (idea: Idea) => void }) {
  const current = useSession();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canVote = current && VOTERS.includes(current.user.role);
  const vote = () => {
    api<{ ideaId: string; voteCount: number; voted: boolean }>(
      idea.votedByMe ? 'DELETE' : 'PUT',
      `/api/ideas/${idea.id}/vote`,
    )
      .then((r) => {
        onChange({ ...idea, voteCount: r.voteCount, votedByMe: r.voted });
        setError(null);
      })
      .catch((e: ApiError) => setError(e.code));
  };
  return (
    <li class="card idea-card" data-idea-id={idea.id}>
      <h3 class="idea-title">{idea.title}</h3>
      <p class="meta">
        <span class={`status status-${idea.status}`}>{t(`idea.status.${idea.status}`)}</span> ·{' '}
        {t('idea.by', { name: idea.authorName })}
        {idea.helix && <> · {t(`helix.${idea.helix}`)}</>} · {formatDate(idea.createdAt)}
      </p>
      {idea.body && <p class="idea-body">{idea.body}</p>}
      <div class="idea-actions">
        <span class="votes" data-testid="vote-count">
          {tn('common.votes', idea.voteCount)}
        </span>
        {canVote && (
          <button
            type="button"
            class={idea.votedByMe ? 'toggle on' : 'toggle'}
            aria-pressed={idea.votedByMe}
            aria-label={
              idea.votedByMe
                ? t('idea.unvoteLabel', { title: idea.title })
                : t('idea.voteLabel', { title: idea.title })
            }
            onClick={vote}
          >
            {idea.votedByMe ? t('idea.unvote') : t('idea.vote')}
          </button>
        )}
        <a href={`/ideas/${idea.id}`} aria-label={t('idea.open', { title: idea.title })}>
          {t('idea.page')}
        </a>
        <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('idea.hideComments') : t('idea.showComments', { n: idea.commentCount })}
        </button>
      </div>
      <ErrorMessage code={error} />
      {open && (
        <Comments
          idea={idea}
          onAdded={() => onChange({ ...idea, commentCount: idea.commentCount + 1 })}
        />
      )}
    </li>
  );
}

function nest(list: Comment[]): Comment[] {
  if (list.some((c) => c.replies)) return list;
  const byParent = new Map<string | null, Comment[]>();
  for (const c of list) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const build = (parent: string | null): Comment[] =>
    (byParent.get(parent) ?? []).map((c) => ({ ...c, replies: build(c.id) }));
  return build(null);
}

function Comments({ idea, onAdded }: { idea: Idea; onAdded: () => void }) {
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<Page<Comment> | Comment[]>('GET', `/api/ideas/${idea.id}/comments?limit=100`)
      .then((r) => setComments(nest(Array.isArray(r) ? r : r.items)))
      .catch((e: ApiError) => setError(e.code));
  useEffect(() => void load(), [idea.id]);
  return (
    <section class="comments" aria-label={t('idea.commentsFor', { title: idea.title })}>
      <ErrorMessage code={error} />
      {comments === null ? (
        <Loading />
      ) : comments.length === 0 ? (
        <p class="meta">{t('idea.noComments')}</p>
      ) : (
        <CommentThread
          comments={comments}
          idea={idea}
          onAdded={() => {
            onAdded();
            void load();
          }}
        />
      )}
      <CommentForm
        idea={idea}
        parent={null}
        onAdded={() => {
          onAdded();
          void load();
        }}
      />
    </section>
  );
}

function CommentThread({
  comments,
  idea,
  onAdded,
}: {
  comments: Comment[];
  idea: Idea;
  onAdded: () => void;
}) {
  return (
    <ul class="thread">
      {comments.map((c) => (
        <CommentItem key={c.id} comment={c} idea={idea} onAdded={onAdded} />
      ))}
    </ul>
  );
}

function CommentItem({
  comment,
  idea,
  onAdded,
}: {
  comment: Comment;
  idea: Idea;
  onAdded: () => void;
}) {
  const [replying, setReplying] = useState(false);
  const current = useSession();
  return (
    <li class={comment.kind === 'expertise' ? 'comment expertise' : 'comment'}>
      <p class="meta">
        <strong>{comment.authorName}</strong>
        {comment.helix && <> · {t(`helix.${comment.helix}`)}</>} · {formatDate(comment.createdAt)}
        {comment.kind === 'expertise' && <span class="badge">{t('idea.expertise')}</span>}
      </p>
      <p class="comment-body">{comment.body}</p>
      {current && (
        <button
          type="button"
          class="link-button"
          aria-expanded={replying}
          onClick={() => setReplying((r) => !r)}
        >
          {t('idea.replyTo', { name: comment.authorName })}
        </button>
      )}
      {replying && (
        <CommentForm
          idea={idea}
          parent={comment}
          onAdded={() => {
            setReplying(false);
            onAdded();
          }}
        />
      )}
      {comment.replies && comment.replies.length > 0 && (
        <CommentThread comments={comment.replies} idea={idea} onAdded={onAdded} />
      )}
    </li>
  );
}

function CommentForm({
  idea,
  parent,
  onAdded,
}: {
  idea: Idea;
  parent: Comment | null;
  onAdded: () => void;
}) {
  const current = useSession();
  const [body, setBody] = useState('');
  const [expertise, setExpertise] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!current) return null;
  return (
    <form
      class="comment-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        api<Comment>('POST', `/api/ideas/${idea.id}/comments`, {
          body: {
            body: body.trim(),
            ...(parent ? { parentId: parent.id } : {}),
            ...(expertise ? { kind: 'expertise' } : {}),
          },
        })
          .then(() => {
            setBody('');
            setExpertise(false);
            setError(null);
            onAdded();
          })
          .catch((e: ApiError) => setError(e.code));
      }}
    >
      <Field label={parent ? t('idea.replyTo', { name: parent.authorName }) : t('idea.comment')}>
        {(props) => (
          <textarea
            {...props}
            rows={2}
            maxLength={5000}
            value={body}
            onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      {current.user.role === 'researcher' && (
        <label class="check">
          <input
            type="checkbox"
            checked={expertise}
            onChange={(e) => setExpertise((e.target as HTMLInputElement).checked)}
          />{' '}
          {t('idea.offerExpertise')}
        </label>
      )}
      <ErrorMessage code={error} />
      <button type="submit">{t('idea.sendComment')}</button>
    </form>
  );
}
