import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorText, t } from '../i18n/i18n.js';
import type { Stage } from '../lib/types.js';

let fieldCounter = 0;
function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++fieldCounter}`);
  return id;
}

interface FieldProps {
  label: string;
  help?: string;
  error?: string | null;
  children: (props: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
  }) => ComponentChildren;
}

/** A visible label, optional help text and error, wired to the control by id. */
export function Field({ label, help, error, children }: FieldProps) {
  const id = useId('f');
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {help && (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {children({
        id,
        'aria-describedby': described || undefined,
        'aria-invalid': error ? true : undefined,
      })}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function ErrorMessage({ code }: { code: string | null | undefined }) {
  if (!code) return null;
  return (
    <p class="error" role="alert">
      {errorText(code)}
    </p>
  );
}

/** A page whose object could not be loaded (not found, or not the caller's to see). */
export function LoadFailed({ code }: { code: string }) {
  return (
    <section class="narrow">
      <h1>{t('common.notFound')}</h1>
      <ErrorMessage code={code} />
    </section>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function stageName(stage: Stage): string {
  return t(`live.stage.${stage}`);
}

/** Counts down to `endsAt`; role="timer" is not announced every second. */
export function Countdown({ endsAt, large = false }: { endsAt: string | null; large?: boolean }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!endsAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endsAt]);
  if (!endsAt) return null;
  const left = Math.max(0, Math.round((Date.parse(endsAt) - now) / 1000));
  const text =
    left === 0
      ? t('live.timeUp')
      : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <div class={large ? 'countdown countdown-large' : 'countdown'}>
      <span class="countdown-label">{t('live.timer')}</span>{' '}
      <span role="timer" class="countdown-value">
        {text}
      </span>
    </div>
  );
}

/** Sets the document title and, on a page change, moves focus to the page's heading. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title]);
}
