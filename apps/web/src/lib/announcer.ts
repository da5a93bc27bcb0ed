import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<(text: string) => void>();

/**
 * Says something through the page's polite live region: screen readers read it when idle,
 * and focus stays where the user is.
 */
export function announce(text: string): void {
  listeners.forEach((listener) => listener(text));
}

export function useAnnouncement(): string {
  const [text, setText] = useState('');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = (next: string) => {
      // Clearing first makes a repeated sentence be read again.
      setText('');
      clearTimeout(timer);
      timer = setTimeout(() => setText(next), 50);
    };
    listeners.add(listener);
    return () => {
      clearTimeout(timer);
      listeners.delete(listener);
    };
  }, []);
  return text;
}
