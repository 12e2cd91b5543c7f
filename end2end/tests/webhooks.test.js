// A sender sets up a webhook endpoint in the browser: the secret shown once, a test event
// verified by the official `standardwebhooks` library, a failed delivery redelivered, secret
// rotation (both signatures for a day), pause/resume and delete; then the same without JS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { signIn } from './session.js';
import { startReceiver, verifies } from './receiver.js';

let browser;
let receiver;
before(async () => { browser = await launch(); receiver = await startReceiver(); });
after(async () => { await browser?.close(); receiver?.close(); });

const stamp = Date.now();

/** Reloads the page until the newest delivery row shows `text`. */
async function waitForRow(page, text) {
  for (let i = 0; i < 60; i++) {
    await page.goto(BASE_URL + '/webhooks');
    const first = page.getByTestId('delivery').first();
    if ((await first.count()) && (await first.textContent()).includes(text)) return first;
    await page.waitForTimeout(250);
  }
  throw new Error(`no delivery row with ${text}`);
}

test('a sender adds, tests, redelivers, rotates, pauses and deletes a webhook (JavaScript on)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await keepFailureShot(page, 'webhooks-js', async () => {
    await signIn(page, `hooks-${stamp}@studio.test`, '/webhooks');
    await page.getByText('No endpoints yet.').waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).waitFor();

    // A bad URL is refused next to its field.
    await page.getByLabel('Endpoint URL').fill('ftp://example.com/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('webhook URLs must use https').waitFor();

    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('Description (optional)').fill('Our ERP');
    await page.getByRole('checkbox', { name: /invoice\.sent/ }).check();
    await page.getByRole('checkbox', { name: /invoice\.paid/ }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByTestId('webhook-secret').inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]{32}$/);
    await page.getByText('Sends invoice.sent, invoice.paid').waitFor();
    assert.equal(await page.getByLabel('Endpoint URL').inputValue(), '', 'the form is emptied for the next one');
    assert.equal(await page.getByRole('checkbox', { name: /invoice\.sent/ }).isChecked(), false);
    await screenshot(page, 'webhooks-added');

    // A test event arrives signed, and the log shows it delivered.
    await page.getByRole('button', { name: 'Send test event' }).click();
    const ping = await receiver.waitFor(1);
    assert.equal(ping.json.type, 'ping');
    assert.ok(verifies(ping, secret), 'the official library verifies the delivery');
    assert.ok(!verifies(ping, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'));
    let row = await waitForRow(page, 'delivered');
    assert.match(await row.textContent(), /200/);
    assert.equal(await page.getByTestId('webhook-secret').count(), 0, 'the secret is not shown again');

    // The endpoint fails once: redelivering shows the failure, redelivering again succeeds.
    receiver.answer(1, 500);
    await page.getByRole('button', { name: 'Redeliver' }).first().click();
    await receiver.waitFor(2);
    row = await waitForRow(page, 'failed');
    assert.match(await row.textContent(), /HTTP 500/);
    await page.getByRole('button', { name: 'Redeliver' }).first().click();
    const third = await receiver.waitFor(3);
    assert.equal(third.headers['webhook-id'], ping.headers['webhook-id'], 'a redelivery keeps its webhook-id');
    await waitForRow(page, 'delivered');
    await screenshot(page, 'webhooks-log');

    // Rotation: the new secret is shown once; for a day both secrets verify.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await page.getByTestId('webhook-secret').inputValue();
    assert.notEqual(rotated, secret);
    await page.getByRole('button', { name: 'Send test event' }).click();
    const signedTwice = await receiver.waitFor(4);
    assert.ok(verifies(signedTwice, rotated) && verifies(signedTwice, secret));

    // Pause and resume; then delete.
    await page.goto(BASE_URL + '/webhooks');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.badge', { hasText: 'paused' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send test event' }).count(), 0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.badge', { hasText: 'active' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No endpoints yet.').waitFor();
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('webhooks can be managed without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await keepFailureShot(page, 'webhooks-no-js', async () => {
    await signIn(page, `hooks-plain-${stamp}@studio.test`, '/webhooks');
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('checkbox', { name: /invoice\.approved/ }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByTestId('webhook-secret').inputValue();
    assert.match(secret, /^whsec_/);
    await page.getByText('Sends invoice.approved').waitFor();
    const before = receiver.received.length;
    await page.getByRole('button', { name: 'Send test event' }).click();
    const ping = await receiver.waitFor(before + 1);
    assert.ok(verifies(ping, secret));
    await waitForRow(page, 'delivered');
    await screenshot(page, 'webhooks-no-js');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No endpoints yet.').waitFor();
  });
  await context.close();
});
