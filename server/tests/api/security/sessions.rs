//! Sessions and accounts: no built-in signing key, admin rights as the database says now, a
//! bootstrapped admin account nobody else can hold, parallel refreshes, lockouts that end,
//! password changes and resets that close what they should.

use axum::Router;
use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::{
    LOGIN, PASSWORD, SHOP_ORIGIN, admin, browser_session, cookie_header, login,
    refresh_cookie_only, register,
};
use crate::common::{app, graphql_with};
use server::accounts::{sessions, store};
use server::auth::Role;

const CUSTOMERS: &str = "{ customers(search: \"spravce\") { nodes { email } } }";

/// The `extensions.code` of the first error of a bearer request.
async fn code_as(app: &Router, bearer: &str, query: &str) -> String {
    let reply = graphql_with(app, query, json!({}), &[("authorization", bearer)]).await;
    reply.json()["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
        .to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_signing_key_is_made_once_per_shop_and_never_built_in(pool: PgPool) {
    let first = server::auth::secret::signing_secret(&pool, None)
        .await
        .unwrap();
    let second = server::auth::secret::signing_secret(&pool, None)
        .await
        .unwrap();
    assert_eq!(first, second, "restarts and other instances keep the key");
    assert!(first.len() >= 43, "256 random bits: {first}");
    let configured = server::auth::secret::signing_secret(&pool, Some("x".repeat(40)))
        .await
        .unwrap();
    assert_eq!(configured, "x".repeat(40));
    // The example environment file names no key at all.
    let example = include_str!("../../../../.env.example");
    let line = example
        .lines()
        .find(|l| l.starts_with("JWT_SECRET="))
        .expect("documented");
    assert_eq!(line, "JWT_SECRET=");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_demoted_or_disabled_admin_loses_access_at_once(pool: PgPool) {
    let app = app(pool.clone()).await;
    let bearer = admin(&app, &pool, "spravce@example.cz").await;
    let reply = graphql_with(&app, CUSTOMERS, json!({}), &[("authorization", &bearer)]).await;
    assert!(
        reply.json()["data"]["customers"]["nodes"].is_array(),
        "{}",
        reply.body
    );

    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = 'spravce@example.cz'")
        .fetch_one(&pool)
        .await
        .unwrap();
    store::set_role(&pool, id, Role::Customer).await.unwrap();
    assert_eq!(code_as(&app, &bearer, CUSTOMERS).await, "FORBIDDEN");

    store::set_role(&pool, id, Role::Admin).await.unwrap();
    store::set_disabled(&pool, id, true).await.unwrap();
    assert_eq!(code_as(&app, &bearer, CUSTOMERS).await, "UNAUTHENTICATED");
}

#[sqlx::test(migrations = "../migrations")]
async fn create_admin_takes_a_preregistered_account_from_its_registrant(pool: PgPool) {
    let app = app(pool.clone()).await;
    // Someone registers the staff address before the operator runs `create-admin`…
    register(&app, "staff@example.cz").await;
    let squatter = login(&app, "staff@example.cz", PASSWORD).await;
    let refresh = squatter["refreshToken"].as_str().unwrap().to_owned();

    let operators_password = "Heslo správce obchodu 9";
    server::accounts::service::ensure_admin(&pool, "staff@example.cz", operators_password)
        .await
        .unwrap();
    // …and is left with nothing: the password is the operator's, the old session is over.
    let again = login(&app, "staff@example.cz", PASSWORD).await;
    assert_eq!(again["userErrors"][0]["code"], "INVALID_CREDENTIALS");
    let renew = "mutation ($t: String) { customerTokenRefresh(input: { refreshToken: $t }) { accessToken userErrors { code } } }";
    let renewed = graphql_with(&app, renew, json!({ "t": refresh }), &[])
        .await
        .json();
    assert_eq!(
        renewed["data"]["customerTokenRefresh"]["userErrors"][0]["code"],
        "INVALID_TOKEN"
    );
    let operator = login(&app, "staff@example.cz", operators_password).await;
    assert!(operator["accessToken"].is_string(), "{operator}");
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_page_loads_with_an_expired_cookie_stay_signed_in(pool: PgPool) {
    let app = app(pool).await;
    register(&app, "jana@example.cz").await;
    let cookies = browser_session(&app, "jana@example.cz").await;
    // The access cookie expired: only the refresh cookie comes.
    let jar = refresh_cookie_only(&cookies);
    let loads = (0..4).map(|_| {
        let (app, jar) = (app.clone(), jar.clone());
        tokio::spawn(async move {
            graphql_with(
                &app,
                "{ me { email } }",
                json!({}),
                &[("cookie", &jar), ("origin", SHOP_ORIGIN)],
            )
            .await
        })
    });
    let replies: Vec<_> = futures_util::future::join_all(loads)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let mut new_refresh_cookies = Vec::new();
    for reply in &replies {
        assert_eq!(
            reply.json()["data"]["me"]["email"],
            "jana@example.cz",
            "signed in: {}",
            reply.body
        );
        let set = cookie_header(reply);
        assert!(!set.is_empty(), "new cookies, never a deletion");
        new_refresh_cookies.extend(
            set.split("; ")
                .filter(|c| c.starts_with("shop_rt="))
                .map(str::to_owned),
        );
    }
    new_refresh_cookies.dedup();
    assert_eq!(
        new_refresh_cookies.len(),
        1,
        "one new pair for all: {new_refresh_cookies:?}"
    );
    // And the new pair works.
    let next = graphql_with(
        &app,
        "{ me { email } }",
        json!({}),
        &[("cookie", &new_refresh_cookies[0]), ("origin", SHOP_ORIGIN)],
    )
    .await;
    assert_eq!(next.json()["data"]["me"]["email"], "jana@example.cz");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lock_that_expired_starts_the_count_afresh(pool: PgPool) {
    let app = app(pool.clone()).await;
    register(&app, "lucie@example.cz").await;
    for _ in 0..10 {
        login(&app, "lucie@example.cz", "Úplně špatné heslo").await;
    }
    assert!(
        login(&app, "lucie@example.cz", PASSWORD).await["accessToken"].is_null(),
        "locked"
    );
    // The lock runs out.
    sqlx::query("UPDATE customers SET locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    // One wrong password no longer locks it again…
    login(&app, "lucie@example.cz", "Úplně špatné heslo").await;
    assert!(
        login(&app, "lucie@example.cz", PASSWORD).await["accessToken"].is_string(),
        "one failure after an expired lock is one failure"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_password_change_keeps_the_callers_session_and_ends_the_others(pool: PgPool) {
    let app = app(pool).await;
    register(&app, "jana@example.cz").await;
    let other_device = login(&app, "jana@example.cz", PASSWORD).await;
    let cookies = browser_session(&app, "jana@example.cz").await;
    let change = "mutation { customerPasswordChange(input: { currentPassword: \"Zelená louka 2026\", newPassword: \"Modrá obloha 2027\" }) { customer { email } userErrors { code } } }";
    let headers = [("cookie", cookies.as_str()), ("origin", SHOP_ORIGIN)];
    let changed = graphql_with(&app, change, json!({}), &headers).await.json();
    assert_eq!(
        changed["data"]["customerPasswordChange"]["customer"]["email"], "jana@example.cz",
        "{changed}"
    );
    // The browser that changed it stays signed in, even once its access cookie expires.
    let refresh_only = refresh_cookie_only(&cookies);
    let headers = [("cookie", refresh_only.as_str()), ("origin", SHOP_ORIGIN)];
    let me = graphql_with(&app, "{ me { email } }", json!({}), &headers).await;
    assert_eq!(me.json()["data"]["me"]["email"], "jana@example.cz");
    // The other device is signed out.
    let renew = "mutation ($t: String) { customerTokenRefresh(input: { refreshToken: $t }) { accessToken userErrors { code } } }";
    let token = other_device["refreshToken"].as_str().unwrap();
    let renewed = graphql_with(&app, renew, json!({ "t": token }), &[])
        .await
        .json();
    assert_eq!(
        renewed["data"]["customerTokenRefresh"]["userErrors"][0]["code"],
        "INVALID_TOKEN"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reset_voids_the_other_reset_links(pool: PgPool) {
    let app = app(pool.clone()).await;
    register(&app, "ota@example.cz").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = 'ota@example.cz'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut links = Vec::new();
    for _ in 0..2 {
        let (token, hash) = sessions::new_secret();
        store::insert_reset_token(&pool, id, &hash, Utc::now() + Duration::hours(1))
            .await
            .unwrap();
        links.push(token);
    }
    let reset = "mutation ($t: String!, $p: String!) { customerPasswordReset(input: { token: $t, password: $p }) { accepted userErrors { code } } }";
    let first = graphql_with(
        &app,
        reset,
        json!({ "t": links[0], "p": "První nové heslo 1" }),
        &[],
    )
    .await;
    assert_eq!(
        first.json()["data"]["customerPasswordReset"]["accepted"],
        true
    );
    let second = graphql_with(
        &app,
        reset,
        json!({ "t": links[1], "p": "Druhé nové heslo 2" }),
        &[],
    )
    .await;
    assert_eq!(
        second.json()["data"]["customerPasswordReset"]["userErrors"][0]["code"],
        "INVALID_TOKEN"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn one_password_hash_per_request_whatever_the_aliases(pool: PgPool) {
    let app = app(pool).await;
    register(&app, "jana@example.cz").await;
    let aliased = "mutation { a: customerLogin(input: { email: \"jana@example.cz\", password: \"x1234567890\" }) { accessToken } b: customerLogin(input: { email: \"jana@example.cz\", password: \"y1234567890\" }) { accessToken } c: customerPasswordReset(input: { token: \"guess\", password: \"Nové heslo 12345\" }) { accepted } }";
    let reply = graphql_with(&app, aliased, json!({}), &[]).await.json();
    let refused = reply["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|e| e["extensions"]["code"] == "BAD_USER_INPUT")
        .count();
    assert_eq!(refused, 2, "only the first alias hashes: {reply}");
    // One per request is fine.
    let single = graphql_with(
        &app,
        LOGIN,
        json!({ "input": { "email": "jana@example.cz", "password": PASSWORD } }),
        &[],
    )
    .await;
    assert!(single.json()["data"]["customerLogin"]["accessToken"].is_string());
}
