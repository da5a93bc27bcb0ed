import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DEFAULT_PASSWORD, Factory, type MadeUser } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';
import {
  axeViolations,
  eventually,
  launchBrowser,
  newContext,
  signIn,
  startPlatform,
  watchPage,
} from './support/browser.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('web client: process pages and region staff pages (real Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let staff: MadeUser;
  let company: MadeUser;
  let researcher: MadeUser;
  let processId: string;
  let hydrogenId: string;
  let xssId: string;

  beforeAll(async () => {
    t = await startPlatform();
    browser = await launchBrowser();
    const users = new Factory(t);
    const workshops = new WorkshopFactory(t);
    staff = await users.user({ role: 'region', regionCode: 'SE224' });
    company = await users.user({ role: 'company', displayName: 'Åsa Öström' });
    researcher = await users.user({ role: 'researcher', displayName: 'Professor Ärlig' });
    const area = await workshops.priorityArea('SE224', 'Energi och klimat');
    const process = await workshops.process({
      title: 'Skånes gröna omställning',
      priorityAreaIds: [area.id],
    });
    processId = process.id;
    const hydrogen = await workshops.idea(company, processId, {
      title: 'Vätgasdrivna färjor över Öresund',
      body: 'Färjorna mellan Helsingborg och Helsingör kan gå på vätgas.',
    });
    hydrogenId = hydrogen.id;
    xssId = (
      await workshops.idea(company, processId, { title: XSS, body: '<script>alert(2)</script>' })
    ).id;
    await workshops.idea(company, processId, { title: 'Solceller på lantbrukens tak' });
    const expert = await t
      .http()
      .post(`/api/ideas/${hydrogenId}/comments`)
      .set(researcher.auth)
      .send({ body: 'Vi forskar på bränsleceller och vill bidra.', kind: 'expertise' });
    expect(expert.status).toBe(201);
    const reply = await t
      .http()
      .post(`/api/ideas/${hydrogenId}/comments`)
      .set(company.auth)
      .send({ body: 'Tack, hör av dig!', parentId: expert.body.id });
    expect(reply.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['sv-SE', 'Sök bland idéerna', 'Forskarexpertis'],
    ['en-GB', 'Search the ideas', 'Research expertise'],
  ] as const)(
    'in %s: lists ideas, shows threaded comments with expertise marked, and has no WCAG 2.1 AA violations',
    async (locale, searchLabel, expertiseBadge) => {
      const context = await newContext(browser, locale);
      const page = await context.newPage();
      const seen = watchPage(page);
      await page.goto(`${t.url}/processes/${processId}`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Skånes gröna omställning');
      await page.locator(`[data-idea-id="${hydrogenId}"]`).waitFor();
      await expect(page.getByLabel(searchLabel).isVisible()).resolves.toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      const card = page.locator(`[data-idea-id="${hydrogenId}"]`);
      await card.locator('button[aria-expanded]').click();
      await card.locator('.comment.expertise').waitFor();
      await expect(card.locator('.comment.expertise .badge').textContent()).resolves.toBe(
        expertiseBadge,
      );
      // The reply is nested inside the expert's comment, not beside it.
      await expect(
        card.locator('.comment.expertise .thread .comment-body').textContent(),
      ).resolves.toBe('Tack, hör av dig!');
      expect(await axeViolations(page)).toEqual([]);
      expect(seen.errors).toEqual([]);
      await context.close();
    },
  );

  it('the start page lists the open process under its region', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await page.goto(`${t.url}/`);
    const region = page.locator('section.region-group', { hasText: 'Skåne län' });
    await region.getByRole('link', { name: 'Skånes gröna omställning' }).click();
    await page.waitForURL(`**/processes/${processId}`);
    await page.goBack();
    await page.locator('section.region-group').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows an HTML-looking title and body as text and runs nothing', async () => {
    const context = await newContext(browser, 'en-GB');
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(`${t.url}/processes/${processId}`);
    const card = page.locator(`[data-idea-id="${xssId}"]`);
    await card.waitFor();
    await expect(card.locator('.idea-title').textContent()).resolves.toBe(XSS);
    await expect(card.locator('.idea-body').textContent()).resolves.toBe(
      '<script>alert(2)</script>',
    );
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await expect(page.locator('main script').count()).resolves.toBe(0);
    await page.waitForTimeout(300);
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('searches with Swedish full text, sorts and filters by status', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await page.goto(`${t.url}/processes/${processId}`);
    const list = page.locator('[data-testid="process-ideas"] > li');
    await page.locator(`[data-idea-id="${hydrogenId}"]`).waitFor();
    await expect(list.count()).resolves.toBe(3);
    // "färjorna" is found by the stem of "färjor" in the title and body.
    await page.getByLabel('Sök bland idéerna').fill('färjorna');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await page.waitForFunction(
      'document.querySelectorAll("[data-testid=process-ideas] > li").length === 1',
    );
    await expect(list.first().locator('.idea-title').textContent()).resolves.toBe(
      'Vätgasdrivna färjor över Öresund',
    );
    await page.getByLabel('Sök bland idéerna').fill('');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await page.getByLabel('Status').selectOption('prioritised');
    await page.getByText('Inga idéer hittades.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Sortera').selectOption('new');
    await page.waitForFunction(
      'document.querySelectorAll("[data-testid=process-ideas] > li").length === 3',
    );
    await expect(list.first().locator('.idea-title').textContent()).resolves.toBe(
      'Solceller på lantbrukens tak',
    );
    await context.close();
  });

  it('a signed-in company votes, comments and submits an idea; the database agrees', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await signIn(page, t.url, company.user.email, DEFAULT_PASSWORD);
    await page.goto(`${t.url}/processes/${processId}`);
    const card = page.locator(`[data-idea-id="${hydrogenId}"]`);
    await card.getByRole('button', { name: 'Stöd Vätgasdrivna färjor över Öresund' }).click();
    await card.locator('[data-testid="vote-count"]', { hasText: '1 röst' }).waitFor();
    const votes = await t.dataSource.query('SELECT vote_count FROM ideas WHERE id = $1', [
      hydrogenId,
    ]);
    expect(votes[0].vote_count).toBe(1);
    await expect(
      card
        .getByRole('button', { name: 'Ta tillbaka ditt stöd för Vätgasdrivna färjor över Öresund' })
        .getAttribute('aria-pressed'),
    ).resolves.toBe('true');

    await card.locator('button[aria-expanded]').click();
    await card
      .locator('.comment-form')
      .last()
      .locator('textarea')
      .fill('Gärna i samarbete med Lunds kommun.');
    await card.getByRole('button', { name: 'Skicka kommentar' }).last().click();
    await card.getByText('Gärna i samarbete med Lunds kommun.').waitFor();

    await page.getByLabel('Din idé').fill('Cykelvägar mellan Malmö och Lund');
    await page.getByRole('button', { name: 'Skicka idé' }).click();
    await page.getByText('Din idé är publicerad.', { exact: true }).first().waitFor();
    const stored = await t.dataSource.query(
      'SELECT title, author_name FROM ideas WHERE title = $1',
      ['Cykelvägar mellan Malmö och Lund'],
    );
    expect(stored).toEqual([
      { title: 'Cykelvägar mellan Malmö och Lund', author_name: 'Åsa Öström' },
    ]);
    await context.close();
  });

  it('region staff create a process, change an idea status and export CSV', async () => {
    const context = await newContext(browser, 'en-GB');
    const page = await context.newPage();
    await signIn(page, t.url, staff.user.email, DEFAULT_PASSWORD);
    await page.waitForURL('**/staff');
    await page.getByLabel('Title', { exact: true }).fill('Life science i Skåne');
    await page.getByRole('button', { name: 'Create' }).first().click();
    await page.waitForURL('**/staff/processes/*');
    await expect(page.locator('h1').textContent()).resolves.toBe('Life science i Skåne');
    const created = await t.dataSource.query(
      'SELECT phase, region_code FROM processes WHERE title = $1',
      ['Life science i Skåne'],
    );
    expect(created).toEqual([{ phase: 'draft', region_code: 'SE224' }]);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${t.url}/staff/processes/${processId}`);
    await page.getByLabel('Status of Vätgasdrivna färjor över Öresund').selectOption('shortlisted');
    await page.getByText('Saved.').first().waitFor({ state: 'attached' });
    const status = await eventually(
      async () =>
        (await t.dataSource.query('SELECT status FROM ideas WHERE id = $1', [hydrogenId]))[0]
          .status,
      (value) => value === 'shortlisted',
    );
    expect(status).toBe('shortlisted');
    expect(await axeViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('Vätgasdrivna färjor över Öresund');
    await context.close();
  });
});
