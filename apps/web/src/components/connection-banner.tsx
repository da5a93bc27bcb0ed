import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import type { LiveStatus } from '../lib/live.js';

/** A calm, polite notice about the connection; it never takes focus. */
export function ConnectionBanner({ status }: { status: LiveStatus }) {
  const wasOffline = useRef(false);
  const [back, setBack] = useState(false);
  useEffect(() => {
    if (status === 'offline') {
      wasOffline.current = true;
      setBack(false);
    } else if (status === 'online' && wasOffline.current) {
      wasOffline.current = false;
      setBack(true);
      const timer = setTimeout(() => setBack(false), 4000);
      return () => clearTimeout(timer);
    }
  }, [status]);
  return (
    <div role="status" class="connection-region">
      {status === 'offline' && (
        <p class="banner banner-offline" data-testid="offline-banner">
          {t('live.offline')}
        </p>
      )}
      {back && status === 'online' && <p class="banner banner-back">{t('live.back')}</p>}
    </div>
  );
}
