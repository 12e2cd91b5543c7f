// Signing in as a user would: ask for a link, open it from the mail, confirm.
import assert from 'node:assert/strict';
import { BASE_URL } from './browser.js';
import { waitForMail, linkIn } from './mail.js';

export async function signIn(page, email, startPath = '/invoices') {
  await page.goto(BASE_URL + startPath);
  assert.match(page.url(), /\/signin\?next=/, 'signed-out visitors are sent to sign in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  const mail = await waitForMail(email, /signin\/verify/);
  await page.goto(linkIn(mail, '/signin/verify?token='));
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.waitForURL(BASE_URL + startPath);
}
