// An admin works from GraphiQL alone: signs in, adds a product to a category, publishes it with a
// variant, and reads the sales figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, launch, open, SHOP_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Puts `text` into the visible editor matching `selector` and runs it. */
async function run(page, text, expect) {
  await page.evaluate((value) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(value), text);
  await page.waitForTimeout(700); // GraphiQL parses the document before it knows what to run
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction((needle) => /"(data|errors)"/.test(document.querySelector('.graphiql-response')?.textContent ?? '')
    && document.querySelector('.graphiql-response').textContent.includes(needle) || /"errors"/.test(document.querySelector('.graphiql-response')?.textContent ?? ''),
    expect, { timeout: 15_000 });
  const response = await page.locator('.graphiql-response').innerText();
  assert.ok(response.includes(expect), response);
  return response;
}

test('an admin adds a product and reads the sales from GraphiQL', async () => {
  const { category } = await api('{ category(slug: "kancelarske-zidle") { id } }');
  // Signed in on the shop's pages, GraphiQL (on the same site) works with the admin's session.
  const page = await browser.newPage();
  await open(page, '/prihlaseni');
  await page.fill('input[name="email"]', process.env.ADMIN_EMAIL);
  await page.fill('input[name="password"]', process.env.ADMIN_PASSWORD);
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/\/ucet$/);
  await page.goto(`${SHOP_URL}/graphiql`);
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });

  const name = `Židle z GraphiQL ${Date.now()}`;
  const created = await run(page, `mutation { productCreate(input: { name: "${name}", categoryId: "${category.id}", status: PUBLISHED }) { product { id slug } userErrors { message } } }`, '"slug"');
  const id = created.match(/"id": "([^"]+)"/)[1];
  await run(page, `mutation { variantCreate(input: { productId: "${id}", sku: "GQL-${Date.now()}", price: 199900 }) { variant { price { formatted } } userErrors { message } } }`, '"formatted"');
  const slug = created.match(/"slug": "([^"]+)"/)[1];
  const shown = await api('query ($slug: String!) { product(slug: $slug) { name variants { price { minorUnits } } } }', { slug });
  assert.equal(shown.product.name, name);
  assert.equal(shown.product.variants[0].price.minorUnits, 199900);

  const today = new Date().toISOString().slice(0, 10);
  const sales = await run(page, `{ salesReport(from: "2026-01-01", to: "${today}") { totals { orders revenue { formatted } } } }`, '"totals"');
  assert.match(sales, /"orders": \d+/);
});
