import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { onLocaleChange, t } from './i18n/i18n.js';
import { match, usePath } from './lib/router.js';
import { Layout } from './components/layout.js';
import { Loading, usePageTitle } from './components/ui.js';
import { StartView } from './views/start-view.js';

/** Loads a view's code on first use, so the phone joining a workshop downloads only what it needs. */
function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let cached: ComponentType<P> | null = null;
  return function LazyView(props: P) {
    const [View, setView] = useState<ComponentType<P> | null>(() => cached);
    useEffect(() => {
      if (!View) {
        void load().then((loaded) => {
          cached = loaded;
          setView(() => loaded);
        });
      }
    }, []);
    return View ? <View {...props} /> : <Loading />;
  };
}

const JoinView = lazyView(() => import('./views/join-view.js').then((m) => m.JoinView));
const FacilitatorView = lazyView(() =>
  import('./views/facilitator-view.js').then((m) => m.FacilitatorView),
);
const ScreenView = lazyView(() => import('./views/screen-view.js').then((m) => m.ScreenView));
const ProcessView = lazyView(() => import('./views/process-view.js').then((m) => m.ProcessView));
const LoginView = lazyView(() => import('./views/auth-view.js').then((m) => m.LoginView));
const RegisterView = lazyView(() => import('./views/auth-view.js').then((m) => m.RegisterView));
const StaffView = lazyView(() => import('./views/staff-view.js').then((m) => m.StaffView));
const StaffProcessView = lazyView(() =>
  import('./views/staff-view.js').then((m) => m.StaffProcessView),
);

const OverviewView = lazyView(() => import('./views/overview-view.js').then((m) => m.OverviewView));
const IdeaView = lazyView(() => import('./views/idea-view.js').then((m) => m.IdeaView));
const ResearchView = lazyView(() => import('./views/research-view.js').then((m) => m.ResearchView));

function NotFound() {
  usePageTitle(t('common.notFound'));
  return (
    <section class="narrow">
      <h1>{t('common.notFound')}</h1>
      <p>{t('common.notFoundText')}</p>
      <a href="/">{t('common.toHome')}</a>
    </section>
  );
}

function route(path: string) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '') return <StartView />;
  if (path === '/join') return <JoinView />;
  if ((params = match('/j/:code', path))) return <JoinView code={params.code} />;
  if ((params = match('/facilitate/:id', path)))
    return <FacilitatorView key={params.id} workshopId={params.id} />;
  if ((params = match('/processes/:id', path)))
    return <ProcessView key={params.id} processId={params.id} />;
  if ((params = match('/ideas/:id', path))) return <IdeaView key={params.id} ideaId={params.id} />;
  if (path === '/overview') return <OverviewView />;
  if (path === '/research') return <ResearchView />;
  if (path === '/login') return <LoginView />;
  if (path === '/register') return <RegisterView />;
  if (path === '/staff') return <StaffView />;
  if ((params = match('/staff/processes/:id', path)))
    return <StaffProcessView key={params.id} processId={params.id} />;
  return <NotFound />;
}

export function App() {
  const path = usePath();
  const [, setLocaleVersion] = useState(0);
  const first = useRef(true);
  useEffect(() => onLocaleChange(() => setLocaleVersion((n) => n + 1)), []);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // A new page: start reading from its top, as a full page load would.
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus();
  }, [path]);

  const screen = match('/screen/:id', path);
  if (screen) {
    return (
      <Layout bare>
        <ScreenView key={screen.id} workshopId={screen.id} />
      </Layout>
    );
  }
  return <Layout>{route(path)}</Layout>;
}
