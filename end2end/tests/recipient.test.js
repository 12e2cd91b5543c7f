// The heart of the product: a client opens the link from the e-mail, asks for a change, sees
// exactly what changed after the sender's edit, approves, and forwards it to accounts payable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { waitForMail, linkIn } from './mail.js';
import { signIn } from './session.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A signed-in sender with a sent invoice to `client`; returns the sender's page. */
async function sendInvoice(context, tag, client) {
  const page = await context.newPage();
  await signIn(page, `sender-${tag}@studio.test`, '/profile');
  await page.getByLabel('Company').fill(`Studio ${tag}`);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  await page.goto(BASE_URL + '/invoices/new');
  await page.locator('input[name="invoice[recipient_company]"]').fill('Acme Corp');
  await page.locator('input[name="invoice[recipient_email]"]').fill(client);
  await page.getByLabel('Line 1 description').fill('Design');
  await page.getByLabel('Line 1 unit price').fill('3000');
  await page.getByLabel('Line 2 description').fill('Hosting');
  await page.getByLabel('Line 2 unit price').fill('10');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(BASE_URL + '/invoices/ACME-0001');
  await page.getByRole('button', { name: 'Send by e-mail' }).click();
  await page.locator('.badge-sent').first().waitFor();
  return page;
}

test('send → view → request change → edit → see the diff → approve → locked → forward', async () => {
  const stamp = Date.now();
  const client = `ap-${stamp}@acme.test`;
  const senderContext = await browser.newContext();
  const sender = await sendInvoice(senderContext, `loop${stamp}`, client);
  const clientContext = await browser.newContext();
  const page = await clientContext.newPage();
  await keepFailureShot(page, 'recipient-loop', async () => {
    // The client opens the link from the e-mail: no account, a clean invoice page.
    const sent = await waitForMail(client, /Invoice ACME-0001/);
    const link = linkIn(sent, '/i/');
    const response = await page.goto(link);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
    await page.getByText('$3,010.00').first().waitFor();
    await page.locator('.badge-viewed').first().waitFor();
    // The PDF, from the page's own link.
    const pdfHref = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
    const pdf = await page.request.get(BASE_URL + pdfHref);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.ok((await pdf.body()).subarray(0, 4).toString() === '%PDF');
    assert.equal(await page.getByRole('link', { name: 'Invoices' }).count(), 0, 'no app navigation for the client');
    await screenshot(page, 'shared-viewed');

    // They ask for a change; the sender is told, with the message and a link to edit.
    await page.getByLabel('What should change?').fill('Please split the design line into two phases');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Your request was sent').waitFor();
    const asked = await waitForMail(`sender-loop${stamp}@studio.test`, /asked for changes/);
    assert.ok(asked.includes('Please split the design line into two phases'));

    // The sender edits from the link in that mail.
    await sender.goto(linkIn(asked, '/invoices/ACME-0001/edit'));
    await sender.getByRole('button', { name: 'Add line' }).waitFor();
    await sender.getByLabel('Line 1 description').fill('Design, phase 1');
    await sender.getByLabel('Line 1 unit price').fill('1500');
    await sender.getByRole('button', { name: 'Add line' }).click();
    await sender.getByLabel('Line 3 description').fill('Design, phase 2');
    await sender.getByLabel('Line 3 unit price').fill('1600');
    await sender.getByRole('button', { name: 'Save', exact: true }).click();
    await sender.waitForURL(BASE_URL + '/invoices/ACME-0001');
    await sender.locator('.badge-updated').first().waitFor();

    // The client is told, opens the link again and sees exactly what changed.
    const updated = await waitForMail(client, /was updated/);
    await page.goto(linkIn(updated, '/i/'));
    const changes = page.getByRole('region', { name: 'What changed' });
    await changes.waitFor();
    const text = await changes.textContent();
    assert.match(text, /Removed: Design \(\$3,000\.00\)/);
    assert.match(text, /Added: Design, phase 1 \(\$1,500\.00\)/);
    assert.match(text, /Added: Design, phase 2 \(\$1,600\.00\)/);
    assert.match(text, /Total: \$3,010\.00 → \$3,110\.00/);
    await screenshot(page, 'shared-changes');

    // They approve; the invoice is locked and the sender is told.
    await page.getByLabel('Your name').fill('Wile E. Coyote');
    await page.getByRole('button', { name: 'Approve invoice' }).click();
    await page.getByText('Approved by Wile E. Coyote').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve invoice' }).count(), 0);
    await waitForMail(`sender-loop${stamp}@studio.test`, /approved invoice ACME-0001/);
    await sender.reload();
    await sender.locator('.badge-approved').first().waitFor();
    assert.equal(await sender.getByRole('link', { name: 'Edit' }).count(), 0, 'approved invoices cannot be edited');
    await sender.goto(BASE_URL + '/invoices/ACME-0001/edit');
    await sender.getByText('can no longer be edited').waitFor();

    // A colleague in accounts payable receives it forwarded from the page.
    await page.getByLabel('E-mail address').fill(`payables-${stamp}@acme.test`);
    await page.getByLabel('Note (optional)').fill('For payment this week');
    await page.getByRole('button', { name: 'Forward invoice' }).click();
    await page.getByText('The invoice was forwarded.').waitFor();
    const forwarded = await waitForMail(`payables-${stamp}@acme.test`, /forwarded to you/);
    assert.ok(forwarded.includes('For payment this week'));
    assert.equal(linkIn(forwarded, '/i/'), linkIn(sent, '/i/'));
    await screenshot(page, 'shared-approved');
  });
  await clientContext.close();
  await senderContext.close();
});

test('the client can act without JavaScript, and unknown links are a friendly 404', async () => {
  const stamp = Date.now();
  const client = `nojs-${stamp}@acme.test`;
  const senderContext = await browser.newContext();
  await sendInvoice(senderContext, `plain${stamp}`, client);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await keepFailureShot(page, 'recipient-no-js', async () => {
    await page.goto(linkIn(await waitForMail(client, /ACME-0001/), '/i/'));
    // Spaces pass the browser's own check; the server refuses them and says why.
    await page.getByLabel('Your name').fill('   ');
    await page.getByRole('button', { name: 'Approve invoice' }).click();
    await page.getByText('type your name to approve').waitFor();
    await page.getByLabel('Your name').fill('Road Runner');
    await page.getByRole('button', { name: 'Approve invoice' }).click();
    await page.getByText('Thank you: the invoice is approved.').waitFor();
    await page.getByText('Approved by Road Runner').waitFor();
    await screenshot(page, 'shared-no-js');

    const missing = await page.goto(BASE_URL + '/i/AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(missing.status(), 404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });
  await context.close();
  await senderContext.close();
});
