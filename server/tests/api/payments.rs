//! Payments: card payments through a fake PayU, notifications (signed, repeated, late, at two
//! instances at once), refunds that never exceed what was paid, bank transfers matched from a
//! fake Fio banka.

// Amounts are written as crowns_haléř (`100_00` is 100 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::checkout::{COMPLETE, UPDATE, ready_cart, variant};
use crate::common::fake_fio::{self, FakeFio};
use crate::common::fake_payu::{self, FakePayu};
use crate::common::{self, Reply, data, send, test_redis};
use crate::orders::{admin, call};
use server::config::Config;

const PAY: &str = "mutation ($n: String!, $m: PayWith!) { orderPay(input: { number: $n, method: $m }) { redirectUrl payment { method payable due { minorUnits } attempts { attempt status } bankTransfer { accountNumber iban variableSymbol amount { minorUnits } spayd qrSvg } } userErrors { field code message } } }";
const PAYMENT: &str = "query ($n: String!) { orderPayment(number: $n) { method payable total { minorUnits } paid { minorUnits } refunded { minorUnits } due { minorUnits } attempts { attempt status providerStatus } refunds { amount { minorUnits } status } } }";
const STATUS: &str = "query ($n: String!) { order(number: $n) { status timeline { toStatus } } }";
pub(crate) const REFUND: &str = "mutation ($n: String!, $a: Int!) { orderRefund(input: { number: $n, amount: $a, reason: \"Reklamace\" }) { payment { refunded { minorUnits } refunds { amount { minorUnits } status } } userErrors { field code message } } }";

