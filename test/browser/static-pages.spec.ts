import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import {
  axeViolations,
  launchBrowser,
  newContext,
  startPlatform,
  watchPage,
} from './support/browser.js';

describe('web client: static pages (real Chromium)', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['sv-SE', 'sv', 'Tillsammans hittar vi regionens nästa styrkor', 'Gå med i en workshop'],
    ['en-GB', 'en', "Together we find the region's next strengths", 'Join a workshop'],
  ] as const)(
    'start page in %s follows the browser language and has no WCAG 2.1 AA violations',
    async (locale, lang, heading, joinHeading) => {
      const context = await newContext(browser, locale);
      const page = await context.newPage();
      const seen = watchPage(page);
      await page.goto(`${t.url}/`);
      await expect(page.locator('h1').textContent()).resolves.toBe(heading);
      await expect(page.locator('h2#join-title').textContent()).resolves.toBe(joinHeading);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
      // The join-code field is labelled and prominent on the first screen.
      await expect(
        page.getByLabel(lang === 'sv' ? 'Workshopkod' : 'Workshop code').isVisible(),
      ).resolves.toBe(true);
      await page.locator('#processes-title').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(seen.errors).toEqual([]);
      await context.close();
    },
  );

  it('the visible language switch changes every string, the lang attribute, and is remembered', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Tillsammans hittar vi regionens nästa styrkor',
    );
    await page.getByRole('button', { name: 'In English' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(
      "Together we find the region's next strengths",
    );
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.getByRole('link', { name: 'Log in' }).isVisible()).resolves.toBe(true);
    await page.reload();
    await expect(page.locator('h1').textContent()).resolves.toBe(
      "Together we find the region's next strengths",
    );
    await page.getByRole('button', { name: 'På svenska' }).click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sv');
    await expect(page.getByRole('link', { name: 'Logga in' }).isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('a bad join code is explained next to the field, without leaving the page', async () => {
    const context = await newContext(browser, 'en-GB');
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    await page.getByLabel('Workshop code').fill('abc');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByText('The code has six characters.').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Workshop code').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    expect(new URL(page.url()).pathname).toBe('/');
    // A well-formed code that no workshop has: the server's 404 becomes a plain sentence.
    await page.getByLabel('Workshop code').fill('zz zz zz');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.waitForURL('**/j/ZZZZZZ');
    await page.getByLabel('Your name').fill('Åsa');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Not found. Check the code.');
    await context.close();
  });

  it('a broken idea link says the link is wrong, in Swedish', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await page.goto(`${t.url}/ideas/inte-ett-id`);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Sidan finns inte');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Länken är inte giltig. Kontrollera adressen.',
    );
    await context.close();
  });

  it.each(['sv-SE', 'en-GB'] as const)(
    'login, register and join pages in %s have no WCAG 2.1 AA violations',
    async (locale) => {
      const context = await newContext(browser, locale);
      const page = await context.newPage();
      for (const path of ['/login', '/register', '/join', '/j/K7PQ2X', '/no-such-page']) {
        await page.goto(`${t.url}${path}`);
        await page.locator('main h1').waitFor();
        expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
      }
      await context.close();
    },
  );

  it('keyboard only: the skip link is first, shows focus, and moves to the main content', async () => {
    const context = await newContext(browser, 'en-GB');
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    await expect(focused.textContent()).resolves.toBe('Skip to content');
    const outline = await focused.evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }
        ).getComputedStyle(el).outlineStyle,
    );
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    // The next stop after skipping is inside main: the join-code field.
    await expect(page.locator(':focus').getAttribute('name')).resolves.toBe('code');
    await context.close();
  });

  it('registers a company account through the form and shows who is signed in', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await page.goto(`${t.url}/register`);
    await page.getByLabel('Namn', { exact: true }).fill('Åke Öberg');
    await page.getByLabel('E-post').fill(`ake-${Date.now()}@exempel.se`);
    await page.getByLabel('Lösenord').fill('ett-långt-lösenord');
    await page.getByLabel('Ett företag').check();
    await page.getByLabel('Organisation', { exact: true }).fill('Smörgåsbolaget AB');
    await page.getByRole('button', { name: 'Skapa konto' }).click();
    await page.getByText('Inloggad som Åke Öberg').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });
});
