// A shopper's account journey: register, sign out, sign in, edit an address, forget the
// password, reset it from the e-mail, sign in with the new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { launch, open, SHOP_URL, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const email = `jana.${Date.now()}@example.cz`;
const firstPassword = 'Zelená louka 2026';
const newPassword = 'Modré nebe nad Brnem 7';

async function signIn(page, password) {
  await open(page, '/prihlaseni');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/ucet$/);
  await waitForHydration(page);
  await page.getByTestId('account-link').waitFor();
}

async function resetLink() {
  for (let i = 0; i < 100; i++) {
    const mails = fs.readFileSync(process.env.MAIL_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const mail = mails.find((m) => m.to.includes(email) && m.text.includes('obnova-hesla?token='));
    if (mail) return mail.text.match(/(\/obnova-hesla\?token=\S+)/)[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no reset e-mail arrived');
}

test('register → sign out → sign in → edit address → reset password → sign in again', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Register, with a field error first (client-side check next to the field).
  await open(page, '/registrace');
  await page.fill('input[name="firstName"]', 'Jana');
  await page.fill('input[name="lastName"]', 'Nováková');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'krátké');
  await page.click('form.form button[type="submit"]');
  await page.locator('.field__error', { hasText: 'alespoň 10 znaků' }).waitFor();
  await page.fill('input[name="password"]', firstPassword);
  await page.click('form.form button[type="submit"]');
  await page.locator('.form__success').waitFor();

  // Sign in; the header shows who is signed in; sign out.
  await signIn(page, firstPassword);
  assert.equal(await page.getByTestId('account-link').innerText(), 'Jana');
  await page.click('text=Odhlásit se');
  await page.waitForURL(`${SHOP_URL}/`);
  await page.locator('.account-link', { hasText: 'Přihlásit' }).waitFor();
  assert.equal(await page.getByTestId('account-link').count(), 0);

  // Sign in again and add, then edit, an address (server-side check of the PSČ).
  await signIn(page, firstPassword);
  const form = page.locator('form.address-form').last();
  await form.locator('input[name="address.firstName"]').fill('Jana');
  await form.locator('input[name="address.lastName"]').fill('Nováková');
  await form.locator('input[name="address.street"]').fill('Dlouhá 12');
  await form.locator('input[name="address.city"]').fill('Praha');
  await form.locator('input[name="address.postalCode"]').fill('11000');
  await form.locator('button[type="submit"]').click();
  await page.locator('.address-form__default').waitFor();
  await waitForHydration(page);
  const saved = page.locator('form.address-form').first();
  assert.equal(await saved.locator('input[name="address.postalCode"]').inputValue(), '110 00');
  await saved.locator('input[name="address.city"]').fill('Brno');
  await saved.locator('input[name="address.postalCode"]').fill('60200');
  await saved.locator('button[type="submit"]', { hasText: 'Uložit adresu' }).click();
  await saved.locator('.form__success').waitFor();
  await page.reload();
  await waitForHydration(page);
  assert.equal(await page.locator('form.address-form').first().locator('input[name="address.city"]').inputValue(), 'Brno');
  await page.click('text=Odhlásit se');
  await page.waitForURL(`${SHOP_URL}/`);

  // Forgot the password: the e-mail the SMTP sink caught carries the link.
  await open(page, '/zapomenute-heslo');
  await page.fill('input[name="email"]', email);
  await page.click('form.form button[type="submit"]');
  await page.locator('.form__success').waitFor();
  await open(page, await resetLink());
  await page.fill('input[name="password"]', newPassword);
  await page.click('form.form button[type="submit"]');
  await page.locator('.form__success').waitFor();

  // The old password no longer works; the new one does.
  await open(page, '/prihlaseni');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', firstPassword);
  await page.click('form.form button[type="submit"]');
  await page.locator('.form__error').waitFor();
  await signIn(page, newPassword);

  assert.deepEqual(errors, []);
  await page.close();
});
