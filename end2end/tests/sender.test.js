// The sender's journey: sign in by mail, profile, customer, an invoice with live totals,
// sending it (the mail arrives with the share link), and an API key that works and is revoked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { waitForMail, linkIn } from './mail.js';
import { signIn } from './session.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now();

test('a sender signs in, invoices a customer and sends it (JavaScript on)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await keepFailureShot(page, 'sender-js', async () => {

  await signIn(page, `nova-${stamp}@studio.test`);
  await screenshot(page, 'invoices-empty');
  const cookie = (await context.cookies()).find((c) => c.name === 'ji_session');
  assert.ok(cookie?.httpOnly && cookie.sameSite === 'Lax', 'session cookie is HttpOnly and SameSite=Lax');

  // Profile: a bad IBAN is refused next to its field, and what was typed stays.
  await page.goto(BASE_URL + '/profile');
  await page.getByLabel('Company').fill('Studio Nova');
  await page.getByLabel('Address', { exact: true }).fill('1 Orbit Way');
  await page.getByLabel('City').fill('Lisbon');
  await page.getByLabel('Tax ID (VAT, EIN…)').fill('PT123456789');
  await page.getByLabel('IBAN').fill('DE89370400440532013001');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText("the IBAN's check digits do not match").waitFor();
  assert.equal(await page.getByLabel('Company').inputValue(), 'Studio Nova');
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  await screenshot(page, 'profile');

  // A customer.
  await page.goto(BASE_URL + '/customers/new');
  await page.getByLabel('Company').fill('Acme Corp');
  await page.getByLabel('Contact e-mail').fill(`ap-${stamp}@acme.test`);
  await page.getByLabel('Copy invoices to (cc)').fill(`boss-${stamp}@acme.test`);
  await page.getByRole('button', { name: 'Save customer' }).click();
  await page.waitForURL(/\/customers\?saved=ACME/);
  await page.getByRole('link', { name: 'Acme Corp' }).waitFor();
  await screenshot(page, 'customers');

  // An invoice with three lines, a discount and tax; totals update as we type.
  // The wasm is held back while the first line is typed: what a user types before the page is
  // interactive must survive hydration and count in the totals.
  let releaseWasm;
  const wasmHeld = new Promise((resolve) => { releaseWasm = resolve; });
  await page.route('**/pkg/*.wasm', async (route) => { await wasmHeld; await route.continue(); });
  await page.goto(BASE_URL + '/invoices/new', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Customer').selectOption({ label: 'Acme Corp (ACME)' });
  const line = (n, desc, qty, price) => async () => {
    await page.getByLabel(`Line ${n} description`).fill(desc);
    await page.getByLabel(`Line ${n} quantity`).fill(qty);
    await page.getByLabel(`Line ${n} unit price`).fill(price);
  };
  await line(1, 'Design', '1.5', '120')();
  assert.equal(await page.getByRole('button', { name: 'Add line' }).count(), 0, 'not interactive yet');
  releaseWasm();
  await page.getByRole('button', { name: 'Add line' }).waitFor();
  await page.unroute('**/pkg/*.wasm');
  assert.equal(await page.getByLabel('Line 1 description').inputValue(), 'Design');
  assert.equal(await page.getByLabel('Customer').inputValue() !== '', true, 'the chosen customer stays');
  assert.equal(await page.getByLabel('Line 1 amount').textContent(), '$180.00');
  await line(2, 'Build', '3', '33.33')();
  await page.getByLabel('Line 2 discount kind').selectOption('percent');
  await page.getByLabel('Line 2 discount', { exact: true }).fill('10');
  await line(3, 'Hosting', '1', '10')();
  await page.getByLabel('Invoice discount kind').selectOption('flat');
  await page.locator('input[name="invoice[discount_value]"]').fill('10');
  await page.getByLabel('Tax label').fill('Sales tax');
  await page.getByLabel('Tax rate %').fill('8.875');
  // 180.00 + 89.99 + 10.00 = 279.99; − 10.00 = 269.99; + 8.875% (23.96) = 293.95
  assert.equal(await page.getByTestId('subtotal').textContent(), '$279.99');
  assert.equal(await page.getByTestId('total').textContent(), '$293.95');
  await page.getByLabel('Line 3 unit price').fill('20');
  assert.equal(await page.getByTestId('total').textContent(), '$304.84', 'totals follow every keystroke');
  await page.getByLabel('Line 3 unit price').fill('10');
  // Reorder: move Hosting up; the totals stay.
  await page.getByRole('button', { name: 'Move line 3 up' }).click();
  assert.equal(await page.getByLabel('Line 2 description').inputValue(), 'Hosting');
  await screenshot(page, 'editor');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(BASE_URL + '/invoices/ACME-0001');
  assert.equal(await page.getByTestId('invoice-total').textContent(), '$293.95');
  const shareUrl = await page.getByTestId('share-url').inputValue();
  assert.match(shareUrl, /\/i\/[A-Za-z0-9_-]{22,}$/);

  // Send it: the customer gets the link, the cc too.
  await page.getByRole('button', { name: 'Send by e-mail' }).click();
  await page.locator('.badge-sent').first().waitFor();
  const mail = await waitForMail(`ap-${stamp}@acme.test`, /Invoice ACME-0001/);
  assert.ok(mail.includes(shareUrl), 'the mail carries the share link');
  assert.ok(mail.includes(`boss-${stamp}@acme.test`), 'cc addresses get it too');
  assert.ok(mail.includes('$293.95'));
  await screenshot(page, 'invoice-sent');

  // The list, with a status filter and search.
  await page.goto(BASE_URL + '/invoices?status=sent');
  await page.getByRole('link', { name: 'ACME-0001' }).waitFor();
  await page.goto(BASE_URL + '/invoices?status=draft');
  assert.equal(await page.getByRole('link', { name: 'ACME-0001' }).count(), 0);
  await page.goto(BASE_URL + '/invoices?q=acme');
  await page.getByRole('link', { name: 'ACME-0001' }).waitFor();
  await screenshot(page, 'invoices');

  // An API key: shown once, works with the API (same totals), stops at once when revoked.
  await page.goto(BASE_URL + '/keys');
  await page.getByLabel('Name').fill('e2e script');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('new-key').inputValue();
  assert.match(key, /^jk_live_[A-Za-z0-9]{38}$/);
  await screenshot(page, 'keys');
  const api = (k) => fetch(`${BASE_URL}/api/v1/invoices/ACME-0001`, { headers: { Authorization: `Bearer ${k}` } });
  const viaApi = await (await api(key)).json();
  assert.equal(viaApi.total_cents, 29395, 'the API computes the same total as the editor');
  assert.equal(viaApi.status, 'sent');
  await page.reload();
  assert.equal(await page.getByTestId('new-key').count(), 0, 'the key is not shown again');
  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('revoked').waitFor();
  assert.equal((await api(key)).status, 401);

  assert.deepEqual(errors, []);
  });
  await context.close();
});

