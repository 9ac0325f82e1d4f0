//! Carts through the API: pricing, stock checks, ownership, merging, expiry, persistence.

use crate::common;

use common::{app, app_with, data, graphql, graphql_with, test_redis};
use serde_json::json;
use sqlx::PgPool;

const CART_FIELDS: &str = "id totalQuantity subtotal { minorUnits } vatBreakdown { rate net { minorUnits } vat { minorUnits } gross { minorUnits } } lines { quantity unitPrice { minorUnits } total { minorUnits } variant { id sku } }";

fn create() -> String {
    format!(
        "mutation ($lines: [CartLineInput!]!) {{ cartCreate(input: {{ lines: $lines }}) {{ cart {{ {CART_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn change(mutation: &str) -> String {
    format!(
        "mutation ($cartId: ID!, $lines: [CartLineInput!]!) {{ {mutation}(input: {{ cartId: $cartId, lines: $lines }}) {{ cart {{ {CART_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

/// Variant ids with their stock, price and VAT rate (in stock first).
async fn variants(pool: &PgPool, in_stock: bool, count: i64) -> Vec<(String, i32, i64)> {
    let rows: Vec<(i64, i32, i64)> = sqlx::query_as(
        "SELECT id, stock_quantity, price_gross FROM product_variants WHERE (stock_quantity > 0) = $1 ORDER BY id LIMIT $2",
    )
    .bind(in_stock)
    .bind(count)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, stock, price)| {
            (
                server::ids::encode(server::ids::NodeType::ProductVariant, id).0,
                stock,
                price,
            )
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_fills_a_cart_priced_from_the_catalog(pool: PgPool) {
    let app = app(pool.clone()).await;
    let v = variants(&pool, true, 2).await;
    let created = data(
        &app,
        &create(),
        json!({ "lines": [{ "variantId": v[0].0, "quantity": 1 }] }),
    )
    .await["cartCreate"]
        .clone();
    let cart = &created["cart"];
    let id = cart["id"].as_str().unwrap().to_owned();
    assert_eq!(cart["lines"][0]["unitPrice"]["minorUnits"], v[0].2);

    let added = data(&app, &change("cartLinesAdd"), json!({ "cartId": id, "lines": [{ "variantId": v[0].0, "quantity": 1 }, { "variantId": v[1].0, "quantity": 1 }] })).await;
    let cart = &added["cartLinesAdd"]["cart"];
    assert_eq!(cart["totalQuantity"], 3);
    let subtotal = cart["subtotal"]["minorUnits"].as_i64().unwrap();
    assert_eq!(subtotal, v[0].2 * 2 + v[1].2);
    let breakdown = cart["vatBreakdown"].as_array().unwrap();
    let gross: i64 = breakdown
        .iter()
        .map(|l| l["gross"]["minorUnits"].as_i64().unwrap())
        .sum();
    assert_eq!(gross, subtotal, "the VAT lines add up to the subtotal");
    for line in breakdown {
        assert_eq!(
            line["net"]["minorUnits"].as_i64().unwrap()
                + line["vat"]["minorUnits"].as_i64().unwrap(),
            line["gross"]["minorUnits"].as_i64().unwrap()
        );
    }

    let set = data(
        &app,
        &change("cartLinesUpdate"),
        json!({ "cartId": id, "lines": [{ "variantId": v[0].0, "quantity": 1 }] }),
    )
    .await;
    assert_eq!(set["cartLinesUpdate"]["cart"]["totalQuantity"], 2);
    let remove = "mutation ($cartId: ID!, $ids: [ID!]!) { cartLinesRemove(input: { cartId: $cartId, variantIds: $ids }) { cart { totalQuantity } } }";
    let removed = data(&app, remove, json!({ "cartId": id, "ids": [v[1].0] })).await;
    assert_eq!(removed["cartLinesRemove"]["cart"]["totalQuantity"], 1);

    // The cart lives in PostgreSQL: another server instance sees it.
    let other = app_with(pool.clone(), test_redis(&pool, "redis://127.0.0.1:6379"));
    let seen = data(
        &other,
        "query ($id: ID!) { cart(id: $id) { totalQuantity } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(seen["cart"]["totalQuantity"], 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_lines_change_nothing(pool: PgPool) {
    let app = app(pool.clone()).await;
    let v = variants(&pool, true, 1).await;
    let sold_out = variants(&pool, false, 1).await;
    let created = data(
        &app,
        &create(),
        json!({ "lines": [{ "variantId": v[0].0, "quantity": 1 }] }),
    )
    .await;
    let id = created["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        (
            json!([{ "variantId": v[0].0, "quantity": 0 }]),
            "INVALID_QUANTITY",
        ),
        (
            json!([{ "variantId": v[0].0, "quantity": -3 }]),
            "INVALID_QUANTITY",
        ),
        (
            json!([{ "variantId": v[0].0, "quantity": v[0].1 }]),
            "INSUFFICIENT_STOCK",
        ),
        (
            json!([{ "variantId": sold_out[0].0, "quantity": 1 }]),
            "INSUFFICIENT_STOCK",
        ),
        (
            json!([{ "variantId": server::ids::encode(server::ids::NodeType::ProductVariant, 999_999).0, "quantity": 1 }]),
            "UNKNOWN_VARIANT",
        ),
    ];
    for (lines, code) in cases {
        let result = data(
            &app,
            &change("cartLinesAdd"),
            json!({ "cartId": id, "lines": lines }),
        )
        .await;
        assert_eq!(
            result["cartLinesAdd"]["userErrors"][0]["code"], code,
            "{lines}"
        );
        assert_eq!(
            result["cartLinesAdd"]["userErrors"][0]["field"],
            json!([
                "input",
                "lines",
                "0",
                if code == "UNKNOWN_VARIANT" {
                    "variantId"
                } else {
                    "quantity"
                }
            ])
        );
    }
    let cart = data(
        &app,
        "query ($id: ID!) { cart(id: $id) { totalQuantity } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(cart["cart"]["totalQuantity"], 1, "nothing changed");
    // A refused new cart is not created at all.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM carts")
        .fetch_one(&pool)
        .await
        .unwrap();
    data(
        &app,
        &create(),
        json!({ "lines": [{ "variantId": sold_out[0].0, "quantity": 1 }] }),
    )
    .await;
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM carts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after);
    // Malformed and unknown cart ids.
    assert_eq!(
        graphql(&app, "{ cart(id: \"xyz\") { id } }", json!({})).await["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    let unknown = server::ids::encode_uuid(server::ids::NodeType::Cart, uuid::Uuid::new_v4()).0;
    let response = graphql(
        &app,
        "query ($id: ID!) { cart(id: $id) { id } }",
        json!({ "id": unknown }),
    )
    .await;
    assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

async fn sign_in(app: &axum::Router, email: &str) -> String {
    let register = "mutation ($email: String!) { customerRegister(input: { email: $email, password: \"Zelená louka 2026\", firstName: \"A\", lastName: \"B\" }) { accepted } }";
    data(app, register, json!({ "email": email })).await;
    let login = "mutation ($email: String!) { customerLogin(input: { email: $email, password: \"Zelená louka 2026\" }) { accessToken } }";
    let token = data(app, login, json!({ "email": email })).await["customerLogin"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    format!("Bearer {token}")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_customers_cart_is_theirs_alone(pool: PgPool) {
    let app = app(pool.clone()).await;
    let v = variants(&pool, true, 1).await;
    let alice = sign_in(&app, "alice@example.cz").await;
    let bob = sign_in(&app, "bob@example.cz").await;
    let created = graphql_with(
        &app,
        &create(),
        json!({ "lines": [{ "variantId": v[0].0, "quantity": 1 }] }),
        &[("authorization", &alice)],
    )
    .await
    .json();
    let id = created["data"]["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let query = "query ($id: ID!) { cart(id: $id) { totalQuantity } }";
    for headers in [vec![("authorization", bob.as_str())], vec![]] {
        let response = graphql_with(&app, query, json!({ "id": id }), &headers)
            .await
            .json();
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{response}"
        );
        let response = graphql_with(
            &app,
            &change("cartLinesAdd"),
            json!({ "cartId": id, "lines": [{ "variantId": v[0].0, "quantity": 1 }] }),
            &headers,
        )
        .await
        .json();
        assert_eq!(response["errors"][0]["extensions"]["code"], "FORBIDDEN");
    }
    let own = graphql_with(
        &app,
        query,
        json!({ "id": id }),
        &[("authorization", &alice)],
    )
    .await
    .json();
    assert_eq!(
        own["data"]["cart"]["totalQuantity"], 1,
        "unchanged by the others"
    );
    // A customer has one cart: creating again returns it.
    let again = graphql_with(
        &app,
        &create(),
        json!({ "lines": [] }),
        &[("authorization", &alice)],
    )
    .await
    .json();
    assert_eq!(again["data"]["cartCreate"]["cart"]["id"], id);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_cart_merges_into_the_customers_cart_capped_by_stock(pool: PgPool) {
    let app = app(pool.clone()).await;
    let v = variants(&pool, true, 2).await;
    let customer = sign_in(&app, "merge@example.cz").await;
    // The customer already holds all but one unit of the first variant…
    let held = json!([{ "variantId": v[0].0, "quantity": v[0].1 - 1 }]);
    graphql_with(
        &app,
        &create(),
        json!({ "lines": held }),
        &[("authorization", &customer)],
    )
    .await;
    // …and as a guest put two more of it, and one of the second, in another cart.
    let guest = data(&app, &create(), json!({ "lines": [{ "variantId": v[0].0, "quantity": 2 }, { "variantId": v[1].0, "quantity": 1 }] })).await;
    let guest_id = guest["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let merge = "mutation ($id: ID!) { cartMergeGuest(input: { guestCartId: $id }) { cart { totalQuantity lines { quantity variant { id } } } adjustments { variantId requested applied } } }";
    let merged = graphql_with(
        &app,
        merge,
        json!({ "id": guest_id }),
        &[("authorization", &customer)],
    )
    .await
    .json();
    let payload = &merged["data"]["cartMergeGuest"];
    assert_eq!(
        payload["adjustments"],
        json!([{ "variantId": v[0].0, "requested": v[0].1 + 1, "applied": v[0].1 }])
    );
    assert_eq!(
        payload["cart"]["totalQuantity"].as_i64().unwrap(),
        i64::from(v[0].1) + 1
    );
    let response = graphql(
        &app,
        "query ($id: ID!) { cart(id: $id) { id } }",
        json!({ "id": guest_id }),
    )
    .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "the guest cart is gone"
    );
    assert_eq!(
        graphql(&app, merge, json!({ "id": guest_id })).await["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn abandoned_guest_carts_expire_after_30_days(pool: PgPool) {
    let app = app(pool.clone()).await;
    let v = variants(&pool, true, 1).await;
    let created = data(
        &app,
        &create(),
        json!({ "lines": [{ "variantId": v[0].0, "quantity": 1 }] }),
    )
    .await;
    let id = created["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    sqlx::query("UPDATE carts SET updated_at = now() - interval '31 days'")
        .execute(&pool)
        .await
        .unwrap();
    let response = graphql(
        &app,
        "query ($id: ID!) { cart(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(
        server::cart::store::delete_expired_guest_carts(&pool)
            .await
            .unwrap(),
        1
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM cart_lines")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn stock_lives_per_warehouse_and_the_catalog_mirrors_it(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let (variant, stock): (i64, i32) = sqlx::query_as("SELECT id, stock_quantity FROM product_variants WHERE stock_quantity > 2 ORDER BY id LIMIT 1").fetch_one(&pool).await.unwrap();
    let (on_hand, reserved): (i32, i32) =
        sqlx::query_as("SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1")
            .bind(variant)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((on_hand, reserved), (stock, 0));
    let receipts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM stock_movements WHERE variant_id = $1 AND kind = 'RECEIPT'",
    )
    .bind(variant)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(receipts, 1, "the initial stock is in the ledger");
    sqlx::query("UPDATE stock_levels SET reserved = 2 WHERE variant_id = $1")
        .bind(variant)
        .execute(&pool)
        .await
        .unwrap();
    let shown: i32 =
        sqlx::query_scalar("SELECT stock_quantity FROM product_variants WHERE id = $1")
            .bind(variant)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(shown, stock - 2, "reserved units are not for sale");
    let oversold =
        sqlx::query("UPDATE stock_levels SET reserved = on_hand + 1 WHERE variant_id = $1")
            .bind(variant)
            .execute(&pool)
            .await;
    assert!(
        oversold.is_err(),
        "the database refuses to reserve more than is on hand"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_adjust_stock_through_the_ledger(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (variant, stock): (i64, i32) = sqlx::query_as("SELECT id, stock_quantity FROM product_variants WHERE stock_quantity > 0 ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let variant_id = server::ids::encode(server::ids::NodeType::ProductVariant, variant).0;
    let adjust = "mutation ($id: ID!, $delta: Int!) { stockAdjust(input: { variantId: $id, delta: $delta, reason: \"inventura\" }) { stockLevel { onHand available } userErrors { code } } }";
    let customer = sign_in(&app, "zakaznik@example.cz").await;
    let refused = graphql_with(
        &app,
        adjust,
        json!({ "id": variant_id, "delta": 5 }),
        &[("authorization", &customer)],
    )
    .await
    .json();
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");

    server::accounts::service::ensure_admin(&pool, "sklad@example.cz", "Skladnické heslo 1")
        .await
        .unwrap();
    let login = "mutation { customerLogin(input: { email: \"sklad@example.cz\", password: \"Skladnické heslo 1\" }) { accessToken } }";
    let admin = format!(
        "Bearer {}",
        data(&app, login, json!({})).await["customerLogin"]["accessToken"]
            .as_str()
            .unwrap()
    );
    let done = graphql_with(
        &app,
        adjust,
        json!({ "id": variant_id, "delta": 5 }),
        &[("authorization", &admin)],
    )
    .await
    .json();
    assert_eq!(
        done["data"]["stockAdjust"]["stockLevel"]["onHand"],
        stock + 5
    );
    let too_much = graphql_with(
        &app,
        adjust,
        json!({ "id": variant_id, "delta": -(stock + 6) }),
        &[("authorization", &admin)],
    )
    .await
    .json();
    assert_eq!(
        too_much["data"]["stockAdjust"]["userErrors"][0]["code"],
        "INSUFFICIENT_STOCK"
    );
    let shown: i32 =
        sqlx::query_scalar("SELECT stock_quantity FROM product_variants WHERE id = $1")
            .bind(variant)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        shown,
        stock + 5,
        "the catalog shows the new stock; the refused change left nothing"
    );
    let ledger =
        "query ($id: ID!) { stockMovements(variantId: $id) { kind quantity reason actorId } }";
    let entries = graphql_with(
        &app,
        ledger,
        json!({ "id": variant_id }),
        &[("authorization", &admin)],
    )
    .await
    .json();
    let entries = entries["data"]["stockMovements"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        (
            entries[0]["kind"].as_str(),
            entries[0]["quantity"].as_i64(),
            entries[0]["reason"].as_str()
        ),
        (Some("ADJUSTMENT"), Some(5), Some("inventura"))
    );
    assert!(entries[0]["actorId"].is_string());
    assert_eq!(entries[1]["kind"], "RECEIPT");
}
