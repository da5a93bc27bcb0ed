import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
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

const PHASES = ['draft', 'open', 'review', 'closed'] as const;
const HELICES = ['industry', 'academia', 'public', 'civil'] as const;

// A true duplicate pair from test/insight/fixtures/labelled-pairs.json (sv-h2-e4-a / -b).
const E4_A = {
  title: 'Vätgastankstationer för tunga transporter längs E4',
  body: 'Vi som åkeri ser att vätgasdrivna lastbilar kommer inom tre år, men det saknas tankstationer norr om Gävle. Vi föreslår att regionen samordnar en kedja av tankstationer längs E4 tillsammans med energibolag och kommuner.',
};
const E4_B = {
  title: 'Tankstationer för vätgas till lastbilar på E4',
  body: 'Åkerier i länet vill gå över till vätgaslastbilar men kan inte tanka längs E4. Regionen borde samordna utbyggnaden av vätgastankstationer med kommunerna och energibolagen.',
};

interface OverviewBody {
  regions: {
    code: string;
    processes: Record<(typeof PHASES)[number], number>;
    ideas: number;
    votes: number;
    participantsByHelix: Record<(typeof HELICES)[number], number>;
  }[];
  clusters: { ideas: { id: string }[]; regionCodes: string[] }[];
}

/** The table's numbers per region row, in the API's order of columns. */
async function tableNumbers(page: Page): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const row of await page.locator('[data-testid=overview-table] tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    out[(await row.getAttribute('data-region')) ?? ''] = cells.map((c) =>
      Number(c.replace(/\D/g, '')),
    );
  }
  return out;
}

