//! Checking out: totals with VAT, shipping and discounts, placing orders idempotently, and stock
//! that never oversells when buyers race.

// Amounts are written as crowns_haléř (`1_500_00` is 1 500 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use crate::common;

use axum::Router;
use common::{app, data, graphql_with};
use serde_json::{Value, json};
use sqlx::PgPool;

pub(crate) const CART: &str = "mutation ($lines: [CartLineInput!]!) { cartCreate(input: { lines: $lines }) { cart { id } userErrors { code } } }";
pub(crate) const UPDATE: &str = "mutation ($input: CheckoutUpdateInput!) { checkoutUpdate(input: $input) { checkout { subtotal { minorUnits } discount { minorUnits } shipping { minorUnits } paymentFee { minorUnits } total { minorUnits } discountProblem vatBreakdown { rate gross { minorUnits } } } userErrors { field code } } }";
pub(crate) const COMPLETE: &str = "mutation ($cartId: ID!, $key: String!) { checkoutComplete(input: { cartId: $cartId, idempotencyKey: $key }) { order { number status email total { minorUnits } lines { sku quantity productName } shippingAddress { city postalCode } timeline { toStatus } } userErrors { field code message } } }";

/// A guest cart with `quantity` of the variant with this global id: the cart's id.
pub(crate) async fn new_cart(app: &Router, variant: &str, quantity: i32) -> String {
    let created = data(
        app,
        CART,
        json!({ "lines": [{ "variantId": variant, "quantity": quantity }] }),
    )
    .await;
    created["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) fn address() -> Value {
    json!({ "firstName": "Jana", "lastName": "Nováková", "street": "Dlouhá 12", "city": "Praha", "postalCode": "110 00", "phone": "777 123 456" })
}

/// The first variant in stock, with exactly `stock` units: its id, global id and price.
pub(crate) async fn variant(pool: &PgPool, stock: i32) -> (i64, String, i64) {
    let (id, price): (i64, i64) = sqlx::query_as(
        "SELECT id, price_gross FROM product_variants WHERE stock_quantity > 0 ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE stock_levels SET on_hand = $2, reserved = 0 WHERE variant_id = $1")
        .bind(id)
        .bind(stock)
        .execute(pool)
        .await
        .unwrap();
    (
        id,
        server::ids::encode(server::ids::NodeType::ProductVariant, id).0,
        price,
    )
}

/// Units on hand and reserved of a variant.
pub(crate) async fn stock(pool: &PgPool, variant_id: i64) -> (i32, i32) {
    sqlx::query_as("SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1")
        .bind(variant_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A guest cart with `quantity` of `variant`, its checkout filled in for jana@example.cz.
pub(crate) async fn ready_cart(app: &Router, variant: &str, quantity: i32) -> String {
    ready_cart_for(app, variant, quantity, "jana@example.cz").await
}

/// A guest cart with `quantity` of `variant`, its checkout filled in for `email`.
pub(crate) async fn ready_cart_for(
    app: &Router,
    variant: &str,
    quantity: i32,
    email: &str,
) -> String {
    let id = new_cart(app, variant, quantity).await;
    let input = json!({ "cartId": id, "email": email, "shippingAddress": address(), "shippingMethod": "PPL", "paymentMethod": "BANK_TRANSFER" });
    let updated = data(app, UPDATE, json!({ "input": input })).await;
    assert_eq!(updated["checkoutUpdate"]["userErrors"], json!([]));
    id
}

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_checks_out_and_the_order_snapshots_everything(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (variant_id, variant, price) = variant(&pool, 5).await;
    let cart = new_cart(&app, &variant, 2).await;

    // Incomplete: every missing choice is named.
    let early = data(&app, COMPLETE, json!({ "cartId": cart, "key": "k-1" })).await;
    let missing: Vec<(&str, &str)> = early["checkoutComplete"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"][1].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        missing,
        [
            ("email", "MISSING"),
            ("shippingAddress", "MISSING"),
            ("shippingMethod", "MISSING"),
            ("paymentMethod", "MISSING")
        ]
    );

    let input = json!({ "cartId": cart, "email": "jana@example.cz", "shippingAddress": address(), "shippingMethod": "ZASILKOVNA", "paymentMethod": "CASH_ON_DELIVERY" });
    let checkout =
        data(&app, UPDATE, json!({ "input": input })).await["checkoutUpdate"]["checkout"].clone();
    let subtotal = price * 2;
    let shipping = if subtotal >= 1_500_00 { 0 } else { 79_00 };
    assert_eq!(checkout["subtotal"]["minorUnits"], subtotal);
    assert_eq!(checkout["shipping"]["minorUnits"], shipping);
    assert_eq!(checkout["paymentFee"]["minorUnits"], 39_00);
    let total = checkout["total"]["minorUnits"].as_i64().unwrap();
    assert_eq!(total, subtotal + shipping + 39_00);
    let vat_gross: i64 = checkout["vatBreakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["gross"]["minorUnits"].as_i64().unwrap())
        .sum();
    assert_eq!(vat_gross, total);
    let no_point = data(&app, COMPLETE, json!({ "cartId": cart, "key": "k-1" })).await;
    assert_eq!(
        no_point["checkoutComplete"]["userErrors"][0]["field"][1],
        "pickupPointId"
    );
    // Only an existing, open pickup point is accepted (the demo catalog's start at 10000).
    let unknown = data(
        &app,
        UPDATE,
        json!({ "input": { "cartId": cart, "pickupPointId": "Praha" } }),
    )
    .await;
    assert_eq!(
        unknown["checkoutUpdate"]["userErrors"][0]["field"][1],
        "pickupPointId"
    );
    data(
        &app,
        UPDATE,
        json!({ "input": { "cartId": cart, "pickupPointId": "10000" } }),
    )
    .await;

    let placed =
        data(&app, COMPLETE, json!({ "cartId": cart, "key": "k-1" })).await["checkoutComplete"]
            .clone();
    let order = &placed["order"];
    let number = order["number"].as_str().unwrap().to_owned();
    assert_eq!(number.len(), 10);
    assert!(number.starts_with(&chrono::Utc::now().format("%Y").to_string()));
    // Cash on delivery: nothing to wait for, the order goes to the warehouse (and the job that
    // cancels unpaid orders leaves it alone).
    assert_eq!(order["status"], "PROCESSING");
    let due: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT payment_due_at FROM orders WHERE number = $1")
            .bind(&number)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(due, None);
    assert_eq!(order["total"]["minorUnits"], total);
    assert_eq!(order["lines"][0]["quantity"], 2);
    let (sku, name): (String, String) = sqlx::query_as(
        "SELECT v.sku, p.name FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.id = $1",
    )
    .bind(variant_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(order["lines"][0]["sku"], sku);
    assert_eq!(order["lines"][0]["productName"], name);
    assert_eq!(order["shippingAddress"]["city"], "Praha");
    assert_eq!(order["timeline"], json!([{ "toStatus": "PROCESSING" }]));

    let (on_hand, reserved) = stock(&pool, variant_id).await;
    assert_eq!((on_hand, reserved), (5, 2));
    let shown: i32 =
        sqlx::query_scalar("SELECT stock_quantity FROM product_variants WHERE id = $1")
            .bind(variant_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(shown, 3);
    let movements: i64 = sqlx::query_scalar("SELECT count(*) FROM stock_movements WHERE variant_id = $1 AND kind = 'RESERVATION' AND order_id IS NOT NULL").bind(variant_id).fetch_one(&pool).await.unwrap();
    assert_eq!(movements, 1);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM cart_lines")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the cart is emptied");
    let emptied = data(&app, COMPLETE, json!({ "cartId": cart, "key": "k-2" })).await;
    assert_eq!(
        emptied["checkoutComplete"]["userErrors"][0],
        json!({ "field": ["input", "cartId"], "code": "EMPTY_CART", "message": "Košík je prázdný." })
    );
    let mails: Vec<String> = sqlx::query_scalar("SELECT payload->>'subject' FROM outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(mails.iter().any(|s| s.contains(&number)), "{mails:?}");

    // Retrying with the same key returns the same order; the key with another cart is refused.
    let again = data(&app, COMPLETE, json!({ "cartId": cart, "key": "k-1" })).await;
    assert_eq!(again["checkoutComplete"]["order"]["number"], number);
    let other = ready_cart(&app, &variant, 1).await;
    let reused = data(&app, COMPLETE, json!({ "cartId": other, "key": "k-1" })).await;
    assert_eq!(
        reused["checkoutComplete"]["userErrors"][0]["code"],
        "IDEMPOTENCY_KEY_REUSED"
    );
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(orders, 1);

    // Guest lookup needs the e-mail.
    let lookup =
        "query ($n: String!, $e: String!) { orderLookup(number: $n, email: $e) { number } }";
    assert_eq!(
        data(&app, lookup, json!({ "n": number, "e": "Jana@Example.cz" })).await["orderLookup"]["number"],
        number
    );
    let wrong = common::graphql(&app, lookup, json!({ "n": number, "e": "jiny@example.cz" })).await;
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let anonymous = common::graphql(
        &app,
        "query ($n: String!) { order(number: $n) { number } }",
        json!({ "n": number }),
    )
    .await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[sqlx::test(migrations = "../migrations")]
async fn discount_codes_follow_their_rules(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, variant, price) = variant(&pool, 50).await;
    sqlx::query(
        "INSERT INTO discount_codes (code, kind, value, min_order, starts_at, ends_at, usage_limit, per_customer_limit, used_count) VALUES \
         ('SLEVA10', 'PERCENT', 10, 0, NULL, NULL, NULL, 1, 0), \
         ('VELKY', 'FIXED', 10000, 100000000, NULL, NULL, NULL, NULL, 0), \
         ('STARY', 'PERCENT', 20, 0, NULL, now() - interval '1 day', NULL, NULL, 0), \
         ('DOSLO', 'FIXED', 5000, 0, NULL, NULL, 1, NULL, 1)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let cart = ready_cart(&app, &variant, 2).await;
    let apply = |code: &str| json!({ "input": { "cartId": cart, "discountCode": code } });
    let unknown = data(&app, UPDATE, apply("NENI")).await;
    assert_eq!(
        unknown["checkoutUpdate"]["userErrors"][0]["code"],
        "INVALID_DISCOUNT_CODE"
    );
    for (code, problem) in [
        ("VELKY", "vyšší nákup"),
        ("STARY", "neplatí"),
        ("DOSLO", "vyčerpaný"),
    ] {
        let result = data(&app, UPDATE, apply(code)).await["checkoutUpdate"]["checkout"].clone();
        assert_eq!(result["discount"]["minorUnits"], 0, "{code}");
        assert!(
            result["discountProblem"]
                .as_str()
                .unwrap()
                .contains(problem),
            "{code}: {result}"
        );
    }
    let placed_with_exhausted = data(&app, COMPLETE, json!({ "cartId": cart, "key": "d-0" })).await;
    assert_eq!(
        placed_with_exhausted["checkoutComplete"]["userErrors"][0]["code"],
        "DISCOUNT_NOT_APPLICABLE"
    );

    let good = data(&app, UPDATE, apply("sleva10")).await["checkoutUpdate"]["checkout"].clone();
    assert_eq!(
        good["discount"]["minorUnits"],
        (price * 2 * 10 + 50) / 100,
        "codes are case-insensitive"
    );
    let placed = data(&app, COMPLETE, json!({ "cartId": cart, "key": "d-1" })).await;
    assert!(
        placed["checkoutComplete"]["order"]["number"].is_string(),
        "{placed}"
    );
    // Once per customer (by mailbox for guests: a `+tag` or capitals make no new customer).
    let second = ready_cart_for(&app, &variant, 1, "Jana+znovu@Example.cz").await;
    data(
        &app,
        UPDATE,
        json!({ "input": { "cartId": second, "discountCode": "SLEVA10" } }),
    )
    .await;
    let refused = data(&app, COMPLETE, json!({ "cartId": second, "key": "d-2" })).await;
    assert_eq!(
        refused["checkoutComplete"]["userErrors"][0]["code"],
        "DISCOUNT_NOT_APPLICABLE"
    );
    let used: i32 =
        sqlx::query_scalar("SELECT used_count FROM discount_codes WHERE code = 'SLEVA10'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(used, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_buyers_race_for_the_last_ten_units(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (variant_id, variant, _) = variant(&pool, 10).await;
    let mut carts = Vec::new();
    for i in 0..50 {
        let email = format!("kupujici{i}@example.cz");
        carts.push(ready_cart_for(&app, &variant, 1, &email).await);
    }
    // Fifty shoppers, each from an address of their own (one address may place only a few
    // guest orders an hour).
    let buyers = carts.into_iter().enumerate().map(|(i, cart)| {
        let app = app.clone();
        tokio::spawn(async move {
            let key = format!("race-{i}");
            let ip = format!("198.51.100.{i}");
            let headers = [("x-forwarded-for", ip.as_str())];
            graphql_with(
                &app,
                COMPLETE,
                json!({ "cartId": cart, "key": key }),
                &headers,
            )
            .await
            .json()
        })
    });
    let results: Vec<Value> = futures_util::future::join_all(buyers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let placed = results
        .iter()
        .filter(|r| r["data"]["checkoutComplete"]["order"]["number"].is_string())
        .count();
    let refused = results
        .iter()
        .filter(|r| r["data"]["checkoutComplete"]["userErrors"][0]["code"] == "OUT_OF_STOCK")
        .count();
    assert_eq!(
        (placed, refused),
        (10, 40),
        "{:?}",
        results.iter().find(|r| r.get("errors").is_some())
    );
    let (on_hand, reserved) = stock(&pool, variant_id).await;
    assert_eq!((on_hand, reserved), (10, 10));
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM orders ORDER BY number")
        .fetch_all(&pool)
        .await
        .unwrap();
    let sequence: Vec<i64> = numbers.iter().map(|n| n[4..].parse().unwrap()).collect();
    assert_eq!(
        sequence,
        (1..=10).collect::<Vec<i64>>(),
        "sequential, no gaps from the refused ones"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn two_retries_with_one_key_at_once_get_the_same_order(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, variant, _) = variant(&pool, 10).await;
    for round in 0..3 {
        let cart = ready_cart(&app, &variant, 1).await;
        let key = format!("double-click-{round}");
        let retries = (0..2).map(|_| {
            let (app, cart, key) = (app.clone(), cart.clone(), key.clone());
            tokio::spawn(async move {
                graphql_with(&app, COMPLETE, json!({ "cartId": cart, "key": key }), &[])
                    .await
                    .json()
            })
        });
        let answers: Vec<Value> = futures_util::future::join_all(retries)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let numbers: Vec<&Value> = answers
            .iter()
            .map(|a| &a["data"]["checkoutComplete"]["order"]["number"])
            .collect();
        assert!(numbers[0].is_string(), "{answers:?}");
        assert_eq!(numbers[0], numbers[1], "{answers:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_replay_needs_the_cart_too(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, variant, _) = variant(&pool, 10).await;
    let register = "mutation ($e: String!) { customerRegister(input: { email: $e, password: \"Zelená louka 2026\", firstName: \"A\", lastName: \"B\" }) { accepted } }";
    let login = "mutation ($e: String!) { customerLogin(input: { email: $e, password: \"Zelená louka 2026\" }) { accessToken } }";
    let mut bearers = Vec::new();
    for email in ["prvni@example.cz", "druhy@example.cz"] {
        data(&app, register, json!({ "e": email })).await;
        let token = data(&app, login, json!({ "e": email })).await["customerLogin"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        bearers.push(format!("Bearer {token}"));
    }
    let as_first = [("authorization", bearers[0].as_str())];
    let cart = graphql_with(
        &app,
        CART,
        json!({ "lines": [{ "variantId": variant, "quantity": 1 }] }),
        &as_first,
    )
    .await
    .json();
    let cart = cart["data"]["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let input = json!({ "cartId": cart, "email": "prvni@example.cz", "shippingAddress": address(), "shippingMethod": "PPL", "paymentMethod": "BANK_TRANSFER" });
    graphql_with(&app, UPDATE, json!({ "input": input }), &as_first).await;
    let placed = graphql_with(
        &app,
        COMPLETE,
        json!({ "cartId": cart, "key": "k" }),
        &as_first,
    )
    .await
    .json();
    assert!(
        placed["data"]["checkoutComplete"]["order"]["number"].is_string(),
        "{placed}"
    );
    // Someone else with the cart's id and the key learns nothing.
    let as_second = [("authorization", bearers[1].as_str())];
    let replay = graphql_with(
        &app,
        COMPLETE,
        json!({ "cartId": cart, "key": "k" }),
        &as_second,
    )
    .await
    .json();
    assert!(replay["data"]["checkoutComplete"].is_null(), "{replay}");
    assert_eq!(replay["errors"][0]["extensions"]["code"], "FORBIDDEN");
}
