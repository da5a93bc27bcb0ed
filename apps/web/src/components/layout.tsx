import type { ComponentChildren } from 'preact';
import { locale, setLocale, t } from '../i18n/i18n.js';
import { useAnnouncement } from '../lib/announcer.js';
import { navigate } from '../lib/router.js';
import { setSession, useSession, session } from '../lib/session.js';
import { api } from '../lib/api.js';
import { OVERVIEW_ROLES, STAFF_ROLES } from '../lib/types.js';

export function LanguageSwitch() {
  const next = locale() === 'sv' ? 'en' : 'sv';
  return (
    <button type="button" class="lang-switch" lang={next} onClick={() => setLocale(next)}>
      {t('lang.switch')}
    </button>
  );
}

async function logout() {
  const current = session();
  if (current) {
    await api('POST', '/api/auth/logout', { body: { refreshToken: current.refreshToken } }).catch(
      () => undefined,
    );
  }
  setSession(null);
  navigate('/');
}

/** Page frame: skip link, header with menu and language switch, main landmark, live region. */
export function Layout({
  children,
  bare = false,
}: {
  children: ComponentChildren;
  bare?: boolean;
}) {
  const current = useSession();
  const announcement = useAnnouncement();
  return (
    <>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      {bare ? (
        <div class="bare-bar">
          <LanguageSwitch />
        </div>
      ) : (
        <header class="site-header">
          <a class="brand" href="/">
            <svg aria-hidden="true" width="28" height="28" viewBox="0 0 32 32">
              <rect width="32" height="32" rx="6" fill="#fff" />
              <circle cx="10" cy="16" r="4" fill="#14365d" />
              <circle cx="22" cy="11" r="4" fill="#b45309" />
              <circle cx="22" cy="21" r="4" fill="#14365d" />
            </svg>
            <span>{t('app.name')}</span>
          </a>
          <nav aria-label={t('nav.main')}>
            <ul class="nav-list">
              <li>
                <a href="/join">{t('nav.join')}</a>
              </li>
              {current && STAFF_ROLES.includes(current.user.role) && (
                <li>
                  <a href="/staff">{t('nav.staff')}</a>
                </li>
              )}
              {current && OVERVIEW_ROLES.includes(current.user.role) && (
                <li>
                  <a href="/overview">{t('nav.overview')}</a>
                </li>
              )}
              {current?.user.role === 'researcher' && (
                <li>
                  <a href="/research">{t('nav.research')}</a>
                </li>
              )}
              {current ? (
                <li>
                  <span class="signed-in">
                    {t('nav.signedInAs', { name: current.user.displayName })}
                  </span>{' '}
                  <button type="button" class="link-button" onClick={() => void logout()}>
                    {t('nav.logout')}
                  </button>
                </li>
              ) : (
                <>
                  <li>
                    <a href="/login">{t('nav.login')}</a>
                  </li>
                  <li>
                    <a href="/register">{t('nav.register')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
          <LanguageSwitch />
        </header>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <div class="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </>
  );
}