describe('web client: S3 overview, similar ideas, researcher pages (real Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let agency: MadeUser;
  let company: MadeUser;
  let researcher: MadeUser;
  let stockholmProcessId: string;
  let skaneIdeaId: string;
  let stockholmIdeaId: string;

  beforeAll(async () => {
    t = await startPlatform();
    browser = await launchBrowser();
    const users = new Factory(t);
    const workshops = new WorkshopFactory(t);
    agency = await users.user({ role: 'agency', displayName: 'Tillväxtverket' });
    company = await users.user({ role: 'company', displayName: 'Åkeri Öst AB' });
    researcher = await users.user({
      role: 'researcher',
      displayName: 'Dr Väte',
      organisationName: 'Luleå tekniska universitet',
    });
    const skane = await workshops.process({ regionCode: 'SE224', title: 'Skånes omställning' });
    await workshops.process({ regionCode: 'SE224', phase: 'draft', title: 'Utkast' });
    const stockholm = await workshops.process({ regionCode: 'SE110', title: 'Stockholms process' });
    stockholmProcessId = stockholm.id;
    skaneIdeaId = (await workshops.idea(company, skane.id, E4_A)).id;
    stockholmIdeaId = (await workshops.idea(company, stockholm.id, E4_B)).id;
    await workshops.idea(company, skane.id, { title: 'Terapihundar på äldreboenden' });
    await t.http().put(`/api/ideas/${skaneIdeaId}/vote`).set(researcher.auth).expect(200);
    await t
      .http()
      .put('/api/auth/me/expertise')
      .set(researcher.auth)
      .send({
        keywords: ['vätgas', 'elektrolys', 'tankstationer'],
        text: 'Vätgaslagring och tankstationer för tunga transporter.',
      })
      .expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['sv-SE', 'Nationell översikt'],
    ['en-GB', 'National overview'],
  ] as const)(
    'in %s: the overview table equals the API, shows the cross-region cluster, and has no WCAG 2.1 AA violations',
    async (locale, heading) => {
      // The embedded database compares ideas progressively per overview call: wait for the cluster.
      const api = await eventually(
        async () =>
          (await t.http().get('/api/overview').set(agency.auth).expect(200)).body as OverviewBody,
        (body) => body.clusters.length > 0,
      );
      expect(api.clusters.map((c) => [...c.regionCodes].sort())).toContainEqual(['SE110', 'SE224']);
      const context = await newContext(browser, locale);
      const page = await context.newPage();
      const seen = watchPage(page);
      await signIn(page, t.url, agency.user.email, DEFAULT_PASSWORD);
      await page.getByRole('link', { name: heading }).click();
      await page.locator('[data-testid=overview-table]').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe(heading);

      const expected = Object.fromEntries(
        api.regions.map((r) => [
          r.code,
          [
            ...PHASES.map((p) => r.processes[p]),
            r.ideas,
            r.votes,
            ...HELICES.map((h) => r.participantsByHelix[h]),
          ],
        ]),
      );
      expect(await tableNumbers(page)).toEqual(expected);
      expect(expected.SE224.slice(0, 6)).toEqual([1, 1, 0, 0, 2, 1]);

      const cluster = page.locator('[data-testid=clusters] > li', {
        has: page.locator(`[data-cluster-idea="${skaneIdeaId}"]`),
      });
      await cluster.locator(`[data-cluster-idea="${stockholmIdeaId}"]`).waitFor();
      await expect(cluster.locator('h3').textContent()).resolves.toMatch(
        /SE110.*SE224|SE224.*SE110/,
      );
      expect(await axeViolations(page)).toEqual([]);
      expect(seen.errors).toEqual([]);
      await context.close();
    },
  );

  it('the similar-ideas panel appears while typing a near-duplicate, and is announced politely', async () => {
    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    await signIn(page, t.url, company.user.email, DEFAULT_PASSWORD);
    await page.goto(`${t.url}/processes/${stockholmProcessId}`);
    const panel = page.locator('[data-testid=similar-panel]');
    // Unrelated text stays under the threshold: nothing is shown.
    const answered = page.waitForResponse((r) => r.url().includes('/similar?'));
    await page.getByLabel('Din idé').fill('Konstgräsplaner i förorten');
    const unrelated = await answered;
    expect(unrelated.status()).toBe(200);
    await expect(unrelated.json()).resolves.toEqual([]);
    await expect(panel.count()).resolves.toBe(0);

    await page.getByLabel('Din idé').fill(E4_A.title);
    await page.locator('textarea[name=body]').fill(E4_A.body);
    await panel.locator(`[data-similar-id="${skaneIdeaId}"]`).waitFor();
    await expect(panel.locator('h3').textContent()).resolves.toBe('Liknande idéer finns redan');
    await expect(panel.locator(`[data-similar-id="${skaneIdeaId}"] a`).textContent()).resolves.toBe(
      E4_A.title,
    );
    await page.locator('[data-testid=announcer]', { hasText: 'finns redan' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('the author invites a suggested researcher on the idea page; the researcher accepts', async () => {
    const authorContext = await newContext(browser, 'en-GB');
    const author = await authorContext.newPage();
    await signIn(author, t.url, company.user.email, DEFAULT_PASSWORD);
    await author.goto(`${t.url}/ideas/${skaneIdeaId}`);
    await author.locator('[data-testid=similar-panel]').waitFor();
    const suggestions = author.locator('[data-testid=researcher-matches]');
    await suggestions.locator(`[data-researcher-id="${researcher.user.id}"]`).waitFor();
    expect(await axeViolations(author)).toEqual([]);
    await suggestions.getByRole('button', { name: 'Invite Dr Väte' }).click();
    await suggestions.getByText('Invitation sent to Dr Väte.').waitFor();
    // After a reload the button is back; a second invitation is refused, in words.
    await author.reload();
    await suggestions.getByRole('button', { name: 'Invite Dr Väte' }).click();
    await suggestions
      .getByRole('alert')
      .getByText('That researcher is already invited to this idea.')
      .waitFor();
    await authorContext.close();

    const context = await newContext(browser, 'sv-SE');
    const page = await context.newPage();
    const seen = watchPage(page);
    await signIn(page, t.url, researcher.user.email, DEFAULT_PASSWORD);
    await page.getByRole('link', { name: 'Forskarsidor' }).click();
    const item = page.locator('[data-testid=invitations] > li', { hasText: E4_A.title });
    await item.waitFor();
    await expect(page.getByLabel('Nyckelord').inputValue()).resolves.toBe(
      'vätgas, elektrolys, tankstationer',
    );
    await page.locator('[data-testid=idea-matches]').getByText(E4_A.title).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await item.getByRole('button', { name: `Tacka ja till ${E4_A.title}` }).click();
    await item.locator('[data-testid=invitation-status]', { hasText: 'Accepterad' }).waitFor();
    await page.locator('[data-testid=announcer]', { hasText: 'Accepterad' }).waitFor();
    const stored = await t.dataSource.query(
      'SELECT status FROM research_invitations WHERE idea_id = $1 AND researcher_id = $2',
      [skaneIdeaId, researcher.user.id],
    );
    expect(stored).toEqual([{ status: 'accepted' }]);

    // The idea page now lists the researcher as a contributor.
    await item.getByRole('link', { name: E4_A.title }).click();
    await page.locator('[data-testid=contributors]', { hasText: 'Dr Väte' }).waitFor();
    // Only the author invites; anybody else who tries is told so, in Swedish.
    const matches = page.locator('[data-testid=researcher-matches]');
    await matches.getByRole('button', { name: 'Bjud in Dr Väte' }).click();
    await matches
      .getByRole('alert')
      .getByText('Bara idéns författare kan bjuda in forskare.')
      .waitFor();
    const invitations = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM research_invitations WHERE idea_id = $1',
      [skaneIdeaId],
    );
    expect(invitations).toEqual([{ n: 1 }]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});