test('the same journey works with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await keepFailureShot(page, 'sender-no-js', async () => {
  await signIn(page, `plain-${stamp}@studio.test`, '/profile');
  await page.getByLabel('Company').fill('Plain Works');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();

  await page.goto(BASE_URL + '/invoices/new');
  await page.locator('input[name="invoice[recipient_company]"]').fill('Globex');
  await page.locator('input[name="invoice[recipient_email]"]').fill(`billing-${stamp}@globex.test`);
  await page.getByLabel('Line 1 description').fill('Consulting');
  await page.getByLabel('Line 1 quantity').fill('2');
  await page.getByLabel('Line 1 unit price').fill('100');
  await page.getByLabel('Line 2 description').fill('Travel');
  await page.getByLabel('Line 2 unit price').fill('45.50');
  await page.getByLabel('Tax rate %').fill('20');
  // No live totals without JavaScript: the server computes them on request.
  await page.getByRole('button', { name: 'Update totals' }).click();
  await page.waitForURL(BASE_URL + '/invoices/new');
  assert.equal(await page.getByTestId('total').textContent(), '$294.60');
  assert.equal(await page.getByLabel('Line 2 description').inputValue(), 'Travel', 'what was typed is kept');

  // A mistake is shown next to its line, and nothing typed is lost.
  await page.getByLabel('Line 2 unit price').fill('45.555');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('line-2').getByText('enter an amount like 1250.00').waitFor();
  assert.equal(await page.getByLabel('Line 1 description').inputValue(), 'Consulting');
  assert.equal(await page.locator('.line').count(), 4, 'two filled rows and two spare ones, however often it posts');
  await screenshot(page, 'editor-no-js-error');
  await page.getByLabel('Line 2 unit price').fill('45.50');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(BASE_URL + '/invoices/GLOBEX-0001');
  assert.equal(await page.getByTestId('invoice-total').textContent(), '$294.60');
  await page.getByRole('button', { name: 'Send by e-mail' }).click();
  await page.locator('.badge-sent').first().waitFor();
  const mail = await waitForMail(`billing-${stamp}@globex.test`, /GLOBEX-0001/);
  assert.ok(linkIn(mail, '/i/'));
  await screenshot(page, 'invoice-no-js');
  });
  await context.close();
});
