// Opens Debian's Chromium through playwright-core. BASE_URL names the running server;
// PLAYWRIGHT_CORE names the installed module (scripts/test.sh sets both).
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:3000';
export const ARTIFACTS = process.env.E2E_ARTIFACTS || path.resolve('artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs `steps`; when they fail, keeps a screenshot of the page as it was. */
export async function keepFailureShot(page, name, steps) {
  try {
    await steps();
  } catch (e) {
    await screenshot(page, `FAILED-${name}`).catch(() => {});
    throw e;
  }
}
