// The storefront on a phone (360 and 390 px wide, touch) and the details that lose orders:
// every page type fits the screen, the product page shows price and buy button at once, filters
// sit in a drawer, the cart and "add to cart" work before hydration, bad filter links get a
// Czech answer, search asks the server once typing pauses, the legal pages are linked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, fillContact, launch, open, SHOP_URL, submitForm, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const phone = (width = 360) => ({ viewport: { width, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/**
 * Fails when the page is wider than the phone's screen (a horizontal scroll). A phone browser
 * widens its layout viewport to fit what overflows, so the page is measured against the
 * device's width, not against `innerWidth`.
 */
async function assertFits(page, what) {
  const screen = page.viewportSize().width;
  const { scroll, wide } = await page.evaluate((screen) => ({
    scroll: document.documentElement.scrollWidth,
    // The innermost elements that stick out, to name in the failure.
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > screen + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > screen + 1))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`),
  }), screen);
  assert.ok(scroll <= screen, `${what}: the page is ${scroll} px wide on a ${screen} px screen (${wide.join(', ')})`);
}

/** A product for sale with one variant and stock to spare. */
async function productInStock() {
  const data = await api('{ products(first: 50, filter: { inStock: true }) { nodes { slug name variants { quantityAvailable } } } }');
  const product = data.products.nodes.find((p) => p.variants.length === 1 && p.variants[0].quantityAvailable > 5);
  assert.ok(product, 'the demo catalog has a product in stock');
  return product;
}

test('every page type fits a 360 px screen, through a whole purchase', async () => {
  const context = await browser.newContext(phone(360));
  const page = await context.newPage();
  const product = await productInStock();

  for (const path of ['/', '/c/elektro', `/p/${product.slug}`, '/hledat?q=kavovar', '/hledat?q=qqqxyzxyz',
    '/kosik', '/prihlaseni', '/registrace', '/obchodni-podminky', '/odstoupeni-od-smlouvy', '/kontakt', '/neexistuje']) {
    await open(page, path);
    await assertFits(page, path);
  }

  // The header is one compact row and scrolls away; the first product is near the top.
  await open(page, '/c/elektro');
  const header = await page.locator('.site-header').boundingBox();
  assert.ok(header.height < 130, `the header is ${header.height} px tall`);
  const firstCard = await page.locator('.product-card').first().boundingBox();
  assert.ok(firstCard.y < 500, `the first product starts at ${firstCard.y} px`);

  // The product page: price, delivery day and the buy bar in the first screen.
  await open(page, `/p/${product.slug}`);
  const bar = await page.getByTestId('buy-bar').boundingBox();
  assert.ok(bar && bar.y + bar.height <= 780, 'the buy bar is on the first screen');
  assert.match(await page.getByTestId('buy-bar').innerText(), /Kč[\s\S]*Do košíku/);
  assert.match(await page.getByTestId('delivery-date').innerText(), /^Doručíme (v|ve) \S+ \d{1,2}\. \d{1,2}\.$/);
  assert.match(await page.getByTestId('shipping-price').innerText(), /Doprava od 79\sKč, od 1\s500\sKč zdarma/);
  const price = await page.getByTestId('price').boundingBox();
  assert.ok(price.y + price.height < 780, `the price is at ${price.y} px`);
  await page.locator('.buy-bar button').click();
  await page.locator('.form__success', { hasText: 'Přidáno do košíku' }).waitFor();

  // The cart: lines as cards, free-shipping progress, a delivery day.
  await open(page, '/kosik');
  await assertFits(page, '/kosik');
  assert.match(await page.getByTestId('free-shipping').innerText(), /Do dopravy zdarma zbývá \d|Doprava je zdarma/);
  assert.match(await page.locator('.cart__summary [data-testid="delivery-date"]').innerText(), /^Doručíme/);

  // Each checkout step, the order and the account.
  await page.getByTestId('to-checkout').click();
  await page.waitForURL(/\/pokladna\/udaje$/);
  await waitForHydration(page);
  await assertFits(page, '/pokladna/udaje');
  const email = `telefon.${Date.now()}@example.cz`;
  await fillContact(page, { email, 'address.lastName': 'Černá' });
  await assertFits(page, '/pokladna/doprava');
  assert.ok(await page.locator('.choice__delivery').count() >= 3, 'each carrier says when it delivers');

  // Zásilkovna: the picker finds points by city; the order keeps the point's name.
  await page.check('input[value="ZASILKOVNA"]');
  await page.click('form.form button[type="submit"]');
  await page.locator('[role="alert"]', { hasText: 'výdejní místo' }).waitFor();
  await page.fill('input[name="pickupSearch"]', 'olomouc');
  await page.locator('.pickup__point').first().waitFor();
  await assertFits(page, 'the pickup point picker');
  const pointName = await page.locator('.pickup__point strong').first().innerText();
  assert.match(pointName, /^Olomouc/);
  await page.locator('.pickup__point input').first().check();
  await submitForm(page, /\/pokladna\/platba$/);
  await assertFits(page, '/pokladna/platba');
  await page.check('input[value="BANK_TRANSFER"]');
  await submitForm(page, /\/pokladna\/souhrn$/);
  await assertFits(page, '/pokladna/souhrn');
  assert.ok((await page.getByTestId('review-shipping').innerText()).includes(pointName));
  await page.getByTestId('terms-consent').check();
  await page.getByTestId('place-order').click();
  await page.waitForURL(/\/objednavka\/\d{10}\?nova=1$/);
  await waitForHydration(page);
  await assertFits(page, 'the order page');
  assert.ok((await page.locator('.order__facts').innerText()).includes(pointName));

  await open(page, '/registrace');
  await page.fill('input[name="firstName"]', 'Eva');
  await page.fill('input[name="lastName"]', 'Černá');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'Telefonní heslo 2026');
  await page.click('form.form button[type="submit"]');
  await page.locator('.form__success').waitFor();
  await open(page, '/prihlaseni');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'Telefonní heslo 2026');
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/ucet$/);
  await waitForHydration(page);
  await assertFits(page, '/ucet');
  await context.close();
});

test('filters open in a drawer on a phone and keep typed bounds; bad links get Czech answers', async () => {
  const context = await browser.newContext(phone(390));
  const page = await context.newPage();
  await open(page, '/c/elektro');
  const drawer = page.getByTestId('filters');
  assert.equal(await page.locator('.facets').isVisible(), false, 'the filters wait in a drawer');
  await drawer.locator('summary').click();
  await page.locator('.facets').waitFor();
  // Leaving "od" for "do" does not reload the page; Enter applies both bounds.
  await page.fill('input[name="cena_od"]', '500');
  await page.fill('input[name="cena_do"]', '3000');
  assert.equal(await page.inputValue('input[name="cena_od"]'), '500', 'the first bound is still there');
  await page.press('input[name="cena_do"]', 'Enter');
  await page.waitForURL(/cena_od=500.*cena_do=3000/);
  await waitForHydration(page);
  assert.match(await drawer.locator('summary').innerText(), /Filtry \(1\)/);

  // Bounds the wrong way round are swapped and said so; nonsense is left out, in Czech.
  const swapped = await page.goto(`${SHOP_URL}/c/elektro?cena_od=3000&cena_do=500&razeni=nahodne`);
  assert.equal(swapped.status(), 200);
  const notes = await page.getByTestId('listing-notes').innerText();
  assert.match(notes, /Cena od byla vyšší než cena do/);
  assert.match(notes, /Řazení „nahodne“ neznáme/);
  // A cursor from nowhere: 400 with a Czech page and a way back.
  const bad = await page.goto(`${SHOP_URL}/c/elektro?po=nesmysl&strana=2`);
  assert.equal(bad.status(), 400);
  assert.match(await page.title(), /^Neplatný odkaz/);
  assert.equal(await page.locator('main a.button').getAttribute('href'), '/c/elektro');
  const body = await page.locator('main').innerText();
  assert.doesNotMatch(body, /cursor|invalid|error/i, 'no English reaches shoppers');

  // Page two has its own title and canonical address.
  await open(page, '/c/elektro');
  await page.locator('.pager a[rel="next"]').click();
  await page.waitForURL(/strana=2/);
  assert.match(await page.title(), /– strana 2 \|/);
  assert.match(await page.locator('link[rel="canonical"]').getAttribute('href'), /\/c\/elektro\?po=.+&strana=2$/);
  await context.close();
});

test('before hydration and without JavaScript the buy and cart forms post, and typed quantities reach checkout', async () => {
  const context = await browser.newContext({ ...phone(390), javaScriptEnabled: false });
  const page = await context.newPage();
  const product = await productInStock();
  await page.goto(`${SHOP_URL}/p/${product.slug}`);
  // The sticky bar's button sends the buy box's form.
  await page.locator('.buy-bar button').click();
  await page.waitForURL(/\/kosik$/);
  assert.equal(await page.locator('.cart-line').count(), 1);
  // A quantity typed without "Přepočítat" travels with "Pokračovat k objednávce".
  await page.fill('.line-controls__quantity', '3');
  await page.getByTestId('to-checkout').click();
  await page.waitForURL(/\/pokladna\/udaje$/);
  await page.goto(`${SHOP_URL}/kosik`);
  assert.equal(await page.locator('.line-controls__quantity').inputValue(), '3');
  // Enter in the quantity recalculates, it never removes the line.
  await page.fill('.line-controls__quantity', '2');
  await page.press('.line-controls__quantity', 'Enter');
  await page.waitForURL(/\/kosik$/);
  assert.equal(await page.locator('.line-controls__quantity').inputValue(), '2');
  await page.getByTestId('remove-line').click();
  await page.waitForURL(/\/kosik$/);
  assert.equal(await page.locator('.cart-line').count(), 0);
  await context.close();
});

test('search asks once typing pauses, follows the arrow keys, and helps when nothing is found', async () => {
  const page = await browser.newPage();
  await open(page, '/');
  const asked = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('searchSuggestions')) asked.push(request);
  });
  await page.locator('.search__input').pressSequentially('elektrický kávovar', { delay: 25 });
  await page.getByTestId('suggestions').waitFor();
  await page.waitForTimeout(600);
  assert.ok(asked.length <= 2, `${asked.length} requests for 18 keys`);
  const entries = page.locator('.suggestions li');
  assert.match(await entries.last().innerText(), /Všechny výsledky pro „elektrický kávovar“/);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.suggestions__item--active').count(), 1);
  const target = await page.locator('.suggestions__item--active a').getAttribute('href');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname + url.search === target);

  await open(page, '/hledat?q=qqqxyzxyz');
  await page.getByTestId('nothing-found').waitFor();
  assert.ok(await page.locator('.nothing-found .subcategories a').count() > 0, 'popular categories are offered');
  assert.doesNotMatch(await page.getByTestId('nothing-found').innerText(), /ubrat filtry/);
  await page.close();
});

test('the legal pages are linked from every page and name the company', async () => {
  const page = await browser.newPage();
  await open(page, '/');
  const links = page.locator('.site-footer__links a');
  const paths = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(paths, ['/obchodni-podminky', '/reklamacni-rad', '/odstoupeni-od-smlouvy', '/ochrana-osobnich-udaju', '/kontakt']);
  for (const path of paths) {
    const response = await page.goto(`${SHOP_URL}${path}`);
    assert.equal(response.status(), 200, path);
    assert.match(await page.getByTestId('company').innerText(), /IČO: \d{8}/, path);
  }
  await page.goto(`${SHOP_URL}/odstoupeni-od-smlouvy`);
  assert.match(await page.getByTestId('withdrawal-form').innerText(), /odstupuji od smlouvy/);
  await page.close();
});
