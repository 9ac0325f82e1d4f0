// What an attacker's link or a closed network does to the shop in a real browser: injected markup
// stays text, the pages keep their own Content-Security-Policy (any violation fails the run, see
// browser.mjs), and GraphiQL works with nothing but the shop's own files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SHOP_URL, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a search link with a script in it shows the text and runs nothing', async () => {
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  const attack = '</title><script>window.__injected = 1; alert(1)</script><img src=x onerror="window.__injected = 2">';
  await page.goto(`${SHOP_URL}/hledat?q=${encodeURIComponent(attack)}`);
  await waitForHydration(page);
  assert.equal(await page.evaluate(() => window.__injected), undefined, 'no injected script ran');
  assert.deepEqual(dialogs, []);
  assert.ok((await page.title()).includes('</title><script>'), 'the query is the title, as text');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no injected element');
});

test('GraphiQL loads from the shop alone and runs a query', async () => {
  const context = await browser.newContext();
  const foreign = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== new URL(SHOP_URL).origin && url.protocol.startsWith('http')) foreign.push(url.href);
  });
  const page = await context.newPage();
  await page.goto(`${SHOP_URL}/graphiql`);
  const editor = page.locator('.graphiql-query-editor .CodeMirror');
  await editor.waitFor({ timeout: 30_000 });
  await editor.click();
  await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
    .setValue('query Brands { brands { name } }'));
  await page.waitForTimeout(700); // GraphiQL parses the document before it knows what to run
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.graphiql-response .CodeMirror');
  await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent.includes('"brands"'),
    null, { timeout: 15_000 });
  assert.match(await result.innerText(), /"name"/);

  // Subscriptions go over the shop's WebSocket.
  const sockets = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
    .setValue('subscription Follow { orderStatusChanged(number: "2026000001") { toStatus } }'));
  await page.waitForTimeout(700);
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(() => /UNAUTHENTICATED|NOT_FOUND/.test(document.querySelector('.graphiql-response')?.textContent ?? ''),
    null, { timeout: 15_000 });
  assert.ok(sockets.some((url) => url.endsWith('/graphql/ws')), `${sockets}`);
  assert.deepEqual(foreign, [], 'nothing from other hosts');
  await context.close();
});

test('without JavaScript, forms post their secrets in the body and still work', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const visited = [];
  page.on('request', (request) => visited.push(request.url()));
  const email = `bez-js-${Date.now()}@example.cz`;
  const password = 'Heslo bez skriptů 2026';

  await page.goto(`${SHOP_URL}/registrace`);
  await page.fill('input[name="firstName"]', 'Jana');
  await page.fill('input[name="lastName"]', 'Nováková');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/prihlaseni\?registrace=hotovo/);

  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'špatné heslo 123');
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/prihlaseni\?chyba=prihlaseni/);
  assert.match(await page.locator('[role="alert"]').first().innerText(), /Nesprávný e-mail nebo heslo/);

  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/ucet$/);
  assert.equal(await page.locator('.account__email').innerText(), email);
  assert.ok(visited.every((url) => !url.includes(encodeURIComponent(password)) && !url.includes('password=')),
    'the password never was in a URL');

  // Add to cart from a product page, then change the quantity.
  await page.goto(`${SHOP_URL}/c/elektro`);
  await page.locator('.product-card__name a').first().click();
  await page.waitForURL(/\/p\//);
  await page.click('[data-testid="buy"]');
  await page.waitForURL(/\/kosik$/);
  assert.equal(await page.locator('.cart-line').count(), 1);
  await page.fill('.line-controls__quantity', '2');
  await page.click('[data-testid="recalculate"]');
  await page.waitForURL(/\/kosik$/);
  assert.equal(await page.locator('.line-controls__quantity').inputValue(), '2');
  await context.close();
});
