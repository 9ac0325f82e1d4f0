// Fake PayU and Fio banka for the browser tests, on one port (PROVIDERS_PORT). PayU: OAuth, order
// creation (302 with JSON), order status, refunds, and a payment page whose button completes the
// payment, sends the shop a signed notification a moment after the shopper is sent back (so the
// order page has to update live). Fio: the movements added with POST /fio/add, each handed out
// once, as the bank's cursor would.
import http from 'node:http';
import crypto from 'node:crypto';

const port = Number(process.env.PROVIDERS_PORT ?? 3200);
const base = `http://127.0.0.1:${port}`;
const secret = process.env.PAYU_CLIENT_SECRET;
const secondKey = process.env.PAYU_SECOND_KEY;
const orders = new Map();
let movements = [];
let movementId = 9_000_000_000;

const read = (req) => new Promise((resolve) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(body));
});
const json = (res, status, value) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function notify(id) {
  const { body, status } = orders.get(id);
  const notification = JSON.stringify({
    order: { orderId: id, extOrderId: body.extOrderId, currencyCode: body.currencyCode, totalAmount: body.totalAmount, status },
    localReceiptDateTime: new Date().toISOString(),
  });
  const signature = crypto.createHash('md5').update(notification + secondKey).digest('hex');
  await fetch(body.notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'openpayu-signature': `sender=checkout;signature=${signature};algorithm=MD5;content=DOCUMENT` },
    body: notification,
  });
}

http.createServer(async (req, res) => {
  const url = new URL(req.url, base);
  const body = await read(req);
  const bearer = req.headers.authorization === 'Bearer e2e-token';
  let match;
  if (req.method === 'POST' && url.pathname === '/pl/standard/user/oauth/authorize') {
    const form = new URLSearchParams(body);
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') || form.get('client_secret') !== secret) {
      return json(res, 401, { error: 'invalid_client' });
    }
    return json(res, 200, { access_token: 'e2e-token', token_type: 'bearer', expires_in: 43199 });
  }
  if (req.method === 'POST' && url.pathname === '/api/v2_1/orders' && bearer) {
    const order = JSON.parse(body);
    const id = `E2E${orders.size + 1}`;
    orders.set(id, { body: order, status: 'NEW' });
    return json(res, 302, { status: { statusCode: 'SUCCESS' }, redirectUri: `${base}/pay/${id}`, orderId: id, extOrderId: order.extOrderId });
  }
  if (req.method === 'GET' && (match = url.pathname.match(/^\/api\/v2_1\/orders\/([A-Z0-9]+)$/)) && bearer) {
    const order = orders.get(match[1]);
    if (!order) return json(res, 404, { status: { statusCode: 'DATA_NOT_FOUND' } });
    return json(res, 200, { orders: [{ orderId: match[1], status: order.status, totalAmount: order.body.totalAmount, currencyCode: order.body.currencyCode }], status: { statusCode: 'SUCCESS' } });
  }
  if ((match = url.pathname.match(/^\/pay\/([A-Z0-9]+)$/)) && orders.has(match[1])) {
    const id = match[1];
    const order = orders.get(id);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><title>PayU (test)</title><h1>Platba ${escape(order.body.description)}</h1>
        <p data-testid="payu-amount">${escape(order.body.totalAmount)} ${escape(order.body.currencyCode)}</p>
        <form method="post"><button data-testid="payu-pay">Zaplatit</button></form>`);
    }
    order.status = 'COMPLETED';
    res.writeHead(302, { location: order.body.continueUrl });
    res.end();
    setTimeout(() => notify(id).catch((e) => console.error('notification failed', e)), 1500);
    return;
  }
  if (req.method === 'POST' && url.pathname === '/fio/add') {
    const { symbol, amount } = JSON.parse(body);
    movementId += 1;
    movements.push({
      column22: { value: movementId, name: 'ID pohybu', id: 22 },
      column1: { value: amount, name: 'Objem', id: 1 },
      column14: { value: 'CZK', name: 'Měna', id: 14 },
      column5: { value: symbol, name: 'VS', id: 5 },
      column10: null,
      column16: null,
    });
    return json(res, 200, { ok: true });
  }
  if (req.method === 'GET' && url.pathname === `/v1/rest/last/${process.env.FIO_TOKEN}/transactions.json`) {
    const transaction = movements;
    movements = [];
    return json(res, 200, { accountStatement: { info: { currency: 'CZK' }, transactionList: { transaction } } });
  }
  json(res, 404, { error: 'not found' });
}).listen(port, '127.0.0.1');
