//! Hlídací pes: guests confirm by a link, customers' watches run at once; the job sends each
//! notice once when the price drops or the stock returns; links cancel, also in one click.

// Amounts are written as crowns_haléř (`100_00` is 100 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::checkout::variant;
use crate::common::{app, data, graphql, send};
use crate::orders::{bearer, call};
use crate::security::SHOP_ORIGIN;

const CREATE: &str = "mutation ($input: WatchCreateInput!) { watchCreate(input: $input) { watch { id kind confirmed email priceBelow { minorUnits } } userErrors { field code message } } }";
const MINE: &str = "{ myWatches { id kind confirmed variant { sku } } }";

/// The e-mails in the outbox, oldest first.
async fn mails(pool: &PgPool) -> Vec<Value> {
    sqlx::query_scalar("SELECT payload FROM outbox ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The secret of the link `path?klic=` in the newest e-mail.
async fn token(pool: &PgPool, path: &str) -> String {
    let mail = mails(pool).await.pop().unwrap();
    let body = mail["body"].as_str().unwrap();
    let start = body.find(&format!("{path}?klic=")).expect("the link") + path.len() + 6;
    body[start..].split_whitespace().next().unwrap().to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn watches_confirm_fire_once_and_cancel(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (variant_id, variant, price) = variant(&pool, 4).await;
    let guest = |input: Value| {
        let app = app.clone();
        async move { data(&app, CREATE, json!({ "input": input })).await["watchCreate"].clone() }
    };

    // Bad requests are refused with the field to fix.
    let no_price =
        guest(json!({ "variantId": variant, "kind": "PRICE_BELOW", "email": "eva@example.cz" }))
            .await;
    assert_eq!(no_price["userErrors"][0]["field"][1], "priceBelow");
    let no_mail =
        guest(json!({ "variantId": variant, "kind": "BACK_IN_STOCK", "email": "eva" })).await;
    assert_eq!(no_mail["userErrors"][0]["field"][1], "email");
    let bad_id = graphql(&app, CREATE, json!({ "input": { "variantId": "nesmysl", "kind": "BACK_IN_STOCK", "email": "eva@example.cz" } })).await;
    assert_eq!(bad_id["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    // A guest's price watch waits for the e-mailed link; the e-mail offers one-click cancel.
    let below = price - 100_00;
    let watch = guest(json!({ "variantId": variant, "kind": "PRICE_BELOW", "priceBelow": below, "email": "eva@example.cz" })).await;
    assert_eq!(watch["userErrors"], json!([]));
    assert_eq!(watch["watch"]["confirmed"], false);
    let confirmation = mails(&pool).await.pop().unwrap();
    assert_eq!(confirmation["to"], "eva@example.cz");
    assert!(
        confirmation["unsubscribe"]
            .as_str()
            .unwrap()
            .contains("/hlidaci-pes/zruseni?klic=")
    );
    let secret = token(&pool, "/hlidaci-pes/potvrdit").await;
    // Not confirmed yet: a cheaper price sends nothing.
    sqlx::query("UPDATE product_variants SET price_gross = $2 WHERE id = $1")
        .bind(variant_id)
        .bind(below - 1_00)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        server::watchdog::service::notify_due(&pool, SHOP_ORIGIN)
            .await
            .unwrap(),
        0
    );
    // The confirmation page's button (a form from the shop's page).
    let confirm = send(
        &app,
        Request::post("/hlidaci-pes/potvrzeni")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", SHOP_ORIGIN)
            .body(Body::from(format!("klic={secret}")))
            .unwrap(),
    )
    .await;
    assert_eq!(confirm.headers["location"], "/hlidaci-pes?stav=potvrzeno");
    assert_eq!(
        server::watchdog::service::notify_due(&pool, SHOP_ORIGIN)
            .await
            .unwrap(),
        1
    );
    let notice = mails(&pool).await.pop().unwrap();
    assert_eq!(notice["to"], "eva@example.cz");
    assert!(
        notice["subject"]
            .as_str()
            .unwrap()
            .starts_with("Cena klesla")
    );
    assert_eq!(
        server::watchdog::service::notify_due(&pool, SHOP_ORIGIN)
            .await
            .unwrap(),
        0,
        "once"
    );

    // A customer's stock watch runs at once, at the account's address.
    let jana = bearer(&app, "jana.hlida@example.cz").await;
    sqlx::query("UPDATE stock_levels SET on_hand = 0, reserved = 0 WHERE variant_id = $1")
        .bind(variant_id)
        .execute(&pool)
        .await
        .unwrap();
    let mine = call(
        &app,
        &jana,
        CREATE,
        json!({ "input": { "variantId": variant, "kind": "BACK_IN_STOCK" } }),
    )
    .await;
    let mine = &mine["data"]["watchCreate"]["watch"];
    assert_eq!(
        (mine["confirmed"].as_bool(), mine["email"].as_str()),
        (Some(true), Some("jana.hlida@example.cz"))
    );
    let listed = call(&app, &jana, MINE, json!({})).await;
    assert_eq!(listed["data"]["myWatches"].as_array().unwrap().len(), 1);
    assert_eq!(
        graphql(&app, MINE, json!({})).await["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(
        server::watchdog::service::notify_due(&pool, SHOP_ORIGIN)
            .await
            .unwrap(),
        0,
        "still sold out"
    );
    sqlx::query("UPDATE stock_levels SET on_hand = 3 WHERE variant_id = $1")
        .bind(variant_id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        server::watchdog::service::notify_due(&pool, SHOP_ORIGIN)
            .await
            .unwrap(),
        1
    );
    assert!(
        mails(&pool).await.pop().unwrap()["subject"]
            .as_str()
            .unwrap()
            .starts_with("Opět skladem")
    );

    // Cancelling: a mail program's one-click POST (no page of ours), and a customer's own.
    guest(json!({ "variantId": variant, "kind": "BACK_IN_STOCK", "email": "petr@example.cz" }))
        .await;
    let one_click = mails(&pool).await.pop().unwrap()["unsubscribe"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = &one_click[one_click.find("/hlidaci-pes").unwrap()..];
    let unsubscribed = send(
        &app,
        Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("List-Unsubscribe=One-Click"))
            .unwrap(),
    )
    .await;
    assert_eq!(
        unsubscribed.headers["location"],
        "/hlidaci-pes?stav=zruseno"
    );
    let again = send(&app, Request::post(path).body(Body::empty()).unwrap()).await;
    assert_eq!(again.headers["location"], "/hlidaci-pes?chyba=odkaz");
    let own = call(
        &app,
        &jana,
        CREATE,
        json!({ "input": { "variantId": variant, "kind": "PRICE_BELOW", "priceBelow": 1_00 } }),
    )
    .await;
    let id = own["data"]["watchCreate"]["watch"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stranger = bearer(&app, "cizi@example.cz").await;
    let cancel = "mutation ($id: ID!) { watchCancel(id: $id) { cancelled } }";
    let refused = call(&app, &stranger, cancel, json!({ "id": id })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let cancelled = call(&app, &jana, cancel, json!({ "id": id })).await;
    assert_eq!(cancelled["data"]["watchCancel"]["cancelled"], true);
}
