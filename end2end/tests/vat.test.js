// VAT per line in the browser (issue 24): a German studio invoices a French business. The
// editor proposes reverse charge for the buyer's foreign EU VAT id; the sender decides, sets
// 19 % and 7 % lines with gross prices and discounts, and the live (wasm) totals are the ones
// the saved invoice shows — in German, the customer's language. Without JavaScript the
// proposal posts the form and comes back with every line set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { signIn } from './session.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now();

/// A German studio (VAT id DE…) with one French customer (VAT id FR…) who reads `language`.
async function studioWithFrenchCustomer(page, email, language) {
  await signIn(page, email, '/profile');
  await page.getByLabel('Company').fill('Studio Nord');
  await page.getByLabel('Country', { exact: true }).fill('Deutschland');
  await page.getByLabel('EU VAT ID (checked)').fill('DE 143 454 214');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  await page.goto(BASE_URL + '/customers/new');
  await page.getByLabel('Company').fill('Atelier Dupont');
  await page.getByLabel('Contact e-mail').fill(`compta-${stamp}@dupont.test`);
  await page.getByLabel('EU VAT ID (checked)').fill('FR40303265045');
  await page.getByLabel('Invoice language').selectOption(language);
  await page.getByRole('button', { name: 'Save customer' }).click();
  await page.waitForURL(/\/customers\?saved=/);
  await page.goto(BASE_URL + '/invoices/new');
  await page.getByLabel('Customer').selectOption({ index: 1 });
}

test('the editor proposes reverse charge and shows the totals the invoice keeps', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await keepFailureShot(page, 'vat-js', async () => {
    await studioWithFrenchCustomer(page, `nord-${stamp}@studio.test`, 'de');
    await page.getByRole('button', { name: 'Add line' }).waitFor();
    await page.locator('input[name="invoice[currency]"]').fill('EUR');
    await page.getByLabel('Line 1 description').fill('Umschlaggestaltung');
    await page.getByLabel('Line 1 unit price').fill('1190');
    await page.getByLabel('Line 2 description').fill('Fachbuch Typografie');
    await page.getByLabel('Line 2 quantity').fill('3');
    await page.getByLabel('Line 2 unit price').fill('42.80');
    await page.getByTestId('vat-proposal').waitFor();
    await page.getByRole('button', { name: 'All lines: reverse charge' }).click();
    assert.equal(await page.getByLabel('Line 1 VAT category').inputValue(), 'reverse_charge');
    assert.equal(await page.getByLabel('Line 2 VAT category').inputValue(), 'reverse_charge');
    assert.equal(await page.getByTestId('tax').textContent(), '€0.00', 'the buyer accounts for the VAT');

    // The sender decides otherwise: 19 % and 7 %, gross prices, a line and an invoice discount.
    await page.getByLabel('Line 1 VAT category').selectOption('standard');
    await page.getByLabel('Line 1 VAT %').fill('19');
    await page.getByLabel('Line 1 discount kind').selectOption('percent');
    await page.getByLabel('Line 1 discount', { exact: true }).fill('10');
    await page.getByLabel('Line 2 VAT category').selectOption('standard');
    await page.getByLabel('Line 2 VAT %').fill('7');
    await page.getByLabel('Invoice discount kind').selectOption('flat');
    await page.locator('input[name="invoice[discount_value]"]').fill('10');
    await page.getByLabel('Prices include tax').check();
    // 1,071.00 + 128.40 gross, less 10.00 = 1,189.40; the 7 % group: 127.33 = 119.00 + 8.33.
    assert.equal(await page.getByTestId('total').textContent(), '€1,189.40');
    assert.equal(await page.getByTestId('breakdown-1').textContent(), '€8.33');
    const editorVat19 = await page.getByTestId('breakdown-0').textContent();
    await screenshot(page, 'editor-vat');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/invoices\/[A-Z0-9]+-0001$/);
    // The saved invoice, printed in the customer's language, says the same cents.
    assert.equal(await page.getByTestId('invoice-total').textContent(), '1.189,40\u00a0€');
    assert.equal(await page.getByTestId('invoice-vat-1').textContent(), '8,33\u00a0€');
    const savedVat19 = await page.getByTestId('invoice-vat-0').textContent();
    assert.equal(savedVat19.replace(/[.\u00a0€]/g, '').replace(',', '.'), editorVat19.replace(/[€,]/g, ''));
    await page.getByTestId('vat-breakdown').waitFor();
    await screenshot(page, 'invoice-vat-german');
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('without JavaScript the proposal posts and every line comes back set', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await keepFailureShot(page, 'vat-no-js', async () => {
    await studioWithFrenchCustomer(page, `plain-nord-${stamp}@studio.test`, '');
    await page.getByLabel('Line 1 description').fill('UX consulting');
    await page.getByLabel('Line 1 quantity').fill('12');
    await page.getByLabel('Line 1 unit price').fill('95');
    // Without JavaScript the proposal cannot know the chosen customer until the form posts.
    await page.getByRole('button', { name: 'Update totals' }).click();
    await page.getByTestId('vat-proposal').waitFor();
    await page.getByRole('button', { name: 'All lines: reverse charge' }).click();
    await page.waitForURL(BASE_URL + '/invoices/new');
    assert.equal(await page.getByLabel('Line 1 VAT category').inputValue(), 'reverse_charge');
    assert.equal(await page.getByTestId('tax').textContent(), '$0.00');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/invoices\/[A-Z0-9]+-0001$/);
    assert.match(await page.getByTestId('exemption-note').first().textContent(), /Article 196/);
    await screenshot(page, 'invoice-reverse-charge');
  });
  await context.close();
});
