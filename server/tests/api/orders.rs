//! Orders after checkout: the status machine, stock settlement, optimistic locking, access,
//! reservation expiry, admin lists.

use crate::common;

use axum::Router;
use common::{app, data, graphql_with};
use serde_json::{Value, json};
use server::orders::status::OrderStatus;
use sqlx::PgPool;

const PASSWORD: &str = "Zelená louka 2026";
const ORDER: &str = "query ($n: String!) { order(number: $n) { number status version trackingNumber timeline { fromStatus toStatus note } } }";
const STATUS: &str = "mutation ($n: String!, $s: OrderStatus!, $v: Int!) { orderStatusUpdate(input: { number: $n, status: $s, expectedVersion: $v }) { order { status version } userErrors { code } } }";

pub(crate) async fn bearer(app: &Router, email: &str) -> String {
    let register = "mutation ($e: String!) { customerRegister(input: { email: $e, password: \"Zelená louka 2026\", firstName: \"A\", lastName: \"B\" }) { accepted } }";
    data(app, register, json!({ "e": email })).await;
    let login = "mutation ($e: String!, $p: String!) { customerLogin(input: { email: $e, password: $p }) { accessToken } }";
    let token = data(app, login, json!({ "e": email, "p": PASSWORD })).await["customerLogin"]["accessToken"].as_str().unwrap().to_owned();
    format!("Bearer {token}")
}

