// Credit notes, cancellations, deleted drafts and the archive in the browser (issue 26), with
// JavaScript on and off: the sender credits part of a sent invoice from its page, the client
// gets the credit note by mail and sees it (and downloads its PDF) on the invoice's page; a
// second invoice is cancelled (its cancellation issued), a draft is deleted, and the archive
// of the period downloads as a zip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { signIn } from './session.js';
import { waitForMail, linkIn } from './mail.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A new invoice to `client` of 4 workshop days at 250, saved (not sent): its page. */
async function invoiceTo(page, client, number) {
  await page.goto(BASE_URL + '/invoices/new');
  await page.locator('input[name="invoice[recipient_company]"]').fill('Acme Corp');
  await page.locator('input[name="invoice[recipient_email]"]').fill(client);
  await page.getByLabel('Line 1 description').fill('Workshop day');
  await page.getByLabel('Line 1 quantity').fill('4');
  await page.getByLabel('Line 1 unit price').fill('250');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(BASE_URL + `/invoices/${number}`);
}

for (const js of ['js', 'nojs']) {
  test(`credit, cancel, delete and export from the sender's pages (${js})`, async () => {
    const stamp = `${Date.now()}${js}`;
    const client = `books-${stamp}@acme.test`;
    const page = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
    await keepFailureShot(page, `credit-notes-${js}`, async () => {
      await signIn(page, `credit-${stamp}@studio.test`, '/profile');
      await page.getByLabel('Company').fill(`Studio ${stamp}`);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Profile saved.').waitFor();

      await invoiceTo(page, client, 'ACME-0001');
      await page.getByRole('button', { name: 'Send by e-mail' }).click();
      await page.locator('.badge-sent').first().waitFor();

      // One workshop day did not happen.
      await page.getByText('Issue a credit note').click();
      await page.getByLabel('Quantity to credit').first().fill('1');
      await page.getByLabel('Reason (printed on the credit note)').fill('One workshop day cancelled');
      await page.getByRole('button', { name: 'Credit these quantities' }).click();
      const note = page.getByTestId('credit-note-CN-0001');
      await note.waitFor();
      assert.match(await note.textContent(), /\$250\.00 · One workshop day cancelled/);
      assert.match(await page.getByTestId('balance-due').textContent(), /\$750\.00/);
      await screenshot(page, `credit-note-issued-${js}`);

      const mail = await waitForMail(client, /Credit note CN-0001/);
      assert.match(mail, /filename="CN-0001\.pdf"/, 'the credit note is attached');
      const reader = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
      await reader.goto(linkIn(mail, '/i/'));
      const listed = reader.getByTestId('credit-note-CN-0001');
      await listed.waitFor();
      assert.match(await listed.textContent(), /CN-0001/);
      const pdf = await reader.request.get(new URL(await listed.locator('a').getAttribute('href'), BASE_URL).href);
      assert.equal(pdf.status(), 200);
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
      await screenshot(reader, `credit-note-share-page-${js}`);

      // A second invoice is cancelled: its cancellation is issued.
      await invoiceTo(page, client, 'ACME-0002');
      await page.getByRole('button', { name: 'Send by e-mail' }).click();
      await page.locator('.badge-sent').first().waitFor();
      await page.getByRole('button', { name: 'Cancel (issues a cancellation)' }).click();
      await page.locator('.badge-cancelled').first().waitFor();
      assert.match(await page.getByTestId('credit-note-CN-0002').textContent(), /\$1,000\.00 \(cancellation\)/);

      // A draft is deleted; the next invoice does not reuse its number.
      await invoiceTo(page, client, 'ACME-0003');
      await page.getByRole('button', { name: 'Delete draft' }).click();
      await page.waitForURL(/\/invoices$/);
      assert.equal(await page.getByRole('link', { name: 'ACME-0003' }).count(), 0);
      await invoiceTo(page, client, 'ACME-0004');

      // The period's archive: four documents (two invoices, two credit notes) and the index.
      await page.goto(BASE_URL + '/invoices');
      await page.getByText('Export the archive').click();
      const year = new Date().getUTCFullYear();
      await page.getByLabel('From', { exact: true }).fill(`${year - 1}-01-01`);
      await page.getByLabel('To', { exact: true }).fill(`${year + 1}-12-31`);
      await screenshot(page, `archive-export-${js}`);
      const zip = await page.request.get(`${BASE_URL}/invoices/archive.zip?from=${year - 1}-01-01&to=${year + 1}-12-31`);
      assert.equal(zip.status(), 200);
      assert.equal(zip.headers()['content-type'], 'application/zip');
      const bytes = await zip.body();
      assert.equal(bytes.subarray(0, 2).toString(), 'PK');
      for (const name of ['index.csv', 'files.csv', 'ACME-0001.pdf', 'CN-0001.pdf', 'CN-0002.pdf']) {
        assert.ok(bytes.includes(Buffer.from(name)), `${name} in the zip`);
      }
    });
  });
}
