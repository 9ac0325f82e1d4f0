// Checkout under contention: in each round, 50 buyers with ready checkouts race for the last 10
// units of one variant, all `checkoutComplete` requests sent at once. Prints the orders placed and
// refused per round and the latency of those requests.
// Each buyer comes from an address of its own (as `X-Forwarded-For` from one trusted proxy: run the
// server with TRUSTED_PROXY_HOPS=1) and a mailbox of its own, as real shoppers do: one address or
// mailbox may place only a few guest orders an hour.
// usage: SHOP_URL=… ADMIN_EMAIL=… ADMIN_PASSWORD=… node bench/checkout.mjs [rounds]
import http from 'node:http';

const SHOP_URL = process.env.SHOP_URL ?? 'http://127.0.0.1:3000';
const ROUNDS = Number(process.argv[2] ?? 5);
const BUYERS = 50;
const UNITS = 10;

// Plain `http` with keep-alive: `fetch` costs the load generator more CPU than the server spends
// on a checkout, and it shares the server's two cores.
const agent = new http.Agent({ keepAlive: true, maxSockets: BUYERS });
const url = new URL('/graphql', SHOP_URL);

function gql(query, variables = {}, token, buyer) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (buyer !== undefined) headers['x-forwarded-for'] = `10.${buyer >> 16 & 255}.${buyer >> 8 & 255}.${buyer & 255}`;
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers, agent }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => {
        const parsed = JSON.parse(text);
        if (parsed.errors) reject(new Error(JSON.stringify(parsed.errors)));
        else resolve(parsed.data);
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const login = await gql('mutation ($input: CustomerLoginInput!) { customerLogin(input: $input) { accessToken } }',
  { input: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } });
const admin = login.customerLogin.accessToken;
// One more round first, not counted: it opens the connections and warms the server's statement
// caches, as the warm-up before each `wrk` run does.
const { products } = await gql(`{ products(first: ${ROUNDS + 1}, filter: { inStock: true }, sort: NEWEST) { nodes { variants { id quantityAvailable } } } }`);

const address = { firstName: 'Jana', lastName: 'Nováková', street: 'Dlouhá 12', city: 'Praha', postalCode: '110 00', phone: '777 123 456' };
const latencies = [];
for (const [round, product] of products.nodes.entries()) {
  const variant = product.variants[0];
  // Exactly UNITS left, whatever the catalog had.
  await gql('mutation ($input: StockAdjustInput!) { stockAdjust(input: $input) { userErrors { message } } }',
    { input: { variantId: variant.id, delta: UNITS - variant.quantityAvailable, reason: 'benchmark' } }, admin);
  const carts = [];
  for (let i = 0; i < BUYERS; i++) {
    const buyer = round * BUYERS + i;
    const created = await gql('mutation ($lines: [CartLineInput!]!) { cartCreate(input: { lines: $lines }) { cart { id } } }',
      { lines: [{ variantId: variant.id, quantity: 1 }] }, undefined, buyer);
    const cartId = created.cartCreate.cart.id;
    await gql('mutation ($input: CheckoutUpdateInput!) { checkoutUpdate(input: $input) { userErrors { message } } }',
      { input: { cartId, email: `buyer${buyer}@example.cz`, shippingAddress: address, shippingMethod: 'PPL', paymentMethod: 'BANK_TRANSFER' } });
    carts.push([cartId, buyer]);
  }
  const outcomes = await Promise.all(carts.map(async ([cartId, buyer]) => {
    const started = performance.now();
    const data = await gql('mutation ($cartId: ID!, $key: String!) { checkoutComplete(input: { cartId: $cartId, idempotencyKey: $key }) { order { number } userErrors { code } } }',
      { cartId, key: `bench-${cartId}` }, undefined, buyer);
    if (round > 0) latencies.push(performance.now() - started);
    return data.checkoutComplete.order ? 'ORDER' : data.checkoutComplete.userErrors[0]?.code;
  }));
  const count = (what) => outcomes.filter((o) => o === what).length;
  console.log(`${round === 0 ? 'warm-up' : `round ${round}`}: ${BUYERS} buyers, ${UNITS} units → ${count('ORDER')} orders, ${count('OUT_OF_STOCK')} OUT_OF_STOCK, ${BUYERS - count('ORDER') - count('OUT_OF_STOCK')} other`);
}
latencies.sort((a, b) => a - b);
const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)].toFixed(1);
console.log(`checkoutComplete latency over ${latencies.length} requests: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
