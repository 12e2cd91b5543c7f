// E-invoices in the browser (issue 25), with JavaScript on and off: a German studio invoices a
// public buyer who receives XRechnung. Without the buyer's Leitweg-ID the invoice page lists
// what the e-invoice lacks, in plain words with a link to where it is fixed, and "Send by
// e-mail" is refused and says why; with the Leitweg-ID on the customer it is sent, the mail
// carries the XRechnung and the PDF, and the client's page offers the XML and the EPC QR code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { signIn } from './session.js';
import { waitForMail, linkIn } from './mail.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const js of ['js', 'nojs']) {
  test(`an XRechnung customer: the invoice says what is missing, then goes out (${js})`, async () => {
    const stamp = `${Date.now()}${js}`;
    const page = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
    await keepFailureShot(page, `e-invoice-${js}`, async () => {
      await signIn(page, `xr-${stamp}@studio.test`, '/profile');
      await page.getByLabel('Company').fill('Studio Nord GmbH');
      await page.getByLabel('Address', { exact: true }).fill('Hafenstraße 5');
      await page.getByLabel('City').fill('Hamburg');
      await page.getByLabel('Postal code').fill('20457');
      await page.getByLabel('Country', { exact: true }).fill('DE');
      await page.getByLabel('EU VAT ID (checked)').fill('DE811907980');
      await page.getByLabel('Telephone').fill('+49 40 1234567');
      await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
      await page.getByLabel('Default currency').fill('EUR');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Profile saved.').waitFor();

      const buyer = `eingang-${stamp}@musterhausen.test`;
      await page.goto(BASE_URL + '/customers/new');
      await page.getByLabel('Company').fill('Stadt Musterhausen');
      await page.getByLabel('Contact e-mail').fill(buyer);
      await page.getByLabel('Address', { exact: true }).fill('Rathausplatz 1');
      await page.getByLabel('City').fill('Musterhausen');
      await page.getByLabel('Postal code').fill('12345');
      await page.getByLabel('Country').fill('DE');
      await page.getByLabel('E-invoice they receive').selectOption('xrechnung-cii');
      await page.getByRole('button', { name: 'Save customer' }).click();
      await page.waitForURL(/\/customers\?saved=/);

      await page.goto(BASE_URL + '/invoices/new');
      await page.getByLabel('Customer').selectOption({ index: 1 });
      await page.getByLabel('Line 1 description').fill('Beratung');
      await page.getByLabel('Line 1 unit price').fill('950');
      await page.getByLabel('Line 1 VAT category').selectOption('standard');
      await page.getByLabel('Line 1 VAT %').fill('19');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/invoices\/STADT-0001$/);
      const check = page.getByTestId('e-invoice');
      await check.waitFor();
      const said = await check.textContent();
      assert.match(said, /buyer reference \(Leitweg-ID\) for XRechnung/, said);
      assert.match(said, /sending waits/, said);
      await screenshot(page, `e-invoice-missing-${js}`);

      await page.getByRole('button', { name: 'Send by e-mail' }).click();
      await page.getByText(/e-invoice is not complete/).first().waitFor();
      assert.equal(await page.locator('.badge-draft').count() > 0, true, 'still a draft');

      // The fix is on the customer: the link goes there.
      await check.getByRole('link', { name: 'The customer →' }).click();
      await page.getByLabel('Buyer reference (Leitweg-ID)').fill('991-01234-56');
      await page.getByRole('button', { name: 'Save customer' }).click();
      await page.waitForURL(/\/customers\?saved=/);

      // The invoice keeps the recipient it was made with: the editor takes the customer's new
      // reference when it is saved again.
      await page.goto(BASE_URL + '/invoices/STADT-0001/edit');
      await page.locator('input[name="invoice[buyer_reference]"]').fill('991-01234-56');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/invoices\/STADT-0001$/);
      assert.match(await page.getByTestId('e-invoice').textContent(), /passes EN 16931/);
      await page.getByRole('button', { name: 'Send by e-mail' }).click();
      await page.locator('.badge-sent').first().waitFor();
      await screenshot(page, `e-invoice-sent-${js}`);

      const mail = await waitForMail(buyer, /Invoice STADT-0001/);
      assert.match(mail, /filename="STADT-0001-xrechnung-cii\.xml"/, 'the XRechnung is attached');
      const client = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
      await client.goto(linkIn(mail, '/i/'));
      await client.getByTestId('e-invoice-download').waitFor();
      await client.getByTestId('epc-qr').waitFor();
      await screenshot(client, `e-invoice-share-page-${js}`);
      const xml = await client.request.get(client.url().split('?')[0] + '/e-invoice');
      assert.equal(xml.status(), 200);
      assert.match(await xml.text(), /991-01234-56/);
    });
  });
}
