//! Orders after checkout: the status machine, stock settlement, optimistic locking, access,
//! reservation expiry, admin lists.

use crate::common;

use axum::Router;
use common::{app, data, graphql_with};
use serde_json::{Value, json};
use sqlx::PgPool;

const PASSWORD: &str = "Zelená louka 2026";
const ORDER: &str = "query ($n: String!) { order(number: $n) { number status version trackingNumber timeline { fromStatus toStatus note } } }";
const STATUS: &str = "mutation ($n: String!, $s: String!, $v: Int!) { orderStatusUpdate(input: { number: $n, status: $s, expectedVersion: $v }) { order { status version } userErrors { code } } }";

async fn bearer(app: &Router, email: &str) -> String {
    let register = "mutation ($e: String!) { customerRegister(input: { email: $e, password: \"Zelená louka 2026\", firstName: \"A\", lastName: \"B\" }) { accepted } }";
    data(app, register, json!({ "e": email })).await;
    let login = "mutation ($e: String!, $p: String!) { customerLogin(input: { email: $e, password: $p }) { accessToken } }";
    let token = data(app, login, json!({ "e": email, "p": PASSWORD })).await["customerLogin"]["accessToken"].as_str().unwrap().to_owned();
    format!("Bearer {token}")
}

async fn admin(app: &Router, pool: &PgPool) -> String {
    server::accounts::service::ensure_admin(pool, "spravce@example.cz", PASSWORD)
        .await
        .unwrap();
    let login = "mutation { customerLogin(input: { email: \"spravce@example.cz\", password: \"Zelená louka 2026\" }) { accessToken } }";
    format!(
        "Bearer {}",
        data(app, login, json!({})).await["customerLogin"]["accessToken"]
            .as_str()
            .unwrap()
    )
}

async fn call(app: &Router, auth: &str, query: &str, variables: Value) -> Value {
    graphql_with(app, query, variables, &[("authorization", auth)])
        .await
        .json()
}

