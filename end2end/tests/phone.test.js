// The sender's pages on a phone: nothing scrolls sideways, and a screenshot of each is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.js';
import { signIn } from './session.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('sender pages fit a phone screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, `phone-${Date.now()}@studio.test`, '/profile');
  for (const path of ['/profile', '/customers/new', '/invoices/new', '/invoices', '/keys', '/webhooks']) {
    await page.goto(BASE_URL + path);
    await screenshot(page, `phone${path.replaceAll('/', '-')}`);
    // A mobile browser widens its layout to fit overflowing content, so compare with the device.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${path} is ${width}px wide on a 390px screen`);
  }
  await context.close();
});
