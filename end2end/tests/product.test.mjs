// The product page's extras: related products, and the watchdog a guest sets up and confirms
// through the e-mailed link (a page with a button).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { api, launch, open, SHOP_URL, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The newest e-mail to `to` whose text contains `needle`. */
async function mailTo(to, needle) {
  for (let i = 0; i < 100; i++) {
    const mails = fs.readFileSync(process.env.MAIL_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const mail = mails.reverse().find((m) => m.to.includes(to) && m.text.includes(needle));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no e-mail to ${to} with ${needle}`);
}

test('related products, and a guest watches a price and confirms by the link', async () => {
  const data = await api('{ products(first: 20, filter: { inStock: true }) { nodes { slug variants { price { minorUnits } } } } }');
  const product = data.products.nodes[0];
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, `/p/${product.slug}`);

  const related = page.getByTestId('related').locator('.product-card');
  assert.ok(await related.count() > 0, 'related products are offered');
  assert.equal(await page.getByTestId('related').locator(`a[href="/p/${product.slug}"]`).count(), 0, 'not the product itself');

  const email = `hlidac.${Date.now()}@example.cz`;
  const watchdog = page.getByTestId('watchdog-form');
  await watchdog.locator('summary').click();
  await watchdog.locator('input[name="priceBelow"]').fill('nic');
  await watchdog.locator('button[type="submit"]').click();
  await watchdog.locator('[role="alert"]', { hasText: 'Zadejte cenu' }).waitFor();
  await watchdog.locator('input[name="priceBelow"]').fill('99');
  await watchdog.locator('input[name="email"]').fill(email);
  await watchdog.locator('button[type="submit"]').click();
  await watchdog.locator('[role="status"]', { hasText: `Poslali jsme e-mail na ${email}` }).waitFor();

  // The link opens a page with a button; the button starts the watch.
  const mail = await mailTo(email, '/hlidaci-pes/potvrdit?klic=');
  const link = mail.text.match(/(\/hlidaci-pes\/potvrdit\?klic=\S+)/)[1];
  await open(page, link);
  await page.getByTestId('watch-link-button').click();
  await page.waitForURL(/\/hlidaci-pes\?stav=potvrzeno$/);
  await page.locator('.form__success', { hasText: 'Hotovo, hlídáme' }).waitFor();
  // The cancel link ends it; used again, it says the link is spent.
  const cancel = mail.text.match(/(\/hlidaci-pes\/zrusit\?klic=\S+)/)[1];
  await open(page, cancel);
  await page.getByTestId('watch-link-button').click();
  await page.waitForURL(/\/hlidaci-pes\?stav=zruseno$/);
  await page.goto(`${SHOP_URL}${cancel}`);
  await waitForHydration(page);
  await page.getByTestId('watch-link-button').click();
  await page.waitForURL(/\/hlidaci-pes\?chyba=odkaz$/);
  assert.deepEqual(errors, []);
  await page.close();
});
