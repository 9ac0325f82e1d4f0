// The shopping assistant in the storefront: the built-in assistant (no model key in the tests)
// finds chairs under 3 000 Kč, shows only matching product cards, and one goes into the cart;
// the conversation is still there after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, waitForHydration } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const crowns = (text) => Number(text.replace(/[^\d,]/g, '').replace(',', '.'));

test('the assistant finds a chair under 3 000 Kč and puts it in the cart', async () => {
  const page = await browser.newPage();
  await open(page, '/');
  const before = Number(await page.locator('#mini-cart-count').innerText());
  await page.getByTestId('assistant-open').click();
  await page.getByTestId('assistant-input').fill('Hledám kancelářskou židli do 3 000 Kč');
  await page.getByTestId('assistant-send').click();
  const answer = page.getByTestId('assistant-answer').first();
  await answer.waitFor({ timeout: 15_000 });
  assert.match(await answer.innerText(), /kancelářské židle/);
  const prices = await answer.getByTestId('assistant-price').allInnerTexts();
  assert.ok(prices.length > 0, 'product cards are shown');
  for (const price of prices) assert.ok(crowns(price) <= 3000, `${price} is within the budget`);

  await answer.getByTestId('assistant-add').first().click();
  await answer.locator('.added').first().waitFor();
  assert.equal(Number(await page.locator('#mini-cart-count').innerText()), before + 1);

  await page.reload();
  await waitForHydration(page);
  await page.getByTestId('assistant-open').click();
  await page.getByTestId('assistant-answer').first().waitFor();
  assert.equal(await page.getByTestId('assistant-question').first().innerText(), 'Hledám kancelářskou židli do 3 000 Kč');
});
