// An invoice without an account, with JavaScript and without: /new → the invoice's page with
// its link → the client opens the link → the maker signs in in the same browser → the
// invoice is in their list, with the same number and link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { signIn } from './session.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function fillNew(page, stamp) {
  await page.goto(BASE_URL + '/new');
  await page.getByLabel('Your company or name').fill(`Pixel ${stamp}`);
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await page.locator('input[name="invoice[recipient_company]"]').fill('Initech');
  await page.locator('input[name="invoice[recipient_email]"]').fill(`ap-${stamp}@initech.test`);
  await page.getByLabel('Line 1 description').fill('Logo design');
  await page.getByLabel('Line 1 unit price').fill('1200');
}

async function madeToClaimed(context, page, stamp, js) {
  await page.waitForURL(BASE_URL + '/new/INITECH-0001');
  await page.getByRole('heading', { name: /Invoice INITECH-0001 is ready/ }).waitFor();
  const link = await page.getByLabel('Link to the invoice').inputValue();
  assert.match(link, /\/i\/[A-Za-z0-9_-]{22}$/);
  await screenshot(page, `anonymous-made-${js}`);

  // The client opens the link: no account, the invoice, its PDF.
  const client = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
  const response = await client.goto(link.replace(/^https?:\/\/[^/]+/, BASE_URL));
  assert.equal(response.status(), 200);
  await client.getByText('$1,200.00').first().waitFor();
  await client.getByText(`Pixel ${stamp}`).first().waitFor();
  await client.locator('.badge-viewed').first().waitFor();
  const pdfHref = await client.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
  assert.equal((await client.request.get(BASE_URL + pdfHref)).status(), 200);

  // The maker signs in in the same browser: the invoice is theirs now.
  await signIn(page, `pixel-${stamp}-${js}@studio.test`, '/invoices');
  await page.getByText('now in your account').waitFor();
  await page.getByRole('link', { name: 'INITECH-0001' }).waitFor();
  await screenshot(page, `anonymous-claimed-${js}`);
  const cookies = await context.cookies();
  assert.ok(!cookies.some((c) => c.name === 'ji_anon_session' && c.value), 'the anonymous cookie is cleared');
  await page.goto(BASE_URL + '/invoices/INITECH-0001');
  await page.getByText(`Pixel ${stamp}`).first().waitFor();
}

test('with JavaScript: live totals, then create, share, sign in and keep it', async () => {
  const stamp = Date.now();
  const context = await browser.newContext();
  const page = await context.newPage();
  await keepFailureShot(page, 'anonymous-js', async () => {
    await fillNew(page, stamp);
    await page.getByLabel('Line 1 quantity').fill('2');
    await page.getByTestId('total').getByText('$2,400.00').waitFor();
    await page.getByLabel('Line 1 quantity').fill('1');
    await page.getByTestId('total').getByText('$1,200.00').waitFor();
    await screenshot(page, 'anonymous-new-js');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await madeToClaimed(context, page, stamp, 'js');
  });
});

test('without JavaScript: a refusal keeps what was typed, totals on request, then the same journey', async () => {
  const stamp = Date.now() + 1;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await keepFailureShot(page, 'anonymous-nojs', async () => {
    await fillNew(page, stamp);
    await page.getByLabel('Your company or name').fill('');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await page.getByText('your company or name is required').first().waitFor();
    assert.equal(await page.getByLabel('Line 1 description').inputValue(), 'Logo design', 'kept');
    await page.getByLabel('Your company or name').fill(`Pixel ${stamp}`);
    await page.getByRole('button', { name: 'Update totals' }).click();
    await page.getByTestId('total').getByText('$1,200.00').waitFor();
    await screenshot(page, 'anonymous-new-nojs');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await madeToClaimed(context, page, stamp, 'nojs');
  });
});
