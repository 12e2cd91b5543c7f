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

// Each browser context is its own client: the test server trusts 127.0.0.1 as its proxy
// (TRUST_PROXY) and every context sends its own X-Forwarded-For, an address of a /64 of its
// own (the per-client limits count per /64). So no journey shares a sign-in, PDF or /new
// allowance with another, however many of them fit in one minute on a fast or a slow machine.
// The limits themselves are proved with a stopped clock (data/tests/limits.rs,
// server/tests/client_limits.rs), not against the wall clock here.
let contexts = 0;
function ownClientAddress() {
  contexts += 1;
  // 2001:db8:P:Q::1, the /64 naming this test process (pid) and this context (up to 1024).
  const p = (process.pid & 0xffff).toString(16);
  const q = (((process.pid >>> 16) << 10) | (contexts & 0x3ff)).toString(16);
  return `2001:db8:${p}:${q}::1`;
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) =>
    newContext({ ...options, extraHTTPHeaders: { 'X-Forwarded-For': ownClientAddress(), ...options.extraHTTPHeaders } });
  browser.newPage = async (options = {}) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('close', () => context.close().catch(() => {}));
    return page;
  };
  return browser;
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
