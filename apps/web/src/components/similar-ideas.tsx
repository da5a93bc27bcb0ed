import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNumber, t, tn } from '../i18n/i18n.js';
import { announce } from '../lib/announcer.js';
import { api } from '../lib/api.js';
import type { SimilarIdea } from '../lib/types.js';

/** How long typing must pause before the text is compared (one request per pause, not per key). */
const DEBOUNCE_MS = 500;

function SimilarList({ items }: { items: SimilarIdea[] }) {
  return (
    <ul class="similar-list">
      {items.map((s) => (
        <li key={s.idea.id} data-similar-id={s.idea.id}>
          <a href={`/ideas/${s.idea.id}`}>{s.idea.title}</a>{' '}
          <span class="meta">
            {t('similar.meta', {
              region: s.regionCode,
              score: formatNumber(Math.round(s.score * 100)),
            })}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * "Similar ideas already exist" while an idea is being written. The server returns only ideas
 * above its similarity threshold, so an empty answer shows nothing at all.
 */
export function SimilarWhileTyping({
  processId,
  title,
  body,
}: {
  processId: string;
  title: string;
  body: string;
}) {
  const [items, setItems] = useState<SimilarIdea[]>([]);
  const lastCount = useRef(0);
  useEffect(() => {
    const trimmed = title.trim();
    if (trimmed.length < 3) {
      setItems([]);
      lastCount.current = 0;
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ title: trimmed.slice(0, 200), limit: '5' });
      if (body.trim()) params.set('body', body.trim().slice(0, 10000));
      api<SimilarIdea[]>('GET', `/api/processes/${processId}/similar?${params.toString()}`, {
        signal: controller.signal,
      })
        .then((found) => {
          setItems(found);
          // Announce only when the panel appears or its size changes, not on every keystroke.
          if (found.length > 0 && found.length !== lastCount.current)
            announce(tn('similar.found', found.length));
          lastCount.current = found.length;
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [processId, title, body]);

  if (items.length === 0) return null;
  return (
    <aside
      class="similar-panel"
      aria-labelledby="similar-typing-heading"
      data-testid="similar-panel"
    >
      <h3 id="similar-typing-heading">{t('similar.existTitle')}</h3>
      <p class="help">{t('similar.existHelp')}</p>
      <SimilarList items={items} />
    </aside>
  );
}

/** Published ideas of all regions similar to an idea (nothing under the threshold). */
export function SimilarToIdea({ ideaId }: { ideaId: string }) {
  const [items, setItems] = useState<SimilarIdea[] | null>(null);
  useEffect(() => {
    api<SimilarIdea[]>('GET', `/api/ideas/${ideaId}/similar?limit=5`)
      .then(setItems)
      .catch(() => setItems([]));
  }, [ideaId]);
  if (!items || items.length === 0) return null;
  return (
    <section
      class="card similar-panel"
      aria-labelledby="similar-idea-heading"
      data-testid="similar-panel"
    >
      <h2 id="similar-idea-heading">{t('similar.title')}</h2>
      <SimilarList items={items} />
    </section>
  );
}
