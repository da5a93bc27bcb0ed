import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_PASSWORD, Factory, type MadeUser } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';
import {
  SCREENSHOTS,
  axeViolations,
  eventually,
  launchBrowser,
  newContext,
  signIn,
  startPlatform,
  watchPage,
} from './support/browser.js';

const XSS = '<img src=x onerror=alert(1)>';
const IDEA_A = 'Vätgasfärjor över Öresund';
const IDEA_C = 'Solceller på lantbrukens tak';

interface Person {
  context: BrowserContext;
  page: Page;
  seen: { errors: string[]; dialogs: string[] };
}

/**
 * A whole workshop in real Chromium: a facilitator (console + big screen) and three
 * participants — two on phone viewports, one of them a walk-in guest — against the real
 * platform and database.
 */
describe('web client: a live workshop end to end (real Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let facilitatorUser: MadeUser;
  let companyUser: MadeUser;
  let researcherUser: MadeUser;
  let processId: string;
  let workshopId: string;
  let code: string;
  let facilitator: Person;
  let screen: Page;
  let phoneSv: Person; // signed-in company representative, Swedish phone
  let phoneGuest: Person; // walk-in guest, English phone
  let laptop: Person; // signed-in researcher, Swedish laptop

  async function person(locale: 'sv-SE' | 'en-GB', phone: boolean): Promise<Person> {
    const context = await newContext(browser, locale, { phone });
    const page = await context.newPage();
    return { context, page, seen: watchPage(page) };
  }

  async function setStage(stage: string) {
    await facilitator.page.locator(`button[data-stage="${stage}"]`).click();
    await facilitator.page.locator(`button[data-stage="${stage}"][aria-pressed="true"]`).waitFor();
  }

  async function ideaId(title: string): Promise<string> {
    const rows = await t.dataSource.query(
      'SELECT id FROM ideas WHERE workshop_id = $1 AND title = $2',
      [workshopId, title],
    );
    return rows[0].id as string;
  }

  /** The tally as the database has it: dots per idea in this workshop. */
  async function dbTally(): Promise<Record<string, number>> {
    const rows: { idea_id: string; dots: number }[] = await t.dataSource.query(
      'SELECT idea_id, sum(dots)::int AS dots FROM workshop_votes WHERE workshop_id = $1 GROUP BY idea_id',
      [workshopId],
    );
    return Object.fromEntries(rows.map((r) => [r.idea_id, r.dots]));
  }

  /** The tally as the big screen shows it (ideas with zero votes left out, like the DB). */
  async function screenTally(): Promise<Record<string, number>> {
    const rows = await screen
      .locator('[data-testid="tally"] .tally-row')
      .evaluateAll((els) =>
        els.map((el) => [
          (el as unknown as { dataset: Record<string, string> }).dataset.ideaId,
          Number((el as unknown as { dataset: Record<string, string> }).dataset.votes),
        ]),
      );
    return Object.fromEntries(rows.filter(([, n]) => (n as number) > 0));
  }

  async function expectNoAxe(page: Page, where: string) {
    expect({ where, violations: await axeViolations(page) }).toEqual({ where, violations: [] });
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startPlatform();
    browser = await launchBrowser();
    const users = new Factory(t);
    facilitatorUser = await users.user({
      role: 'facilitator',
      regionCode: 'SE224',
      displayName: 'Fia Facilitator',
    });
    companyUser = await users.user({ role: 'company', displayName: 'Åsa Öström' });
    researcherUser = await users.user({ role: 'researcher', displayName: 'Örjan Forskare' });
    processId = (await new WorkshopFactory(t).process({ title: 'Skånes gröna omställning' })).id;
    facilitator = await person('sv-SE', false);
    phoneSv = await person('sv-SE', true);
    phoneGuest = await person('en-GB', true);
    laptop = await person('sv-SE', false);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the facilitator creates a workshop and gets a console with the join code and a QR code', async () => {
    await signIn(facilitator.page, t.url, facilitatorUser.user.email, DEFAULT_PASSWORD);
    await facilitator.page.goto(`${t.url}/staff/processes/${processId}`);
    await facilitator.page.locator('input[name="workshopTitle"]').fill('Workshop i Malmö');
    await facilitator.page.locator('input[name="dotBudget"]').fill('5');
    await facilitator.page.locator('input[name="workshopTitle"]').press('Enter');
    await facilitator.page.waitForURL('**/facilitate/*');
    workshopId = facilitator.page.url().split('/').pop()!;
    code = (await facilitator.page.locator('[data-testid="join-code"]').textContent())!;
    const stored = await t.dataSource.query(
      'SELECT join_code, stage FROM workshops WHERE id = $1',
      [workshopId],
    );
    expect(stored).toEqual([{ join_code: code, stage: 'lobby' }]);
    await expect(facilitator.page.locator('svg.qr[role="img"]').count()).resolves.toBe(1);

    // The big screen is its own window (on the projector), signed in as the same facilitator;
    // a second tab in the console's window would be a throttled background tab.
    const screenContext = await browser.newContext({
      storageState: await facilitator.context.storageState(),
      locale: 'sv-SE',
      reducedMotion: 'reduce',
      viewport: { width: 1280, height: 900 },
    });
    screen = await screenContext.newPage();
    await screen.goto(`${t.url}/screen/${workshopId}`);
    await expect(screen.locator('[data-testid="join-code"]').textContent()).resolves.toBe(code);
  });

  it('three participants join by code: from the start page, from a QR link as a guest, and from /join', async () => {
    // A signed-in company representative types the code on the start page.
    await signIn(phoneSv.page, t.url, companyUser.user.email, DEFAULT_PASSWORD);
    await phoneSv.page.goto(`${t.url}/`);
    await phoneSv.page.getByLabel('Workshopkod').fill(code.toLowerCase());
    await phoneSv.page.getByRole('button', { name: 'Gå med', exact: true }).click();
    await phoneSv.page.getByText('Du går med som Åsa Öström.').waitFor();
    await phoneSv.page.getByRole('button', { name: 'Gå med', exact: true }).click();

    // A walk-in guest follows the QR code's link and gives a name.
    await phoneGuest.page.goto(`${t.url}/j/${code}`);
    await phoneGuest.page.getByLabel('Your name').fill('Guest Gunnar');
    await phoneGuest.page.getByRole('button', { name: 'Join', exact: true }).click();

    // A signed-in researcher on a laptop uses /join.
    await signIn(laptop.page, t.url, researcherUser.user.email, DEFAULT_PASSWORD);
    await laptop.page.goto(`${t.url}/join`);
    await laptop.page.getByLabel('Workshopkod').fill(code);
    await laptop.page.getByRole('button', { name: 'Gå med', exact: true }).click();
    await laptop.page.getByRole('button', { name: 'Gå med', exact: true }).click();

    for (const p of [phoneSv, laptop]) {
      await p.page.getByText('Nu: Väntar på start').waitFor();
    }
    await phoneGuest.page.getByText('Now: Waiting to start').waitFor();
    // Facilitator + three participants are connected.
    await facilitator.page.getByText('4 deltagare').waitFor();
    const participants = await t.dataSource.query(
      'SELECT display_name FROM workshop_participants WHERE workshop_id = $1 ORDER BY display_name',
      [workshopId],
    );
    expect(participants.map((r: { display_name: string }) => r.display_name)).toEqual(
      ['Fia Facilitator', 'Guest Gunnar', 'Åsa Öström', 'Örjan Forskare'].sort(),
    );
    await expectNoAxe(phoneSv.page, 'participant lobby sv');
    await expectNoAxe(phoneGuest.page, 'participant lobby en');
  });

  it('ideation: everyone submits, and every idea appears on every screen without a reload', async () => {
    await setStage('ideation');
    await phoneSv.page.getByText('Nu: Idéer').waitFor();
    await phoneGuest.page.getByText('Now: Ideas').waitFor();
    await laptop.page.getByText('Nu: Idéer').waitFor();

    await phoneSv.page.getByRole('textbox', { name: 'Din idé' }).fill(IDEA_A);
    await phoneSv.page.getByRole('button', { name: 'Skicka idé' }).click();
    await phoneGuest.page.getByRole('textbox', { name: 'Your idea' }).fill(XSS);
    await phoneGuest.page.getByLabel('Description (optional)').fill('<b>bold?</b> & "quotes"');
    await phoneGuest.page.getByRole('button', { name: 'Send idea' }).click();
    await laptop.page.getByRole('textbox', { name: 'Din idé' }).fill(IDEA_C);
    await laptop.page.getByRole('button', { name: 'Skicka idé' }).click();

    for (const p of [phoneSv.page, phoneGuest.page, laptop.page]) {
      const titles = await eventually(
        () => p.locator('[data-testid="idea-list"] .idea-title').allTextContents(),
        (list) => list.length === 3,
      );
      expect([...titles].sort()).toEqual([IDEA_A, IDEA_C, XSS].sort());
    }
    const wall = await eventually(
      () => screen.locator('[data-testid="wall"] .idea-title').allTextContents(),
      (list) => list.length === 3,
    );
    expect([...wall].sort()).toEqual([IDEA_A, IDEA_C, XSS].sort());
    const stored = await t.dataSource.query(
      'SELECT title FROM ideas WHERE workshop_id = $1 ORDER BY title',
      [workshopId],
    );
    expect(stored.map((r: { title: string }) => r.title)).toEqual([IDEA_A, IDEA_C, XSS].sort());

    // The HTML-looking title is text everywhere, and nothing ran.
    for (const p of [phoneSv.page, phoneGuest.page, screen, facilitator.page]) {
      await expect(p.locator('main img').count()).resolves.toBe(0);
    }
    await expect(
      phoneSv.page.getByText('<b>bold?</b> & "quotes"', { exact: true }).count(),
    ).resolves.toBe(1);

    // Spotlight: every participant sees the idea in focus; the facilitator can end it.
    await facilitator.page.getByRole('button', { name: `Lyft fram ${IDEA_A}` }).click();
    await phoneGuest.page.locator('.spotlight', { hasText: IDEA_A }).waitFor();
    await screen.locator('.wall-card.spotlighted', { hasText: IDEA_A }).waitFor();
    await facilitator.page.getByRole('button', { name: 'Sluta lyfta fram' }).click();
    await phoneGuest.page.locator('.spotlight').waitFor({ state: 'detached' });

    // Hide: an off-topic idea disappears from every screen and is kept, hidden, in the database.
    await laptop.page.getByRole('textbox', { name: 'Din idé' }).fill('Köp min begagnade bil');
    await laptop.page.getByRole('button', { name: 'Skicka idé' }).click();
    await phoneSv.page
      .locator('[data-testid="idea-list"] .idea-title', { hasText: 'Köp min begagnade bil' })
      .waitFor();
    await facilitator.page.getByRole('button', { name: 'Dölj Köp min begagnade bil' }).click();
    for (const p of [phoneSv.page, phoneGuest.page, laptop.page, screen]) {
      await p.getByText('Köp min begagnade bil', { exact: true }).waitFor({ state: 'detached' });
    }
    const hidden = await t.dataSource.query('SELECT hidden FROM ideas WHERE title = $1', [
      'Köp min begagnade bil',
    ]);
    expect(hidden).toEqual([{ hidden: true }]);

    // Timer (WCAG 2.2.1): set, extended and stopped by the facilitator; participants see it.
    await facilitator.page.getByRole('button', { name: '3 min', exact: true }).click();
    await phoneGuest.page.locator('[role="timer"]').waitFor();
    const before = await t.dataSource.query('SELECT timer_ends_at FROM workshops WHERE id = $1', [
      workshopId,
    ]);
    await facilitator.page.getByRole('button', { name: '+1 min', exact: true }).click();
    const extended = await eventually(
      async () =>
        (
          await t.dataSource.query('SELECT timer_ends_at FROM workshops WHERE id = $1', [
            workshopId,
          ])
        )[0].timer_ends_at as Date,
      (end) => end.getTime() - (before[0].timer_ends_at as Date).getTime() > 30_000,
    );
    expect(extended.getTime() - (before[0].timer_ends_at as Date).getTime()).toBeGreaterThan(
      30_000,
    );
    await facilitator.page.getByRole('button', { name: 'Stoppa timer' }).click();
    await phoneGuest.page.locator('[role="timer"]').waitFor({ state: 'detached' });

    await expectNoAxe(phoneSv.page, 'participant ideation sv');
    await expectNoAxe(phoneGuest.page, 'participant ideation en');
    await expectNoAxe(screen, 'big screen ideation');
    await phoneGuest.page.screenshot({ path: join(SCREENSHOTS, 'participant-ideation.png') });
  });

  it('voting: one tap adds a dot, one removes it, the budget stays visible, and the big screen equals the database', async () => {
    await setStage('voting');
    const a = await ideaId(IDEA_A);
    const x = await ideaId(XSS);
    const c = await ideaId(IDEA_C);
    await phoneSv.page
      .locator('[data-testid="dots-left"]', { hasText: 'Prickar kvar: 5 av 5' })
      .waitFor();

    const add = (p: Page, title: string, name: 'Ge en prick till' | 'Give a dot to') =>
      p.getByRole('button', { name: `${name} ${title}`, exact: true }).click();
    // Phone (sv): three on A, one back, one on C.
    for (let i = 0; i < 3; i++) await add(phoneSv.page, IDEA_A, 'Ge en prick till');
    await phoneSv.page
      .locator('[data-testid="dots-left"]', { hasText: 'Prickar kvar: 2 av 5' })
      .waitFor();
    await phoneSv.page.getByRole('button', { name: `Ta tillbaka en prick från ${IDEA_A}` }).click();
    await phoneSv.page
      .locator('[data-testid="dots-left"]', { hasText: 'Prickar kvar: 3 av 5' })
      .waitFor();
    await expect(
      phoneSv.page
        .locator(`[data-idea-id="${a}"] [data-testid="my-dots"] [aria-hidden]`)
        .textContent(),
    ).resolves.toBe('2');
    await add(phoneSv.page, IDEA_C, 'Ge en prick till');
    await phoneSv.page
      .locator('[data-testid="dots-left"]', { hasText: 'Prickar kvar: 2 av 5' })
      .waitFor();

    // Guest (en): all five dots on the HTML-looking idea; then + is disabled everywhere.
    for (let i = 0; i < 5; i++) await add(phoneGuest.page, XSS, 'Give a dot to');
    await phoneGuest.page
      .locator('[data-testid="dots-left"]', { hasText: 'Dots left: 0 of 5' })
      .waitFor();
    await expect(
      phoneGuest.page.getByRole('button', { name: `Give a dot to ${IDEA_A}` }).isDisabled(),
    ).resolves.toBe(true);

    // Laptop (sv): two on C.
    await add(laptop.page, IDEA_C, 'Ge en prick till');
    await add(laptop.page, IDEA_C, 'Ge en prick till');
    await laptop.page
      .locator('[data-testid="dots-left"]', { hasText: 'Prickar kvar: 3 av 5' })
      .waitFor();

    const expected = { [a]: 2, [x]: 5, [c]: 3 };
    expect(await dbTally()).toEqual(expected);
    expect(
      await eventually(
        screenTally,
        (shown) => JSON.stringify(shown) === JSON.stringify(sorted(expected)),
      ),
    ).toEqual(sorted(expected));
    const budgets = await t.dataSource.query(
      'SELECT display_name, dots_spent FROM workshop_participants WHERE workshop_id = $1 ORDER BY display_name',
      [workshopId],
    );
    expect(
      Object.fromEntries(
        budgets.map((r: { display_name: string; dots_spent: number }) => [
          r.display_name,
          r.dots_spent,
        ]),
      ),
    ).toEqual({
      'Fia Facilitator': 0,
      'Guest Gunnar': 5,
      'Åsa Öström': 3,
      'Örjan Forskare': 2,
    });

    await expectNoAxe(phoneSv.page, 'participant voting sv');
    await expectNoAxe(phoneGuest.page, 'participant voting en');
    await expectNoAxe(facilitator.page, 'facilitator console (voting) sv');
    await expectNoAxe(screen, 'big screen voting');
    await phoneSv.page.screenshot({
      path: join(SCREENSHOTS, 'participant-voting.png'),
      fullPage: true,
    });
    await facilitator.page.screenshot({
      path: join(SCREENSHOTS, 'facilitator-console.png'),
      fullPage: true,
    });
    await screen.screenshot({ path: join(SCREENSHOTS, 'big-screen.png') });
  });

  it('the big screen can pause its live updates and catch up when resumed', async () => {
    const c = await ideaId(IDEA_C);
    await screen.getByRole('button', { name: 'Pausa uppdateringar' }).click();
    await phoneSv.page
      .getByRole('button', { name: `Ge en prick till ${IDEA_C}`, exact: true })
      .click();
    await phoneSv.page
      .locator('[data-testid="dots-left"]', { hasText: 'Prickar kvar: 1 av 5' })
      .waitFor();
    await screen.locator('[data-testid="paused"]').waitFor();
    await eventually(dbTally, (tally) => tally[c] === 4);
    await facilitator.page
      .locator(`[data-testid="tally"] [data-idea-id="${c}"][data-votes="4"]`)
      .waitFor();
    // Still showing the paused moment on the screen.
    await expect(
      screen.locator(`[data-testid="tally"] [data-idea-id="${c}"]`).getAttribute('data-votes'),
    ).resolves.toBe('3');
    await screen.getByRole('button', { name: 'Fortsätt uppdatera' }).click();
    await screen.locator(`[data-testid="tally"] [data-idea-id="${c}"][data-votes="4"]`).waitFor();
    expect(await screenTally()).toEqual(sorted(await dbTally()));
  });

  it('a phone that loses its connection shows a calm banner and resyncs by itself', async () => {
    await phoneGuest.context.setOffline(true);
    await phoneGuest.page.locator('[data-testid="offline-banner"]').waitFor();
    await expect(
      phoneGuest.page.locator('[data-testid="offline-banner"]').textContent(),
    ).resolves.toContain('We keep trying automatically');
    // The banner is a polite status message: focus did not move to it.
    await expect(
      phoneGuest.page
        .locator('[data-testid="offline-banner"]')
        .evaluate(
          (el) =>
            (el as unknown as { closest(s: string): unknown }).closest('[role="status"]') !== null,
        ),
    ).resolves.toBe(true);
    // While the guest is offline the workshop moves on to results.
    await setStage('results');
    await phoneSv.page.getByText('Nu: Resultat').waitFor();
    await phoneGuest.context.setOffline(false);
    await phoneGuest.page.getByText('Now: Results').waitFor({ timeout: 20_000 });
    await phoneGuest.page.locator('[data-testid="offline-banner"]').waitFor({ state: 'detached' });
  });

  it('results: the ranking matches the database on every screen, in both languages, with no violations', async () => {
    const tally = await dbTally();
    const byTitle = new Map<string, number>();
    for (const title of [IDEA_A, IDEA_C, XSS]) byTitle.set(title, tally[await ideaId(title)] ?? 0);
    const expectedOrder = [...byTitle.entries()]
      .sort((p, q) => q[1] - p[1])
      .map(([title]) => title);
    for (const p of [phoneSv.page, phoneGuest.page, screen]) {
      const titles = await eventually(
        () => p.locator('[data-testid="results"] .idea-title').allTextContents(),
        (list) => list.length === 3,
      );
      expect(titles).toEqual(expectedOrder);
    }
    await expect(
      phoneGuest.page.locator('[data-testid="results"] li').first().textContent(),
    ).resolves.toContain('5 votes');
    await expectNoAxe(phoneSv.page, 'participant results sv');
    await expectNoAxe(phoneGuest.page, 'participant results en');
    await expectNoAxe(screen, 'big screen results sv');

    // The language switch works mid-workshop too; then the console and screen are checked in English.
    for (const p of [facilitator.page, screen]) {
      await p.getByRole('button', { name: 'In English' }).click();
    }
    await screen.getByText('Results', { exact: true }).first().waitFor();
    await expectNoAxe(facilitator.page, 'facilitator console en');
    await expectNoAxe(screen, 'big screen results en');
    // Closed: a calm thank-you with the way back to the process, in both languages.
    await facilitator.page.locator('button[data-stage="closed"]').click();
    await phoneSv.page.getByText('Workshoppen är avslutad. Tack för att du var med!').waitFor();
    await phoneGuest.page.getByText('The workshop has ended. Thank you for taking part!').waitFor();
    await expectNoAxe(phoneSv.page, 'participant closed sv');
    await expectNoAxe(phoneGuest.page, 'participant closed en');
    for (const p of [phoneSv, phoneGuest, laptop, facilitator]) {
      expect(p.seen.dialogs).toEqual([]);
      expect(p.seen.errors).toEqual([]);
    }
  });
});

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([p], [q]) => p.localeCompare(q)));
}