/// Loads the test catalog.
async fn seed(pool: &PgPool) {
    server::seed::seed(pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
}

/// A shop whose PayU is `payu` and whose bank is `fio` (when given).
fn shop(pool: &PgPool, payu: &str, fio: Option<&str>) -> Router {
    let redis = test_redis(pool, &Config::from_environment().unwrap().redis_url);
    let (payu, fio) = (payu.to_owned(), fio.map(str::to_owned));
    common::app_with_config(pool.clone(), redis, move |config| {
        config.payments.payu.base_url = payu;
        config.payments.payu.client_secret = fake_payu::CLIENT_SECRET.into();
        config.payments.payu.second_key = fake_payu::SECOND_KEY.into();
        if let Some(fio) = fio {
            config.payments.fio_api_url = fio;
            config.payments.fio_token = Some(fake_fio::TOKEN.into());
        }
    })
}

/// A guest order of one unit paid with `method`: its number and total.
async fn order(app: &Router, pool: &PgPool, method: &str) -> (String, i64) {
    let (_, variant, _) = variant(pool, 10).await;
    let cart = ready_cart(app, &variant, 1).await;
    let input = json!({ "input": { "cartId": cart, "paymentMethod": method } });
    data(app, UPDATE, input).await;
    let placed = data(app, COMPLETE, json!({ "cartId": cart, "key": cart })).await;
    let order = &placed["checkoutComplete"]["order"];
    assert_eq!(order["status"], "PENDING_PAYMENT", "{placed}");
    (
        order["number"].as_str().unwrap().to_owned(),
        order["total"]["minorUnits"].as_i64().unwrap(),
    )
}

pub(crate) async fn notify(app: &Router, body: &str, signature: &str) -> Reply {
    let request = Request::post("/webhooks/payu")
        .header("content-type", "application/json")
        .header("openpayu-signature", signature)
        .body(Body::from(body.to_owned()))
        .unwrap();
    send(app, request).await
}

async fn ledger(pool: &PgPool, kind: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT count(*), coalesce(sum(amount), 0)::bigint FROM payment_ledger WHERE kind = $1",
    )
    .bind(kind)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The subjects of the queued e-mails, in order.
async fn mails(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT payload->>'subject' FROM outbox ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn status(app: &Router, auth: &str, number: &str) -> Value {
    call(app, auth, STATUS, json!({ "n": number })).await["data"]["order"].clone()
}

/// A seeded shop with a fake PayU, a guest's card order waiting for payment, and an admin.
pub(crate) struct CardOrder {
    pub(crate) payu: FakePayu,
    pub(crate) app: Router,
    pub(crate) number: String,
    pub(crate) total: i64,
    pub(crate) auth: String,
}

impl CardOrder {
    pub(crate) async fn new(pool: &PgPool) -> Self {
        seed(pool).await;
        let payu = FakePayu::start().await;
        let app = shop(pool, &payu.url, None);
        let (number, total) = order(&app, pool, "CARD").await;
        let auth = admin(&app, pool).await;
        Self {
            payu,
            app,
            number,
            total,
            auth,
        }
    }

    /// Asks to pay by card (a new attempt, or the open one).
    pub(crate) async fn pay(&self) -> Value {
        call(
            &self.app,
            &self.auth,
            PAY,
            json!({ "n": self.number, "m": "CARD" }),
        )
        .await
    }

    /// PayU's id of attempt `attempt`.
    fn payu_id(&self, attempt: u32) -> String {
        self.payu
            .order_for(&format!("{}-{attempt}", self.number))
            .unwrap()
            .0
    }

    /// PayU sets attempt `attempt` to `status` and tells the shop: the signed notification.
    pub(crate) fn payu_says(&self, attempt: u32, status: &str) -> (String, String) {
        let id = self.payu_id(attempt);
        self.payu.set_status(&id, status);
        self.payu.notification(&id)
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_card_payment_goes_through_payu_and_pays_the_order_once(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let CardOrder {
        payu,
        app,
        number,
        total,
        auth,
    } = &card;
    let (number, total) = (number.clone(), *total);
    let paying = card.pay().await;
    let pay = &paying["data"]["orderPay"];
    assert_eq!(pay["userErrors"], json!([]), "{paying}");
    assert!(
        pay["redirectUrl"]
            .as_str()
            .unwrap()
            .contains("orderId=PAYU0001")
    );
    assert_eq!(
        pay["payment"]["attempts"],
        json!([{ "attempt": 1, "status": "PENDING" }])
    );
    let twice = card.pay().await;
    assert_eq!(
        twice["data"]["orderPay"]["redirectUrl"], pay["redirectUrl"],
        "a second click goes to the same payment"
    );
    assert_eq!(payu.books.lock().unwrap().orders.len(), 1);
    let (id, request) = payu.order_for(&format!("{number}-1")).unwrap();
    assert_eq!(request["totalAmount"], total.to_string());
    assert_eq!(request["currencyCode"], "CZK");
    assert_eq!(request["buyer"]["email"], "jana@example.cz");
    assert!(
        request["notifyUrl"]
            .as_str()
            .unwrap()
            .ends_with("/webhooks/payu")
    );
    let receipt: i64 = request["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["unitPrice"].as_str().unwrap().parse::<i64>().unwrap()
                * p["quantity"].as_str().unwrap().parse::<i64>().unwrap()
        })
        .sum();
    assert_eq!(receipt, total, "the receipt adds up to the total");

    // A forged or tampered notification is refused before anything is read.
    payu.set_status(&id, "COMPLETED");
    let (body, signature) = payu.notification(&id);
    let tampered = body.replace("COMPLETED", "COMPLETED ");
    assert_eq!(
        notify(app, &tampered, &signature).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        notify(app, &body, "sender=checkout;signature=00;algorithm=MD5")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(app, auth, &number).await["status"],
        "PENDING_PAYMENT"
    );

    // The real one pays the order; repeats change nothing.
    for _ in 0..3 {
        assert_eq!(notify(app, &body, &signature).await.status, StatusCode::OK);
    }
    let order = status(app, auth, &number).await;
    assert_eq!(order["status"], "PAID");
    assert_eq!(
        order["timeline"],
        json!([{ "toStatus": "PENDING_PAYMENT" }, { "toStatus": "PAID" }])
    );
    assert_eq!(ledger(&pool, "PAYMENT").await, (1, total));
    let payment =
        call(app, auth, PAYMENT, json!({ "n": number })).await["data"]["orderPayment"].clone();
    assert_eq!(payment["paid"]["minorUnits"], total);
    assert_eq!(payment["due"]["minorUnits"], 0);
    assert_eq!(payment["payable"], false);
    assert_eq!(
        payment["attempts"],
        json!([{ "attempt": 1, "status": "COMPLETED", "providerStatus": "COMPLETED" }])
    );
    assert_eq!(payu.books.lock().unwrap().tokens, 1, "the token is cached");
    let received = format!("Platba za objednávku {number} přijata");
    assert_eq!(
        mails(&pool)
            .await
            .iter()
            .filter(|s| **s == received)
            .count(),
        1
    );

    // A paid order cannot be paid again.
    let again = call(app, auth, PAY, json!({ "n": number, "m": "CARD" })).await;
    assert_eq!(
        again["data"]["orderPay"]["userErrors"][0]["code"],
        "NOT_PAYABLE"
    );
    // A notification about a payment this shop never started changes nothing.
    let (unknown, unknown_signature) = {
        payu.books.lock().unwrap().orders.insert(
            "PAYU9999".into(),
            (
                json!({ "extOrderId": "x", "currencyCode": "CZK", "totalAmount": "100" }),
                "COMPLETED".into(),
            ),
        );
        payu.notification("PAYU9999")
    };
    assert_eq!(
        notify(app, &unknown, &unknown_signature).await.status,
        StatusCode::OK
    );
    assert_eq!(ledger(&pool, "PAYMENT").await, (1, total));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_abandoned_card_payment_is_retried_or_switched_to_a_transfer(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let CardOrder {
        payu,
        app,
        number,
        total,
        auth,
    } = &card;
    let (number, total) = (number.clone(), *total);
    card.pay().await;
    let (body, signature) = card.payu_says(1, "CANCELED");
    assert_eq!(notify(app, &body, &signature).await.status, StatusCode::OK);
    let payment =
        call(app, auth, PAYMENT, json!({ "n": number })).await["data"]["orderPayment"].clone();
    assert_eq!(payment["attempts"][0]["status"], "CANCELED");
    assert_eq!(payment["payable"], true);
    assert_eq!(
        status(app, auth, &number).await["status"],
        "PENDING_PAYMENT"
    );

    let retry = call(app, auth, PAY, json!({ "n": number, "m": "CARD" })).await;
    // Each attempt gives the order the card window (30 minutes) again.
    let minutes: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM payment_due_at - now())::float8 / 60 FROM orders WHERE number = $1",
    )
    .bind(&number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!((29.0..=30.0).contains(&minutes), "{minutes}");
    assert_eq!(
        retry["data"]["orderPay"]["payment"]["attempts"][1],
        json!({ "attempt": 2, "status": "PENDING" })
    );
    assert!(
        payu.order_for(&format!("{number}-2")).is_some(),
        "a new extOrderId per attempt"
    );

    let transfer = call(app, auth, PAY, json!({ "n": number, "m": "BANK_TRANSFER" })).await;
    let payment = &transfer["data"]["orderPay"]["payment"];
    assert_eq!(payment["method"], "BANK_TRANSFER");
    let bank = &payment["bankTransfer"];
    assert_eq!(bank["variableSymbol"], number);
    assert_eq!(bank["amount"]["minorUnits"], total);
    assert_eq!(bank["accountNumber"], "2001234567/2010");
    let spayd = bank["spayd"].as_str().unwrap();
    assert!(spayd.starts_with(&format!(
        "SPD*1.0*ACC:{}*AM:",
        bank["iban"].as_str().unwrap()
    )));
    assert!(spayd.contains(&format!("*X-VS:{number}")));
    assert!(bank["qrSvg"].as_str().unwrap().starts_with("<svg "));
}

#[sqlx::test(migrations = "../migrations")]
async fn payu_down_gives_the_shopper_a_clear_message(pool: PgPool) {
    seed(&pool).await;
    // Nothing listens on a port that was just released.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let app = shop(&pool, &closed, None);
    let (number, _) = order(&app, &pool, "CARD").await;
    let auth = admin(&app, &pool).await;
    let reply = call(&app, &auth, PAY, json!({ "n": number, "m": "CARD" })).await;
    let pay = &reply["data"]["orderPay"];
    assert_eq!(pay["redirectUrl"], Value::Null);
    assert_eq!(pay["userErrors"][0]["code"], "PAYMENT_GATEWAY_UNAVAILABLE");
    assert!(
        pay["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("zkuste")
    );
    let payment =
        call(&app, &auth, PAYMENT, json!({ "n": number })).await["data"]["orderPayment"].clone();
    assert_eq!(payment["attempts"][0]["status"], "CANCELED");
    assert_eq!(payment["payable"], true, "the shopper can try again");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_payment_after_cancellation_is_kept_flagged_and_refunded(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let CardOrder {
        payu,
        app,
        number,
        total,
        auth,
    } = &card;
    let (number, total) = (number.clone(), *total);
    card.pay().await;
    let cancel = "mutation ($n: [String!]!) { ordersCancel(input: { numbers: $n, note: \"Nezaplaceno\" }) { cancelled { status } } }";
    call(app, auth, cancel, json!({ "n": [number] })).await;
    let id = card.payu_id(1);
    let (body, signature) = card.payu_says(1, "COMPLETED");
    assert_eq!(notify(app, &body, &signature).await.status, StatusCode::OK);

    assert_eq!(status(app, auth, &number).await["status"], "CANCELLED");
    assert_eq!(
        ledger(&pool, "PAYMENT").await,
        (1, total),
        "the money is not lost"
    );
    let late = call(app, auth, "{ latePaidOrders }", json!({})).await;
    assert_eq!(late["data"]["latePaidOrders"], json!([number]));
    let refunds: Vec<(String, Value)> = payu
        .books
        .lock()
        .unwrap()
        .refunds
        .values()
        .map(|(order, body, _)| (order.clone(), body.clone()))
        .collect();
    assert_eq!(refunds.len(), 1, "refunded automatically");
    assert_eq!(refunds[0].0, id);
    assert_eq!(refunds[0].1["refund"]["amount"], total.to_string());
    // A repeat neither books nor refunds again.
    notify(app, &body, &signature).await;
    assert_eq!(payu.books.lock().unwrap().refunds.len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn refunds_add_up_to_what_was_paid_and_never_more(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let CardOrder {
        payu,
        app,
        number,
        total,
        auth,
    } = &card;
    let (number, total) = (number.clone(), *total);
    card.pay().await;
    let (body, signature) = card.payu_says(1, "COMPLETED");
    notify(app, &body, &signature).await;

    let first = total / 3;
    let part = call(app, auth, REFUND, json!({ "n": number, "a": first })).await;
    assert_eq!(
        part["data"]["orderRefund"]["userErrors"],
        json!([]),
        "{part}"
    );
    let too_much = call(
        app,
        auth,
        REFUND,
        json!({ "n": number, "a": total - first + 1 }),
    )
    .await;
    assert_eq!(
        too_much["data"]["orderRefund"]["userErrors"][0]["code"],
        "REFUND_TOO_HIGH"
    );
    let zero = call(app, auth, REFUND, json!({ "n": number, "a": 0 })).await;
    assert_eq!(
        zero["data"]["orderRefund"]["userErrors"][0]["code"],
        "INVALID"
    );
    let rest = call(
        app,
        auth,
        REFUND,
        json!({ "n": number, "a": total - first }),
    )
    .await;
    assert_eq!(
        rest["data"]["orderRefund"]["userErrors"],
        json!([]),
        "{rest}"
    );
    assert_eq!(
        ledger(&pool, "REFUND").await,
        (0, 0),
        "pending refunds are not money yet"
    );

    payu.finish_refunds("FINALIZED");
    let payments =
        server::payments::Payments::new(&payments_settings(&payu.url), "http://127.0.0.1:3000");
    let finished = server::payments::service::follow_pending_refunds(&pool, &payments)
        .await
        .unwrap();
    assert_eq!(finished, 2);
    assert_eq!(ledger(&pool, "REFUND").await, (2, total));
    let payment =
        call(app, auth, PAYMENT, json!({ "n": number })).await["data"]["orderPayment"].clone();
    assert_eq!(payment["refunded"]["minorUnits"], total);
    assert_eq!(payment["refunds"].as_array().unwrap().len(), 2);
    assert_eq!(status(app, auth, &number).await["status"], "REFUNDED");
    let refund_mail = format!("Vrácení peněz k objednávce {number}");
    assert_eq!(
        mails(&pool)
            .await
            .iter()
            .filter(|s| **s == refund_mail)
            .count(),
        2
    );
    let after = call(app, auth, REFUND, json!({ "n": number, "a": 1 })).await;
    assert_eq!(
        after["data"]["orderRefund"]["userErrors"][0]["code"],
        "REFUND_TOO_HIGH"
    );
    // Refunds are for admins only.
    let anonymous = common::graphql(app, REFUND, json!({ "n": number, "a": 1 })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn two_instances_book_one_notification_once(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let first = &card.app;
    let second = shop(&pool, &card.payu.url, None);
    let total = card.total;
    card.pay().await;
    let (body, signature) = card.payu_says(1, "COMPLETED");
    let (a, b) = tokio::join!(
        notify(first, &body, &signature),
        notify(&second, &body, &signature)
    );
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(ledger(&pool, "PAYMENT").await, (1, total));
    let paid_events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM order_events WHERE to_status = 'PAID'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(paid_events, 1);
}

pub(crate) fn payments_settings(payu: &str) -> server::config::PaymentSettings {
    let mut settings = Config::from_environment().unwrap().payments;
    settings.payu.base_url = payu.to_owned();
    settings.payu.client_secret = fake_payu::CLIENT_SECRET.into();
    settings.payu.second_key = fake_payu::SECOND_KEY.into();
    settings
}

#[sqlx::test(migrations = "../migrations")]
async fn bank_transfers_are_matched_by_symbol_and_amount(pool: PgPool) {
    seed(&pool).await;
    let fio = FakeFio::start(vec![]).await;
    let app = shop(&pool, "http://127.0.0.1:9", Some(&fio.url));
    let (full, full_total) = order(&app, &pool, "BANK_TRANSFER").await;
    let (part, part_total) = order(&app, &pool, "BANK_TRANSFER").await;
    let (over, over_total) = order(&app, &pool, "BANK_TRANSFER").await;
    let crowns = |minor: i64| minor as f64 / 100.0;
    *fio.state.statement.lock().unwrap() = vec![
        fake_fio::movement(1001, crowns(full_total), "CZK", Some(&format!("000{full}"))),
        fake_fio::movement(1002, crowns(part_total - 100_00), "CZK", Some(&part)),
        fake_fio::movement(1003, crowns(over_total + 50_00), "CZK", Some(&over)),
        fake_fio::movement(1004, 500.0, "CZK", Some("1234567890")),
        fake_fio::movement(1005, crowns(full_total), "EUR", Some(&full)),
        fake_fio::movement(1006, 300.0, "CZK", None),
        fake_fio::movement(1007, -250.0, "CZK", Some(&full)),
    ];
    let mut settings = payments_settings("http://127.0.0.1:9");
    settings.fio_api_url = fio.url.clone();
    settings.fio_token = Some(fake_fio::TOKEN.into());
    let payments = server::payments::Payments::new(&settings, "http://127.0.0.1:3000");
    let redis = test_redis(&pool, &Config::from_environment().unwrap().redis_url);

    let changes = server::payments::service::poll_bank(&pool, &redis, &payments)
        .await
        .unwrap();
    assert_eq!(changes.len(), 2, "the full and the overpaid order are paid");
    let auth = admin(&app, &pool).await;
    assert_eq!(status(&app, &auth, &full).await["status"], "PAID");
    assert_eq!(status(&app, &auth, &over).await["status"], "PAID");
    assert_eq!(
        status(&app, &auth, &part).await["status"],
        "PENDING_PAYMENT"
    );
    let still =
        call(&app, &auth, PAYMENT, json!({ "n": part })).await["data"]["orderPayment"].clone();
    assert_eq!(still["due"]["minorUnits"], 100_00);
    assert_eq!(still["payable"], true);
    let review = call(
        &app,
        &auth,
        "{ bankMovementsToReview { movementId outcome orderNumber } }",
        json!({}),
    )
    .await;
    let outcomes: Vec<(String, String)> = review["data"]["bankMovementsToReview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["movementId"].as_str().unwrap().to_owned(),
                m["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut outcomes = outcomes;
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            ("1003".to_owned(), "OVERPAID".to_owned()),
            ("1004".to_owned(), "UNKNOWN_SYMBOL".to_owned()),
            ("1005".to_owned(), "FOREIGN_CURRENCY".to_owned()),
            ("1006".to_owned(), "UNKNOWN_SYMBOL".to_owned()),
        ]
    );
    assert_eq!(ledger(&pool, "PAYMENT").await.0, 3);
    let confirmation: String =
        sqlx::query_scalar("SELECT payload->>'body' FROM outbox WHERE payload->>'subject' = $1")
            .bind(format!("Objednávka {full} přijata"))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        confirmation.contains(&format!("variabilní symbol: {full}")),
        "{confirmation}"
    );
    assert!(confirmation.contains("2001234567/2010"));
    let html: String =
        sqlx::query_scalar("SELECT payload->>'html' FROM outbox WHERE payload->>'subject' = $1")
            .bind(format!("Objednávka {full} přijata"))
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        html.contains("<table role=\"img\" aria-label=\"QR Platba\""),
        "the e-mail carries the QR code"
    );
    assert!(html.contains(&format!("variabilní symbol: {full}")));

    // Within 30 s the shop does not call again; the same movements read again book nothing.
    server::payments::service::poll_bank(&pool, &redis, &payments)
        .await
        .unwrap();
    assert_eq!(fio.state.calls.load(Ordering::SeqCst), 1);
    fio.state.enforce_wait.store(false, Ordering::SeqCst);
    let other_instance = test_redis(&pool, "redis://127.0.0.1:6379/1");
    server::payments::service::poll_bank(&pool, &other_instance, &payments)
        .await
        .unwrap();
    assert_eq!(fio.state.calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        ledger(&pool, "PAYMENT").await.0,
        3,
        "each movement counts once"
    );
    // The bank's 409 is a clear error, not a crash.
    fio.state.enforce_wait.store(true, Ordering::SeqCst);
    let third = test_redis(&pool, "redis://127.0.0.1:6379/2");
    let refused = server::payments::service::poll_bank(&pool, &third, &payments).await;
    assert!(refused.unwrap_err().contains("wait"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_second_payment_of_a_paid_order_goes_back(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let CardOrder {
        payu,
        app,
        number,
        total,
        auth,
    } = &card;
    let (number, total) = (number.clone(), *total);
    card.pay().await;
    // The shopper comes back much later and starts another payment; both get paid.
    sqlx::query("UPDATE payments SET updated_at = now() - interval '11 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    card.pay().await;
    for attempt in [1, 2] {
        let (body, signature) = card.payu_says(attempt, "COMPLETED");
        assert_eq!(notify(app, &body, &signature).await.status, StatusCode::OK);
    }
    assert_eq!(
        ledger(&pool, "PAYMENT").await,
        (2, 2 * total),
        "both payments are recorded"
    );
    assert_eq!(status(app, auth, &number).await["status"], "PAID");
    let refunds: Vec<String> = payu
        .books
        .lock()
        .unwrap()
        .refunds
        .values()
        .map(|(_, body, _)| body["refund"]["amount"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(refunds, [total.to_string()], "the second payment goes back");
}
