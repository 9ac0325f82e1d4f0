//! What one client may cost the shop: carts, guest orders, sign-in attempts (also while Redis
//! is down, and whatever it writes into `X-Forwarded-For`), searches per request, and how long
//! one SQL statement may run.

use std::time::Duration;

use serde_json::{Value, json};
use sqlx::PgPool;

use super::{LOGIN, PASSWORD, code, register};
use crate::checkout::{CART, COMPLETE, ready_cart_for, variant};
use crate::common::{self, app, graphql, graphql_with};
use server::cache::Redis;

#[sqlx::test(migrations = "../migrations")]
async fn guest_carts_and_orders_are_limited_per_address_and_mailbox(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (_, variant, _) = variant(&pool, 1000).await;

    // Carts: one address creates only so many.
    let lines = json!({ "lines": [{ "variantId": variant, "quantity": 1 }] });
    let from = [("x-forwarded-for", "203.0.113.1")];
    let max = server::rate_limit::CARTS_PER_IP.max;
    for _ in 0..max {
        let reply = graphql_with(&app, CART, lines.clone(), &from).await.json();
        assert!(
            reply["data"]["cartCreate"]["cart"]["id"].is_string(),
            "{reply}"
        );
    }
    let refused = graphql_with(&app, CART, lines.clone(), &from).await.json();
    assert_eq!(code(&refused), "RATE_LIMITED");

    // Guest orders: per address…
    let max = server::rate_limit::GUEST_ORDERS_PER_IP.max;
    for i in 0..=max {
        let email = format!("host{i}@example.cz");
        let reply = guest_order(&app, &variant, &email, "203.0.113.2").await;
        expect_order_until(&reply, i < max);
    }
    // …and per mailbox, whatever tags and capitals it is written with.
    let max = server::rate_limit::GUEST_ORDERS_PER_MAILBOX.max;
    for i in 0..=max {
        let email = format!("Petra+{i}@Example.cz");
        let reply = guest_order(&app, &variant, &email, &format!("198.51.100.{i}")).await;
        expect_order_until(&reply, i < max);
    }
}

/// A guest order of one unit for `email`, from the client address `ip`.
async fn guest_order(app: &axum::Router, variant: &str, email: &str, ip: &str) -> Value {
    let cart = ready_cart_for(app, variant, 1, email).await;
    let variables = json!({ "cartId": cart, "key": cart });
    graphql_with(app, COMPLETE, variables, &[("x-forwarded-for", ip)])
        .await
        .json()
}

/// An order while `allowed`, `RATE_LIMITED` after.
fn expect_order_until(reply: &Value, allowed: bool) {
    if allowed {
        let number = &reply["data"]["checkoutComplete"]["order"]["number"];
        assert!(number.is_string(), "{reply}");
    } else {
        assert_eq!(code(reply), "RATE_LIMITED", "{reply}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_limits_count_the_address_the_proxy_saw(pool: PgPool) {
    let app = app(pool).await;
    let max = server::rate_limit::LOGIN_PER_IP.max;
    let mut codes = Vec::new();
    for attempt in 0..=max {
        // The client writes a new address in front each time; the proxy appends the real one.
        let forwarded = format!("6.6.6.{attempt}, 192.0.2.50");
        let input = json!({ "input": { "email": format!("nikdo{attempt}@example.cz"), "password": "cokoli 1234567" } });
        let reply = graphql_with(&app, LOGIN, input, &[("x-forwarded-for", &forwarded)]).await;
        codes.push(code(&reply.json()).to_owned());
    }
    assert_eq!(
        codes.last().map(String::as_str),
        Some("RATE_LIMITED"),
        "{codes:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn limits_hold_while_redis_is_down(pool: PgPool) {
    // Nothing listens on port 1: every Redis call fails.
    let redis = Redis::open("redis://127.0.0.1:1", "down").unwrap();
    let app = common::app_with(pool, redis);
    register(&app, "jana@example.cz").await;
    let mut refused = 0;
    for _ in 0..40 {
        let input =
            json!({ "input": { "email": "jana@example.cz", "password": "špatné heslo 123" } });
        let reply = graphql_with(&app, LOGIN, input, &[("x-forwarded-for", "192.0.2.9")]).await;
        if code(&reply.json()) == "RATE_LIMITED" {
            refused += 1;
        }
    }
    assert!(
        refused >= 20,
        "the per-account limit holds without Redis: {refused} refused"
    );
    // The right password still works for someone else from elsewhere: the shop keeps going.
    register(&app, "ota@example.cz").await;
    let input = json!({ "input": { "email": "ota@example.cz", "password": PASSWORD } });
    let reply = graphql_with(&app, LOGIN, input, &[("x-forwarded-for", "192.0.2.10")]).await;
    assert!(reply.json()["data"]["customerLogin"]["accessToken"].is_string());
}

#[sqlx::test(migrations = "../migrations")]
async fn aliases_cannot_multiply_searches(pool: PgPool) {
    let app = app(pool).await;
    let aliased: String = (0..600)
        .map(|i| format!("s{i}: searchSuggestions(prefix: \"zidle\") {{ products {{ name }} }} "))
        .collect();
    let reply = graphql(&app, &format!("{{ {aliased} }}"), json!({})).await;
    assert!(reply["data"].is_null(), "refused before running");
    assert_eq!(code(&reply), "BAD_USER_INPUT");
    // A page's worth of searching is fine.
    let page = graphql(
        &app,
        "{ a: searchSuggestions(prefix: \"zidle\") { products { name } } b: search(query: \"zidle\", first: 24) { nodes { name } } }",
        json!({}),
    )
    .await;
    assert!(page.get("errors").is_none(), "{page}");
}

#[tokio::test]
async fn request_statements_have_a_time_limit() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let limited = server::db::connect(&url, 1, Some(Duration::from_millis(200)))
        .await
        .unwrap();
    let slow = sqlx::query("SELECT pg_sleep(2)").execute(&limited).await;
    let error = slow.expect_err("cancelled");
    assert_eq!(
        error.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("57014"),
        "query_canceled"
    );
    let config = server::config::Config::from_environment().unwrap();
    assert_eq!(config.database_statement_timeout, Duration::from_secs(5));
}
