// Getting paid, in Chromium with JavaScript on and off: the client pays in full on the
// (stand-in) Stripe Checkout and comes back to a paid invoice with a receipt; the sender
// records half by bank transfer and the client pays the rest online; a cancelled checkout
// charges nothing and a badly signed event changes nothing; a late webhook is confirmed by
// retrieval and its delivery (and a replay) adds no second payment.
// STRIPE_STANDIN names the stand-in (end2end/stripe_standin.py) the server is pointed at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { waitForMail, linkIn } from './mail.js';
import { signIn } from './session.js';

const STANDIN = process.env.STRIPE_STANDIN;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function control(path, body) {
  const res = await fetch(`${STANDIN}/_control/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return res.json();
}

/** The stand-in's sessions for the invoice behind `link`. */
async function sessionsOf(link) {
  const token = new URL(link).pathname.split('/')[2];
  return (await control('sessions')).filter((s) => s.success_url.includes(`/i/${token}?`));
}

/** A signed-in sender with a sent $2,500 invoice to `client`: the sender's page and the link. */
async function sentInvoice(tag, client, js = 'js') {
  const page = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
  await signIn(page, `payee-${tag}@studio.test`, '/profile');
  await page.getByLabel('Company').fill(`Studio ${tag}`);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  await page.goto(BASE_URL + '/invoices/new');
  await page.locator('input[name="invoice[recipient_company]"]').fill('Acme Corp');
  await page.locator('input[name="invoice[recipient_email]"]').fill(client);
  await page.getByLabel('Line 1 description').fill('Brand identity');
  await page.getByLabel('Line 1 unit price').fill('2500');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(BASE_URL + '/invoices/ACME-0001');
  await page.getByRole('button', { name: 'Send by e-mail' }).click();
  await page.locator('.badge-sent').first().waitFor();
  const mail = await waitForMail(client, /Invoice ACME-0001/);
  return { sender: page, link: linkIn(mail, '/i/') };
}

async function clientPage(js) {
  return (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
}

for (const js of ['js', 'nojs']) {
  test(`the client pays in full on Checkout and comes back to a paid invoice (${js})`, async () => {
    const stamp = `${Date.now()}${js}`;
    const client = `pay-${stamp}@acme.test`;
    const { sender, link } = await sentInvoice(`full${stamp}`, client);
    const page = await clientPage(js);
    await keepFailureShot(page, `pay-full-${js}`, async () => {
      await page.goto(link);
      await screenshot(page, `pay-button-${js}`);
      await page.getByRole('button', { name: 'Pay $2,500.00' }).click();
      await page.waitForURL(/\/checkout\/cs_test_/);
      await page.getByTestId('amount').getByText('2500.00 USD').waitFor();
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.waitForURL(/payment=success/);
      await page.getByText('Payment received — thank you.').waitFor();
      await page.locator('.badge-paid').first().waitFor();
      assert.equal(await page.getByRole('button', { name: /^Pay \$/ }).count(), 0, 'nothing left to pay');
      await screenshot(page, `paid-${js}`);
      const receipt = await waitForMail(client, /Receipt: \$2,500\.00 paid on invoice ACME-0001/);
      assert.ok(receipt.includes('paid in full'), 'the receipt says so');
      await waitForMail(`payee-full${stamp}@studio.test`, /paid \$2,500\.00 on invoice ACME-0001/);
      // The sender's overview counts it as paid in the last 30 days.
      await sender.goto(BASE_URL + '/invoices');
      await sender.getByTestId('paid-USD').getByText('$2,500.00').waitFor();
      await screenshot(sender, `overview-${js}`);
      // The list's orders include the number (a GET form: the same without JavaScript).
      await sender.getByLabel('Order').selectOption('number');
      await sender.getByRole('button', { name: 'Show' }).click();
      await sender.waitForURL(/sort=number/);
      await sender.getByRole('link', { name: 'ACME-0001' }).first().waitFor();
      assert.equal(await sender.getByLabel('Order').inputValue(), 'number', 'the chosen order stays selected');
      await screenshot(sender, `list-by-number-${js}`);
    });
  });

  test(`half by bank transfer, the rest online (${js})`, async () => {
    const stamp = `${Date.now()}${js}`;
    const client = `part-${stamp}@acme.test`;
    const { sender, link } = await sentInvoice(`part${stamp}`, client, js);
    await keepFailureShot(sender, `pay-part-sender-${js}`, async () => {
      await sender.getByLabel('Amount').fill('1000');
      await sender.getByLabel('Method').selectOption('bank_transfer');
      await sender.getByLabel('Reference (optional)').fill('SEPA 2026-11');
      await sender.getByRole('button', { name: 'Record' }).click();
      await sender.getByTestId('balance-due').getByText('Balance due: $1,500.00').waitFor();
      await screenshot(sender, `partial-recorded-${js}`);
    });
    const page = await clientPage(js);
    await keepFailureShot(page, `pay-part-${js}`, async () => {
      await page.goto(link);
      await page.getByTestId('invoice-balance').getByText('$1,500.00').waitFor();
      await page.getByRole('button', { name: 'Pay $1,500.00' }).click();
      await page.waitForURL(/\/checkout\/cs_test_/);
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.getByText('Payment received — thank you.').waitFor();
      await page.locator('.badge-paid').first().waitFor();
      await waitForMail(client, /Receipt: \$1,500\.00 paid/);
    });
    await sender.goto(BASE_URL + '/invoices/ACME-0001');
    await sender.getByTestId('balance-due').getByText('Balance due: $0.00').waitFor();
    assert.equal(await sender.locator('.payments tbody tr').count(), 2, 'the transfer and the card payment');
  });
}

test('a cancelled checkout charges nothing, and a badly signed event changes nothing (nojs)', async () => {
  const stamp = `${Date.now()}`;
  const { link } = await sentInvoice(`cancel${stamp}`, `cancel-${stamp}@acme.test`);
  const page = await clientPage('nojs');
  await keepFailureShot(page, 'pay-cancel', async () => {
    await page.goto(link);
    await page.getByRole('button', { name: 'Pay $2,500.00' }).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(/payment=cancelled/);
    await page.getByText('Payment cancelled: nothing was charged.').waitFor();
    await page.getByRole('button', { name: 'Pay $2,500.00' }).waitFor();
    await screenshot(page, 'pay-cancelled');
    // Someone posts a paid event with the wrong signature: refused, the invoice stays unpaid.
    const [session] = await sessionsOf(link);
    const { event_id } = await control(`sessions/${session.id}/pay`, { deliver: false });
    const bad = await control(`events/${event_id}/deliver`, { signature: 'bad' });
    assert.equal(bad.status, 400);
    await page.goto(link);
    await page.getByRole('button', { name: 'Pay $2,500.00' }).waitFor();
    assert.equal(await page.locator('.badge-paid').count(), 0);
  });
});

test('a late webhook: the return page confirms by asking Stripe; the event and its replay add nothing (js)', async () => {
  const stamp = `${Date.now()}`;
  const { sender, link } = await sentInvoice(`late${stamp}`, `late-${stamp}@acme.test`);
  const page = await clientPage('js');
  await keepFailureShot(page, 'pay-late', async () => {
    await page.goto(link);
    await page.getByRole('button', { name: 'Pay $2,500.00' }).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    await page.getByRole('button', { name: 'Pay (webhook later)' }).click();
    await page.waitForURL(/payment=success/);
    await page.getByText('Payment received — thank you.').waitFor();
    await page.locator('.badge-paid').first().waitFor();
    const [session] = await sessionsOf(link);
    for (const attempt of ['late', 'replay']) {
      const delivered = await control(`events/${session.events[0]}/deliver`, { signature: 'good' });
      assert.equal(delivered.status, 200, attempt);
      assert.equal(JSON.parse(delivered.body).outcome, 'already_recorded', attempt);
    }
  });
  await sender.goto(BASE_URL + '/invoices/ACME-0001');
  await sender.locator('.badge-paid').first().waitFor();
  assert.equal(await sender.locator('.payments tbody tr').count(), 1, 'one payment, however often Stripe tells');
  await screenshot(sender, 'paid-once');
});
