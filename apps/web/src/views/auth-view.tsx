import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { api, type ApiError } from '../lib/api.js';
import { navigate } from '../lib/router.js';
import { setSession, type Session } from '../lib/session.js';
import { STAFF_ROLES, type Region } from '../lib/types.js';
import { ErrorMessage, Field, usePageTitle } from '../components/ui.js';

function signedIn(result: Session) {
  setSession(result);
  navigate(STAFF_ROLES.includes(result.user.role) ? '/staff' : '/');
}

const value = (e: Event) => (e.target as HTMLInputElement).value;

export function LoginView() {
  usePageTitle(t('auth.loginTitle'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section class="narrow card">
      <h1>{t('auth.loginTitle')}</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          api<Session>('POST', '/api/auth/login', { body: { email, password } })
            .then(signedIn)
            .catch((e: ApiError) => setError(e.status === 401 ? 'INVALID_CREDENTIALS' : e.code))
            .finally(() => setBusy(false));
        }}
      >
        <Field label={t('auth.email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(value(e))}
            />
          )}
        </Field>
        <Field label={t('auth.password')}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(value(e))}
            />
          )}
        </Field>
        <ErrorMessage code={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('auth.loginButton')}
        </button>
      </form>
      <p>
        <a href="/register">{t('auth.noAccount')}</a>
      </p>
    </section>
  );
}

export function RegisterView() {
  usePageTitle(t('auth.registerTitle'));
  const [form, setForm] = useState({
    email: '',
    password: '',
    displayName: '',
    role: 'company',
    organisation: '',
    orgNumber: '',
    homeRegionCode: '',
  });
  const [regions, setRegions] = useState<Region[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Region[]>('GET', '/api/regions')
      .then(setRegions)
      .catch(() => setRegions([]));
  }, []);
  const set = (key: keyof typeof form) => (e: Event) => setForm((f) => ({ ...f, [key]: value(e) }));
  return (
    <section class="narrow card">
      <h1>{t('auth.registerTitle')}</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          const body = {
            email: form.email,
            password: form.password,
            displayName: form.displayName.trim(),
            role: form.role,
            ...(form.organisation.trim()
              ? {
                  organisation: {
                    name: form.organisation.trim(),
                    ...(form.orgNumber.trim() ? { orgNumber: form.orgNumber.trim() } : {}),
                  },
                }
              : {}),
            ...(form.homeRegionCode ? { homeRegionCode: form.homeRegionCode } : {}),
          };
          api<Session>('POST', '/api/auth/register', { body })
            .then(signedIn)
            .catch((e: ApiError) => setError(e.status === 409 ? 'EMAIL_TAKEN' : e.code))
            .finally(() => setBusy(false));
        }}
      >
        <Field label={t('auth.displayName')}>
          {(p) => (
            <input
              {...p}
              name="displayName"
              autoComplete="name"
              required
              maxLength={60}
              value={form.displayName}
              onInput={set('displayName')}
            />
          )}
        </Field>
        <Field label={t('auth.email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              autoComplete="email"
              required
              value={form.email}
              onInput={set('email')}
            />
          )}
        </Field>
        <Field label={t('auth.password')} help={t('auth.passwordHelp')}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="password"
              autoComplete="new-password"
              required
              minLength={10}
              value={form.password}
              onInput={set('password')}
            />
          )}
        </Field>
        <fieldset>
          <legend>{t('auth.role')}</legend>
          {(['company', 'researcher'] as const).map((role) => (
            <label key={role} class="check">
              <input
                type="radio"
                name="role"
                value={role}
                checked={form.role === role}
                onChange={set('role')}
              />{' '}
              {t(`auth.role.${role}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('auth.organisation')}>
          {(p) => (
            <input
              {...p}
              name="organisation"
              autoComplete="organization"
              value={form.organisation}
              onInput={set('organisation')}
            />
          )}
        </Field>
        <Field label={`${t('auth.orgNumber')} ${t('common.optional')}`}>
          {(p) => (
            <input {...p} name="orgNumber" value={form.orgNumber} onInput={set('orgNumber')} />
          )}
        </Field>
        <Field label={`${t('auth.homeRegion')} ${t('common.optional')}`}>
          {(p) => (
            <select
              {...p}
              name="homeRegionCode"
              value={form.homeRegionCode}
              onChange={set('homeRegionCode')}
            >
              <option value="">{t('auth.chooseRegion')}</option>
              {regions
                .filter((r) => r.kind === 'county')
                .map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <ErrorMessage code={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('auth.registerButton')}
        </button>
      </form>
      <p>
        <a href="/login">{t('auth.haveAccount')}</a>
      </p>
    </section>
  );
}
