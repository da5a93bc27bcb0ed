import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { Factory } from '../support/factories.js';
import type { TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';
import { PHONE, launchBrowser, startPlatform } from './support/browser.js';

/** Lighthouse's "Slow 4G" mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, 4× CPU. */
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
/** The participant view's code budget (gzipped HTML + JS + CSS); a size, not a time. */
const BUDGET_GZIP_BYTES = 60 * 1024;

describe('web client: the participant view is small (measured on a throttled phone)', () => {
  let t: TestApp;
  let browser: Browser;
  let code: string;

  beforeAll(async () => {
    t = await startPlatform();
    browser = await launchBrowser();
    const facilitator = await new Factory(t).user({ role: 'facilitator', regionCode: 'SE224' });
    const process = await new WorkshopFactory(t).process();
    const res = await t
      .http()
      .post(`/api/processes/${process.id}/workshops`)
      .set(facilitator.auth)
      .send({ title: 'Mätning', votingMode: 'dots' });
    expect(res.status).toBe(201);
    code = res.body.joinCode;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads /j/:code and joins within the size budget; prints size and load time', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'sv-SE' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

    const assets: { url: string; raw: number; gzip: number }[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/api') || url.pathname.startsWith('/socket.io')) return;
      pending.push(
        response.body().then((body) => {
          assets.push({
            url: url.pathname,
            raw: body.length,
            gzip: gzipSync(body, { level: 9 }).length,
          });
        }),
      );
    });

    const started = Date.now();
    await page.goto(`${t.url}/j/${code}`);
    await page.getByLabel('Ditt namn').waitFor();
    const formReady = Date.now() - started;
    await page.getByLabel('Ditt namn').fill('Mätare');
    await page.getByRole('button', { name: 'Gå med', exact: true }).click();
    await page.getByText('Nu: Väntar på start').waitFor();
    const liveReady = Date.now() - started;
    await Promise.all(pending);

    const raw = assets.reduce((sum, a) => sum + a.raw, 0);
    const gzip = assets.reduce((sum, a) => sum + a.gzip, 0);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      [
        'Participant view on a throttled phone (Slow 4G: 150 ms RTT, 1.6 Mbit/s, 4× CPU):',
        ...assets.map((a) => `  ${a.url}: ${kb(a.raw)} raw, ${kb(a.gzip)} gzip`),
        `  total: ${kb(raw)} raw, ${kb(gzip)} gzip, ${assets.length} files`,
        `  join form usable after ${formReady} ms; live view (after joining) after ${liveReady} ms`,
      ].join('\n'),
    );
    // Everything came from this server: no CDN, fonts or scripts from elsewhere.
    expect(assets.every((a) => a.url.startsWith('/'))).toBe(true);
    expect(gzip).toBeLessThan(BUDGET_GZIP_BYTES);
    await context.close();
  });
});
