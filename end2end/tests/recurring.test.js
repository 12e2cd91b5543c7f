// Recurring invoices and payment reminders in the browser (issue 27), with JavaScript on and
// off: the sender sets the reminder policy's time zone and hour, sends a reminder by hand
// (once a day), turns an invoice's reminders off, repeats an invoice monthly (its first
// occurrence is made by the server's own timer), skips a coming date and pauses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, keepFailureShot, BASE_URL } from './browser.js';
import { signIn } from './session.js';
import { waitForMail } from './mail.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const js of ['js', 'nojs']) {
  test(`reminders and a recurring invoice from the sender's pages (${js})`, async () => {
    const stamp = `${Date.now()}${js}`;
    const client = `ap-${stamp}@acme.test`;
    const page = await (await browser.newContext({ javaScriptEnabled: js === 'js' })).newPage();
    await keepFailureShot(page, `recurring-${js}`, async () => {
      await signIn(page, `recurring-${stamp}@studio.test`, '/profile');
      await page.getByLabel('Company').fill(`Studio ${stamp}`);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Profile saved.').waitFor();

      // Automatic mail at midnight in Berlin: today's first occurrence is due at once.
      await page.goto(BASE_URL + '/reminders');
      await page.getByLabel('Time zone').selectOption('Europe/Berlin');
      await page.getByLabel('Send at').selectOption('0');
      assert.match(await page.getByTestId('reminder-step-2').textContent(), /7 days after the due date/);
      await page.getByRole('button', { name: 'Save reminders' }).click();
      await page.getByText('Saved.').waitFor();
      assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Berlin');
      await screenshot(page, `reminders-${js}`);

      await page.goto(BASE_URL + '/invoices/new');
      await page.locator('input[name="invoice[recipient_company]"]').fill('Acme Corp');
      await page.locator('input[name="invoice[recipient_email]"]').fill(client);
      await page.getByLabel('Line 1 description').fill('Retainer {period}');
      await page.getByLabel('Line 1 unit price').fill('1200');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(BASE_URL + '/invoices/ACME-0001');
      await page.getByRole('button', { name: 'Send by e-mail' }).click();
      await page.locator('.badge-sent').first().waitFor();

      // A reminder by hand, once a day.
      const reminders = page.getByTestId('reminders');
      await reminders.getByRole('button', { name: 'Send a reminder now' }).click();
      await reminders.getByText('Sent by hand').waitFor();
      const mail = await waitForMail(client, /is due on|Pay now/);
      assert.match(mail, /Pay now/);
      await page.getByTestId('reminders').getByRole('button', { name: 'Send a reminder now' }).click();
      await page.getByText(/already went out today/).waitFor();
      await page.getByTestId('reminders').getByRole('button', { name: 'Turn reminders off' }).click();
      await page.getByText('Automatic reminders are off for this invoice.').waitFor();
      await screenshot(page, `invoice-reminders-${js}`);

      // Repeat it monthly from today, as drafts.
      await page.getByText('Repeat this invoice').click();
      await page.getByRole('button', { name: 'Make it recurring' }).click();
      await page.waitForURL(/\/recurring\/\d+$/);
      const url = page.url();
      // The server's timer makes today's occurrence within seconds.
      let made = false;
      for (let i = 0; i < 40 && !made; i++) {
        await page.goto(url);
        made = (await page.getByTestId('history').count()) > 0;
        if (!made) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(made, 'the first occurrence was made');
      assert.match(await page.getByTestId('history').textContent(), /ACME-0002/);
      const next = page.getByTestId('upcoming').locator('tbody tr');
      assert.equal(await next.count(), 5);
      await next.nth(1).getByRole('button', { name: 'Skip' }).click();
      await page.getByTestId('upcoming').locator('tbody tr').nth(1).getByRole('button', { name: "Don't skip" }).waitFor();
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.locator('.badge-draft', { hasText: 'paused' }).waitFor();
      await screenshot(page, `recurring-${js}`);

      await page.goto(BASE_URL + '/invoices/ACME-0002');
      assert.match(await page.locator('.invoice-doc, main').first().textContent(), /Retainer \w+ \d+, \d{4} – \w+ \d+, \d{4}/);
      await page.goto(BASE_URL + '/recurring');
      await page.getByRole('link', { name: 'Acme Corp' }).waitFor();
      await screenshot(page, `recurring-list-${js}`);
    });
  });
}
