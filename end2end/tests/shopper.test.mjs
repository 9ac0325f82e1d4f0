// A shopper's journey through the real, running storefront in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SHOP_URL, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home → category → filter → product → variant → search', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(`${SHOP_URL}/`);
  await waitForHydration(page);
  assert.match(await page.title(), /Lípa/);
  assert.ok(await page.locator('.category-tile').count() > 0, 'featured categories');
  // The first Tab reaches the skip link, which leads to the page's content; the icon loads.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Přeskočit na obsah');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'obsah');
  const icon = await page.request.get(`${SHOP_URL}${await page.locator('link[rel="icon"]').getAttribute('href')}`);
  assert.equal(icon.headers()['content-type'], 'image/svg+xml');

  // Home → category through the header navigation.
  await page.click('.category-nav__item > a[href="/c/sport"]');
  await page.waitForURL(/\/c\/sport$/);
  await page.locator('h1', { hasText: 'Sport' }).waitFor();
  const countBefore = await page.getByTestId('count').innerText();

  // Apply a filter: the form submits itself when hydrated and the URL keeps the filter.
  await page.locator('input[name="znacka"]').first().check();
  await page.waitForURL(/znacka=/);
  await page.waitForFunction((before) => document.querySelector('[data-testid="count"]')?.textContent !== before, countBefore);
  const countAfter = parseInt(await page.getByTestId('count').innerText(), 10);
  assert.ok(countAfter > 0 && countAfter < parseInt(countBefore, 10), `${countAfter} < ${countBefore}`);

  // Product with several sizes: choosing another variant changes price, SKU and stock in place.
  await page.locator('.product-card__name a').first().click();
  await page.waitForURL(/\/p\//);
  const url = page.url();
  const variants = page.locator('.variant');
  assert.ok(await variants.count() > 1, 'sport products come in sizes');
  const sku1 = await page.getByTestId('sku').innerText();
  const price1 = await page.getByTestId('price').innerText();
  await variants.last().click();
  await page.waitForFunction((sku) => document.querySelector('[data-testid="sku"]').textContent !== sku, sku1);
  const price2 = await page.getByTestId('price').innerText();
  assert.notEqual(price2, price1, 'the larger size costs more');
  assert.match(price2, /Kč$/);
  assert.equal(page.url(), url, 'no navigation happened');
  assert.equal(await page.locator('.variant--selected').innerText(), await variants.last().innerText());

  // Search without diacritics, with type-ahead on the way.
  await page.fill('.search__input', 'kavo');
  await page.getByTestId('suggestions').waitFor();
  assert.ok(await page.locator('.suggestions__product').count() > 0);
  await page.fill('.search__input', 'kavovar');
  await page.press('.search__input', 'Enter');
  await page.waitForURL(/\/hledat\?q=kavovar/);
  await page.locator('.product-card').first().waitFor();
  const names = await page.locator('.product-card__name').allInnerTexts();
  assert.ok(names.length > 0 && names.every((n) => n.includes('Kávovar')), names.join(', '));

  assert.deepEqual(errors, []);
  await page.close();
});

test('without JavaScript the category page still lists and filters products', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(`${SHOP_URL}/c/elektro?skladem=1&razeni=cena`);
  assert.equal(response.status(), 200);
  assert.ok(await page.locator('.product-card').count() > 0);
  const prices = await page.locator('.product-card .price:not(.price--was)').allInnerTexts();
  const numbers = prices.map((p) => parseInt(p.replace(/\D/g, ''), 10));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'sorted by price from the URL');
  // The plain form works too.
  await page.locator('input[name="znacka"]').first().check();
  await page.click('.facets__apply');
  await page.waitForURL(/znacka=/);
  assert.ok(await page.locator('.product-card').count() > 0);
  await context.close();
});

test('an unknown page is a styled 404', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${SHOP_URL}/tohle-neexistuje`);
  assert.equal(response.status(), 404);
  await page.locator('text=Tuhle stránku jsme nenašli').waitFor();
  await page.close();
});
