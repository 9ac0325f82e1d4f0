// A guest's purchase: two products (from a product page and from a listing) → discount code →
// Zásilkovna and bank transfer → confirmation → sign-up and sign-in → the order in the history;
// the order page follows the status live when an admin ships it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adminToken, api, launch, open, submitForm, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const email = `petr.${Date.now()}@example.cz`;
const password = 'Zelená louka 2026';

/** Two products for sale: one with several variants, one with a single variant. */
async function pickProducts() {
  const data = await api('{ products(first: 100, filter: { inStock: true }) { nodes { slug name variants { availableForSale quantityAvailable } } } }');
  const sellable = data.products.nodes.filter((p) => p.variants.every((v) => v.availableForSale && v.quantityAvailable > 3));
  const single = sellable.find((p) => p.variants.length === 1);
  const other = sellable.find((p) => p !== single);
  assert.ok(single && other, 'the demo catalog has products with one and with several variants');
  return { single, other };
}

test('guest checkout with a discount, sign-up, order history and a live status', async () => {
  const { single, other } = await pickProducts();
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // From the product page.
  await open(page, `/p/${other.slug}`);
  await page.getByTestId('buy').click();
  await page.locator('.form__success', { hasText: 'Přidáno do košíku' }).waitFor();
  assert.equal(await page.locator('#mini-cart-count').innerText(), '1');
  assert.match(await page.locator('#mini-cart-free').innerText(), /^Doprava zdarma/, 'the mini-cart says how far free shipping is');

  // From a listing (search results), with the tile's button.
  await open(page, `/hledat?q=${encodeURIComponent(single.name)}`);
  await page.getByRole('button', { name: `Přidat do košíku: ${single.name}` }).first().click();
  await page.locator('.added').first().waitFor();
  assert.equal(await page.locator('#mini-cart-count').innerText(), '2');

  // The cart: two lines; a discount code lowers the total.
  await page.getByTestId('mini-cart').click();
  await page.waitForURL(/\/kosik$/);
  await waitForHydration(page);
  assert.equal(await page.locator('.cart-line').count(), 2);
  const before = await page.getByTestId('total').innerText();
  await page.fill('input[name="discountCode"]', 'NEEXISTUJE');
  await page.click('[data-testid="discount-form"] button[type="submit"]');
  await page.locator('.field__error', { hasText: 'neexistuje' }).waitFor();
  await page.fill('input[name="discountCode"]', 'VITEJTE10');
  await page.click('[data-testid="discount-form"] button[type="submit"]');
  await page.locator('.totals__row dt', { hasText: 'Sleva' }).waitFor();
  const discount = await page.locator('.totals__row', { hasText: 'Sleva' }).locator('dd').innerText();
  assert.match(discount, /^\u2212\d/, 'a discount is written with a minus sign');
  await waitForHydration(page);
  assert.notEqual(await page.getByTestId('total').innerText(), before);
  // The mini-cart shows the goods after the discount.
  const crowns = (text) => Number(text.replace(/[^\d,]/g, '').replace(',', '.'));
  const goods = crowns(await page.locator('.totals__row', { hasText: 'Zboží' }).locator('dd').innerText());
  assert.equal(crowns(await page.locator('#mini-cart-total').innerText()), Math.round((goods - crowns(discount)) * 100) / 100);

  // Step 1: contact and address, with a server-side check first.
  await page.getByTestId('to-checkout').click();
  await page.waitForURL(/\/pokladna\/udaje$/);
  await waitForHydration(page);
  assert.equal(await page.inputValue('input[name="email"]'), '', 'a guest starts with an empty form');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="address.firstName"]', 'Petr');
  await page.fill('input[name="address.lastName"]', 'Dvořák');
  await page.fill('input[name="address.street"]', 'Masarykova 5');
  await page.fill('input[name="address.city"]', 'Brno');
  await page.fill('input[name="address.postalCode"]', '1234');
  await page.fill('input[name="address.phone"]', '+421 905 123');
  await page.click('form.form button[type="submit"]');
  await page.locator('.field__error', { hasText: 'PSČ' }).waitFor();
  await page.locator('.field__error', { hasText: 'české telefonní číslo' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'address.postalCode',
    'the focus moves to the first field to fix');
  assert.equal(await page.getAttribute('input[name="address.postalCode"]', 'inputmode'), 'numeric');
  await page.fill('input[name="address.postalCode"]', '60200');
  await page.fill('input[name="address.phone"]', '777 123 456');
  await submitForm(page, /\/pokladna\/doprava$/);

  // Step 2: Zásilkovna with a pickup point. Step 3: bank transfer.
  await page.check('input[value="ZASILKOVNA"]');
  await page.fill('input[name="pickupSearch"]', '602 00');
  await page.locator('.pickup__point').first().waitFor();
  const point = await page.locator('.pickup__point strong').first().innerText();
  assert.match(point, /^Brno/, 'found by PSČ');
  await page.locator('.pickup__point input').first().check();
  await submitForm(page, /\/pokladna\/platba$/);
  await page.check('input[value="BANK_TRANSFER"]');
  await submitForm(page, /\/pokladna\/souhrn$/);

  // The review survives a reload: everything is kept on the server.
  await page.reload();
  await waitForHydration(page);
  assert.ok((await page.getByTestId('review-shipping').innerText()).includes(point));
  assert.match(await page.getByTestId('review-payment').innerText(), /převodem/);
  // The totals stand above the order button; the terms must be accepted first.
  const totalBox = await page.getByTestId('total').boundingBox();
  const buttonBox = await page.getByTestId('place-order').boundingBox();
  assert.ok(totalBox.y < buttonBox.y, 'the total is shown above the order button');
  await page.getByTestId('place-order').click();
  await page.locator('[role="alert"]', { hasText: 'obchodními podmínkami' }).waitFor();
  assert.match(page.url(), /\/pokladna\/souhrn$/, 'no order without consent to the terms');
  await page.getByTestId('terms-consent').check();
  await page.getByTestId('place-order').click();
  await page.waitForURL(/\/objednavka\/\d{10}\?nova=1$/);
  await page.getByTestId('order-thanks').waitFor();
  const number = await page.getByTestId('order-number').innerText();
  assert.match(await page.getByTestId('payment-instructions').innerText(), new RegExp(number));
  assert.equal(await page.locator('#mini-cart-count').innerText(), '0');

  // Sign up with the order's e-mail, sign in in this browser: the order is in the history.
  await open(page, '/registrace');
  await page.fill('input[name="firstName"]', 'Petr');
  await page.fill('input[name="lastName"]', 'Dvořák');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form.form button[type="submit"]');
  await page.locator('.form__success').waitFor();
  await open(page, '/prihlaseni');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/ucet$/);
  await page.getByTestId('order-history').locator('a', { hasText: number }).click();
  await page.waitForURL(new RegExp(`/objednavka/${number}$`));
  await waitForHydration(page);
  await page.locator('[data-testid="timeline"][data-live="true"]').waitFor();
  assert.equal(await page.getByTestId('order-status').innerText(), 'Čeká na platbu');
  await page.getByTestId('cancel-order').waitFor();

  // An admin ships the order; the open page follows without a reload.
  await page.evaluate(() => { window.stillHere = true; });
  const token = await adminToken();
  const move = 'mutation ($input: OrderStatusUpdateInput!) { orderStatusUpdate(input: $input) { order { version } userErrors { message } } }';
  let version = (await api('query ($n: String!) { order(number: $n) { version } }', { n: number }, token)).order.version;
  for (const status of ['PAID', 'PROCESSING', 'SHIPPED']) {
    const result = await api(move, { input: { number, status, expectedVersion: version } }, token);
    assert.deepEqual(result.orderStatusUpdate.userErrors, []);
    version = result.orderStatusUpdate.order.version;
  }
  await page.locator('[data-testid="order-status"][data-status="SHIPPED"]').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('order-status').innerText(), 'Odesláno');
  assert.equal(await page.locator('.timeline__item').count(), 4);
  assert.equal(await page.getByTestId('cancel-order').count(), 0, 'a shipped order cannot be cancelled');
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no navigation happened');

  // Delivered: the customer may now review what they bought; staff approve it; it shows.
  const delivered = await api(move, { input: { number, status: 'DELIVERED', expectedVersion: version } }, token);
  assert.deepEqual(delivered.orderStatusUpdate.userErrors, []);
  await open(page, `/p/${other.slug}`);
  const form = page.getByTestId('review-form');
  await form.locator('label:has(input[value="4"])').click();
  await form.locator('textarea[name="body"]').fill('Doma slouží každý den, jsme spokojení.');
  await form.locator('input[name="pros"]').fill('Pevné, hezké');
  await form.locator('button[type="submit"]').click();
  await page.locator('.form__success', { hasText: 'zveřejníme po kontrole' }).waitFor();
  const pending = await api('{ reviewsPending { nodes { id body } } }', {}, token);
  const review = pending.reviewsPending.nodes.find((r) => r.body.startsWith('Doma slouží'));
  await api('mutation ($id: ID!) { productReviewModerate(input: { id: $id, status: APPROVED }) { userErrors { code } } }', { id: review.id }, token);
  await open(page, `/p/${other.slug}`);
  assert.match(await page.getByTestId('reviews').innerText(), /Doma slouží každý den[\s\S]*Klady: Pevné, hezké/);
  assert.match(await page.locator('.product__rating').innerText(), /4,0/);
  assert.deepEqual(errors, []);
});