pub(crate) async fn admin(app: &Router, pool: &PgPool) -> String {
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

pub(crate) async fn call(app: &Router, auth: &str, query: &str, variables: Value) -> Value {
    graphql_with(app, query, variables, &[("authorization", auth)])
        .await
        .json()
}

/// Places an order of 2 units of a variant with 5 in stock; returns (variant id, order number).
pub(crate) async fn place(app: &Router, pool: &PgPool, auth: &str) -> (i64, String) {
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
    let address = json!({ "firstName": "A", "lastName": "B", "street": "Dlouhá 1", "city": "Brno", "postalCode": "602 00", "phone": "+420 602 111 222" });
    let update =
        "mutation ($i: CheckoutUpdateInput!) { checkoutUpdate(input: $i) { userErrors { code } } }";
    let input = json!({ "cartId": cart_id, "email": "a@example.cz", "shippingAddress": address, "shippingMethod": "PPL", "paymentMethod": "BANK_TRANSFER" });
    call(app, auth, update, json!({ "i": input })).await;
    // A customer keeps one cart: every order needs a key of its own.
    let complete = "mutation ($c: ID!, $k: String!) { checkoutComplete(input: { cartId: $c, idempotencyKey: $k }) { order { number } userErrors { code } } }";
    let key = uuid::Uuid::new_v4().to_string();
    let placed = call(app, auth, complete, json!({ "c": cart_id, "k": key })).await;
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
        "{ orders(filter: { status: SHIPPED }) { nodes { number version } } }",
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
        "{ orders(filter: { status: PAID }) { nodes { number } } }",
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

/// Units an order still holds reserved, by its ledger.
async fn outstanding(pool: &PgPool, number: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT coalesce(sum(CASE kind WHEN 'RESERVATION' THEN quantity ELSE -quantity END), 0)::bigint \
           FROM stock_movements m JOIN orders o ON o.id = m.order_id \
          WHERE o.number = $1 AND kind IN ('RESERVATION', 'RELEASE', 'SALE')",
    )
    .bind(number)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Every path through the status machine from a new order to an end.
fn paths_from(status: OrderStatus) -> Vec<Vec<&'static str>> {
    let next: Vec<OrderStatus> = OrderStatus::ALL
        .into_iter()
        .filter(|to| status.can_move_to(*to))
        .collect();
    if next.is_empty() {
        return vec![vec![]];
    }
    next.into_iter()
        .flat_map(|to| {
            paths_from(to).into_iter().map(move |mut rest| {
                rest.insert(0, to.as_str());
                rest
            })
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_way_an_order_ends_leaves_no_reservation_behind(pool: PgPool) {
    let app = app(pool.clone()).await;
    let customer = bearer(&app, "kupujici@example.cz").await;
    let admin = admin(&app, &pool).await;
    let paths = paths_from(OrderStatus::PendingPayment);
    assert!(paths.len() >= 9, "{paths:?}");
    for path in paths {
        let (variant, number) = place(&app, &pool, &customer).await;
        for (step, status) in path.iter().enumerate() {
            let version = step as i32 + 1;
            let moved = call(
                &app,
                &admin,
                STATUS,
                json!({ "n": number, "s": status, "v": version }),
            )
            .await;
            assert_eq!(
                moved["data"]["orderStatusUpdate"]["order"]["status"], *status,
                "{path:?}: {moved}"
            );
        }
        assert_eq!(outstanding(&pool, &number).await, 0, "{path:?} holds stock");
        let (on_hand, reserved) = stock(&pool, variant).await;
        assert_eq!(reserved, 0, "{path:?}");
        let shipped = path.contains(&"SHIPPED");
        assert_eq!(on_hand, if shipped { 3 } else { 5 }, "{path:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_find_guest_orders_and_cancel_them_in_bulk(pool: PgPool) {
    use crate::checkout::{COMPLETE, ready_cart_for, stock as units, variant};
    let app = app(pool.clone()).await;
    let admin = admin(&app, &pool).await;
    let (variant_id, variant, _) = variant(&pool, 10).await;
    let mut numbers = Vec::new();
    for i in 0..2 {
        let cart = ready_cart_for(&app, &variant, 2, &format!("host{i}@example.cz")).await;
        let placed = data(&app, COMPLETE, json!({ "cartId": cart, "key": cart })).await;
        numbers.push(
            placed["checkoutComplete"]["order"]["number"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // A registered customer's order is not a guest order.
    let customer = bearer(&app, "kupujici@example.cz").await;
    let (_, own) = place(&app, &pool, &customer).await;
    sqlx::query("UPDATE stock_levels SET on_hand = 10, reserved = 4 WHERE variant_id = $1")
        .bind(variant_id)
        .execute(&pool)
        .await
        .unwrap();

    let list = "{ orders(filter: { guest: true }, first: 10) { nodes { number } } }";
    let listed = call(&app, &admin, list, json!({})).await;
    let listed: Vec<&str> = listed["data"]["orders"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["number"].as_str())
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(!listed.contains(&own.as_str()));

    let cancel = "mutation ($n: [String!]!) { ordersCancel(input: { numbers: $n, note: \"Nepotvrzeno\" }) { cancelled { number status } userErrors { field code } } }";
    let mut to_cancel = numbers.clone();
    to_cancel.push("2000999999".into());
    let done = call(&app, &admin, cancel, json!({ "n": to_cancel })).await;
    let payload = &done["data"]["ordersCancel"];
    assert_eq!(payload["cancelled"].as_array().unwrap().len(), 2, "{done}");
    assert_eq!(payload["cancelled"][0]["status"], "CANCELLED");
    assert_eq!(payload["userErrors"][0]["code"], "NOT_FOUND");
    assert_eq!(
        payload["userErrors"][0]["field"],
        json!(["input", "numbers", "2"])
    );
    assert_eq!(
        units(&pool, variant_id).await,
        (10, 0),
        "their stock is free again"
    );
    // Customers cannot.
    let refused = call(&app, &customer, cancel, json!({ "n": numbers })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

#[sqlx::test(migrations = "../migrations")]
async fn order_lookup_shows_guest_orders_as_a_label_would(pool: PgPool) {
    use crate::checkout::{COMPLETE, ready_cart, variant};
    let app = app(pool.clone()).await;
    let (_, variant, _) = variant(&pool, 10).await;
    let cart = ready_cart(&app, &variant, 1).await;
    let placed = data(&app, COMPLETE, json!({ "cartId": cart, "key": cart })).await;
    let guest_order = placed["checkoutComplete"]["order"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let lookup = "query ($n: String!, $e: String!) { orderLookup(number: $n, email: $e) { number status shippingMethodName trackingNumber } }";
    let found = data(
        &app,
        lookup,
        json!({ "n": guest_order, "e": "jana@example.cz" }),
    )
    .await;
    assert_eq!(found["orderLookup"]["status"], "PENDING_PAYMENT");
    // Nothing beyond the label: no address, no items, no e-mail.
    let nosy = "query ($n: String!) { orderLookup(number: $n, email: \"jana@example.cz\") { shippingAddress { street } } }";
    let refused = common::graphql(&app, nosy, json!({ "n": guest_order })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // A registered customer's order is theirs to see, signed in.
    let customer = bearer(&app, "kupujici@example.cz").await;
    let (_, own) = place(&app, &pool, &customer).await;
    let hidden = common::graphql(&app, lookup, json!({ "n": own, "e": "a@example.cz" })).await;
    assert_eq!(
        hidden["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{hidden}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_and_the_code_know_the_same_statuses(pool: PgPool) {
    let constraint: String = sqlx::query_scalar(
        "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c \
          WHERE c.conrelid = 'orders'::regclass AND c.contype = 'c' \
            AND pg_get_constraintdef(c.oid) LIKE '%status%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut in_database: Vec<&str> = constraint.split('\'').skip(1).step_by(2).collect();
    let mut in_code: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    in_database.sort_unstable();
    in_code.sort_unstable();
    assert_eq!(in_database, in_code, "{constraint}");
}
