import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../support/test-app.js';

export const WEB_ROOT = join(process.cwd(), 'apps/web/dist');
const CHROMIUM = '/usr/bin/chromium';

/** STACK.md's flags; playwright gives every launch a fresh temporary --user-data-dir. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(
      'apps/web/dist is missing: run `npm run build:web` (npm run test:browser does)',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** The whole platform on a fresh database, serving the built web client. */
export function startPlatform(): Promise<TestApp> {
  return createTestApp({ webRoot: WEB_ROOT });
}

export const PHONE = {
  viewport: { width: 390, height: 780 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export async function newContext(
  browser: Browser,
  locale: 'sv-SE' | 'en-GB',
  options: { phone?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale,
    // Axe checks contrast on settled pages; the client switches animations off for this setting.
    reducedMotion: 'reduce',
    ...(options.phone ? PHONE : { viewport: { width: 1280, height: 900 } }),
  });
}

/** Records page errors and dialogs, so a test can prove that nothing injected ran. */
export function watchPage(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return seen;
}

const AXE_SOURCE = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page against WCAG 2.1 A and AA; returns the violations found. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const present = await page.evaluate('typeof window.axe !== "undefined"');
  if (!present) await page.addScriptTag({ content: AXE_SOURCE });
  const options = {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  };
  return page.evaluate(
    `axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '')),
    })))`,
  );
}

export const SCREENSHOTS = join(process.cwd(), 'docs/screenshots');

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('.signed-in').waitFor();
}

/** Reads until `accept` holds (bounded); returns the last value so the caller's expect shows it. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