/// Places an order of 2 units of a variant with 5 in stock; returns (variant id, order number).
async fn place(app: &Router, pool: &PgPool, auth: &str) -> (i64, String) {
    let (variant,): (i64,) = sqlx::query_as(
        "SELECT id FROM product_variants WHERE stock_quantity > 0 ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE stock_levels SET on_hand = 5, reserved = 0 WHERE variant_id = $1")
        .bind(variant)
        .execute(pool)
        .await
        .unwrap();
    let id = server::ids::encode(server::ids::NodeType::ProductVariant, variant).0;
    let cart = call(app, auth, "mutation ($v: ID!) { cartCreate(input: { lines: [{ variantId: $v, quantity: 2 }] }) { cart { id } } }", json!({ "v": id })).await;
    let cart_id = cart["data"]["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let address = json!({ "firstName": "A", "lastName": "B", "street": "Dlouhá 1", "city": "Brno", "postalCode": "602 00" });
    let update =
        "mutation ($i: CheckoutUpdateInput!) { checkoutUpdate(input: $i) { userErrors { code } } }";
    let input = json!({ "cartId": cart_id, "email": "a@example.cz", "shippingAddress": address, "shippingMethod": "PPL", "paymentMethod": "BANK_TRANSFER" });
    call(app, auth, update, json!({ "i": input })).await;
    let complete = "mutation ($c: ID!) { checkoutComplete(input: { cartId: $c, idempotencyKey: \"once\" }) { order { number } userErrors { code } } }";
    let placed = call(app, auth, complete, json!({ "c": cart_id })).await;
    (
        variant,
        placed["data"]["checkoutComplete"]["order"]["number"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

async fn stock(pool: &PgPool, variant: i64) -> (i32, i32) {
    sqlx::query_as("SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1")
        .bind(variant)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_customer_sees_and_cancels_their_order_and_the_stock_comes_back(pool: PgPool) {
    let app = app(pool.clone()).await;
    let customer = bearer(&app, "kupujici@example.cz").await;
    let (variant, number) = place(&app, &pool, &customer).await;
    assert_eq!(stock(&pool, variant).await, (5, 2));
    let mine = call(
        &app,
        &customer,
        "{ me { orders(first: 10) { nodes { number status } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        mine["data"]["me"]["orders"]["nodes"],
        json!([{ "number": number, "status": "PENDING_PAYMENT" }])
    );

    let stranger = bearer(&app, "cizi@example.cz").await;
    assert_eq!(
        call(&app, &stranger, ORDER, json!({ "n": number })).await["errors"][0]["extensions"]["code"],
        "NOT_FOUND"
    );
    let cancel = "mutation ($n: String!) { orderCancel(number: $n) { order { status } userErrors { code } } }";
    assert_eq!(
        call(&app, &stranger, cancel, json!({ "n": number })).await["errors"][0]["extensions"]["code"],
        "NOT_FOUND"
    );

    let cancelled = call(&app, &customer, cancel, json!({ "n": number })).await;
    assert_eq!(
        cancelled["data"]["orderCancel"]["order"]["status"],
        "CANCELLED"
    );
    assert_eq!(
        stock(&pool, variant).await,
        (5, 0),
        "the reservation is released"
    );
    let again = call(&app, &customer, cancel, json!({ "n": number })).await;
    assert_eq!(
        again["data"]["orderCancel"]["userErrors"][0]["code"],
        "INVALID_TRANSITION"
    );
    let order = call(&app, &customer, ORDER, json!({ "n": number })).await;
    let timeline = &order["data"]["order"]["timeline"];
    assert_eq!(timeline[1]["fromStatus"], "PENDING_PAYMENT");
    assert_eq!(timeline[1]["toStatus"], "CANCELLED");
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM stock_movements WHERE variant_id = $1 ORDER BY id")
            .bind(variant)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(&kinds[kinds.len() - 2..], ["RESERVATION", "RELEASE"]);
    let subjects: Vec<String> = sqlx::query_scalar("SELECT payload->>'subject' FROM outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(
        subjects.iter().any(|s| s.contains("zrušena")),
        "{subjects:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_move_orders_forward_with_optimistic_locking(pool: PgPool) {
    let app = app(pool.clone()).await;
    let customer = bearer(&app, "kupujici@example.cz").await;
    let admin = admin(&app, &pool).await;
    let (variant, number) = place(&app, &pool, &customer).await;
    let refused = call(
        &app,
        &customer,
        STATUS,
        json!({ "n": number, "s": "PAID", "v": 1 }),
    )
    .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let paid = call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "PAID", "v": 1 }),
    )
    .await;
    assert_eq!(paid["data"]["orderStatusUpdate"]["order"]["version"], 2);
    // A second admin still looking at version 1 cannot overwrite the change silently.
    let stale = call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "CANCELLED", "v": 1 }),
    )
    .await;
    assert_eq!(
        stale["data"]["orderStatusUpdate"]["userErrors"][0]["code"],
        "CONFLICT"
    );
    let skipped = call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "DELIVERED", "v": 2 }),
    )
    .await;
    assert_eq!(
        skipped["data"]["orderStatusUpdate"]["userErrors"][0]["code"],
        "INVALID_TRANSITION"
    );
    call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "PROCESSING", "v": 2 }),
    )
    .await;
    let tracking = "mutation ($n: String!) { orderTrackingUpdate(input: { number: $n, carrier: \"PPL\", trackingNumber: \"PPL123\", expectedVersion: 3 }) { order { version trackingNumber } } }";
    let tracked = call(&app, &admin, tracking, json!({ "n": number })).await;
    assert_eq!(
        tracked["data"]["orderTrackingUpdate"]["order"]["trackingNumber"],
        "PPL123"
    );
    let shipped = call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "SHIPPED", "v": 4 }),
    )
    .await;
    assert_eq!(
        shipped["data"]["orderStatusUpdate"]["order"]["status"],
        "SHIPPED"
    );
    assert_eq!(
        stock(&pool, variant).await,
        (3, 0),
        "shipped units leave the warehouse"
    );
    let late_cancel = call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "CANCELLED", "v": 5 }),
    )
    .await;
    assert_eq!(
        late_cancel["data"]["orderStatusUpdate"]["userErrors"][0]["code"],
        "INVALID_TRANSITION"
    );
    let bad = call(
        &app,
        &admin,
        STATUS,
        json!({ "n": number, "s": "LOST", "v": 5 }),
    )
    .await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    let note = "mutation ($n: String!) { orderNoteAdd(input: { number: $n, note: \"Zákazník volal\" }) { order { internalNotes } } }";
    let noted = call(&app, &admin, note, json!({ "n": number })).await;
    assert!(
        noted["data"]["orderNoteAdd"]["order"]["internalNotes"][0]
            .as_str()
            .unwrap()
            .ends_with("Zákazník volal")
    );
    let hidden = call(
        &app,
        &customer,
        "query ($n: String!) { order(number: $n) { internalNotes } }",
        json!({ "n": number }),
    )
    .await;
    assert_eq!(hidden["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let list = call(
        &app,
        &admin,
        "{ orders(filter: { status: \"SHIPPED\" }) { nodes { number version } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        list["data"]["orders"]["nodes"],
        json!([{ "number": number, "version": 5 }])
    );
    let empty = call(
        &app,
        &admin,
        "{ orders(filter: { status: \"PAID\" }) { nodes { number } } }",
        json!({}),
    )
    .await;
    assert_eq!(empty["data"]["orders"]["nodes"], json!([]));
    assert_eq!(
        call(
            &app,
            &customer,
            "{ orders { nodes { number } } }",
            json!({})
        )
        .await["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    let subjects: Vec<String> = sqlx::query_scalar("SELECT payload->>'body' FROM outbox")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(
        subjects.iter().any(|s| s.contains("PPL123")),
        "the shipping e-mail carries the tracking link"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unpaid_orders_are_cancelled_when_the_payment_window_closes(pool: PgPool) {
    let app = app(pool.clone()).await;
    let customer = bearer(&app, "pomaly@example.cz").await;
    let (variant, number) = place(&app, &pool, &customer).await;
    assert_eq!(
        server::orders::service::cancel_overdue(&pool)
            .await
            .unwrap()
            .len(),
        0,
        "not yet due"
    );
    sqlx::query("UPDATE orders SET payment_due_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        server::orders::service::cancel_overdue(&pool)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(stock(&pool, variant).await, (5, 0));
    let order = call(&app, &customer, ORDER, json!({ "n": number })).await;
    assert_eq!(order["data"]["order"]["status"], "CANCELLED");
    assert_eq!(
        order["data"]["order"]["timeline"][1]["note"],
        "Nezaplaceno v termínu"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn guessing_guest_orders_is_rate_limited(pool: PgPool) {
    let app = app(pool.clone()).await;
    let lookup =
        "query ($n: String!) { orderLookup(number: $n, email: \"nekdo@example.cz\") { number } }";
    let mut codes = Vec::new();
    for attempt in 0..21 {
        let number = format!("2026{attempt:06}");
        let reply = graphql_with(
            &app,
            lookup,
            json!({ "n": number }),
            &[("x-forwarded-for", "198.51.100.9")],
        )
        .await
        .json();
        codes.push(
            reply["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert!(codes[..20].iter().all(|c| c == "NOT_FOUND"));
    assert_eq!(codes[20], "RATE_LIMITED");
}
