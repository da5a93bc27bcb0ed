import { en } from './en.js';
import { sv, type MessageKey } from './sv.js';

export type Locale = 'sv' | 'en';
export type { MessageKey };

const dictionaries: Record<Locale, Record<MessageKey, string>> = { sv, en };
const STORAGE_KEY = 'edp.locale';
const listeners = new Set<() => void>();

/** Swedish when the browser prefers it (or the user chose it), else English. */
function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'sv' || stored === 'en') return stored;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'sv') return 'sv';
    if (base === 'en') return 'en';
  }
  return 'en';
}

let current: Locale = initialLocale();

export function locale(): Locale {
  return current;
}

export function setLocale(next: Locale): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  listeners.forEach((listener) => listener());
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

type Params = Record<string, string | number>;

/** Translates a key; numbers in params are formatted for the locale. */
export function t(key: MessageKey, params: Params = {}): string {
  const template = dictionaries[current][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) return `{${name}}`;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** Plural form: `base_one` / `base_other` chosen by Intl.PluralRules. */
export function tn(base: string, n: number, params: Params = {}): string {
  const rule = new Intl.PluralRules(current).select(n) === 'one' ? 'one' : 'other';
  return t(`${base}_${rule}` as MessageKey, { n, ...params });
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(current).format(n);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(current, { dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** A server error code as a sentence in the current language. */
export function errorText(code: string | undefined): string {
  const key = `error.${code ?? ''}` as MessageKey;
  return key in dictionaries[current] ? t(key) : t('common.error');
}

document.documentElement.lang = current;
