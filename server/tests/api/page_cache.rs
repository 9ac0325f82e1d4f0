//! Catalog pages for anonymous visitors come from the shared cache: each answer has its own CSP
//! nonce, `If-None-Match` gets `304` with the policy of the copy the browser holds, and a
//! catalog change (a price, an order taking stock) retires the cached pages on every instance.
//! Visitors with a cart or a session always get a fresh page.

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use sqlx::PgPool;

use crate::common::{self, Reply, send};
use crate::orders::{admin, call};

async fn page(app: &axum::Router, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

fn header(reply: &Reply, name: &str) -> String {
    reply
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The nonce of a page's policy.
fn nonce(reply: &Reply) -> String {
    let policy = header(reply, "content-security-policy");
    let start = policy.find("'nonce-").expect("a nonce in the policy") + 7;
    policy[start..start + policy[start..].find('\'').unwrap()].to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn anonymous_catalog_pages_are_cached_with_fresh_nonces(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM products WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let path = format!("/p/{slug}");

    let first = page(&app, &path, &[]).await;
    assert_eq!(first.status, 200);
    let first_nonce = nonce(&first);
    assert!(
        first.body.contains(&format!("nonce=\"{first_nonce}\"")),
        "the script carries the policy's nonce"
    );
    assert!(
        first.headers.get("etag").is_none(),
        "a page asked for once is not stored"
    );

    // Asked again within a minute: stored; from then on served from the cache, each answer
    // with a new nonce in both the policy and the script.
    let stored = page(&app, &path, &[]).await;
    assert_eq!(header(&stored, "cache-control"), "no-cache");
    let second = page(&app, &path, &[]).await;
    let second_nonce = nonce(&second);
    assert_ne!(second_nonce, first_nonce);
    assert_ne!(second_nonce, nonce(&stored));
    assert!(second.body.contains(&format!("nonce=\"{second_nonce}\"")));
    assert!(!second.body.contains(&first_nonce));
    assert_eq!(
        second.body.replace(&second_nonce, ""),
        first.body.replace(&first_nonce, "")
    );
    let second_tag = header(&second, "etag");
    let page_part = |tag: &str| {
        tag.rsplit_once('.')
            .map(|(page, _)| page.to_owned())
            .unwrap()
    };
    assert_eq!(page_part(&second_tag), page_part(&header(&stored, "etag")));

    // Another instance over the same Redis serves the same page (with a nonce of its own).
    let config = server::config::Config::from_environment().unwrap();
    let (_, other) = common::instance(pool.clone(), common::test_redis(&pool, &config.redis_url));
    let shared = page(&other, &path, &[]).await;
    assert_eq!(page_part(&header(&shared, "etag")), page_part(&second_tag));
    assert_eq!(
        shared.body.replace(&nonce(&shared), ""),
        first.body.replace(&first_nonce, "")
    );

    // The browser's copy is current: 304, and the policy fits the copy it holds.
    let unchanged = page(&app, &path, &[("if-none-match", &second_tag)]).await;
    assert_eq!(unchanged.status, 304);
    assert!(unchanged.body.is_empty());
    assert_eq!(nonce(&unchanged), second_nonce);
    let forged = second_tag.replace(&second_nonce, "abcdefabcdefabcdefabcdefabcdefab");
    assert_eq!(
        page(&app, &path, &[("if-none-match", &forged)])
            .await
            .status,
        304,
        "a tag names the page, its nonce only the policy"
    );

    // A price change retires the page everywhere.
    let auth = admin(&app, &pool).await;
    let variant: i64 = sqlx::query_scalar("SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1 ORDER BY v.id LIMIT 1")
        .bind(&slug)
        .fetch_one(&pool)
        .await
        .unwrap();
    let id = server::ids::encode(server::ids::NodeType::ProductVariant, variant).0;
    let changed = call(&app, &auth, "mutation ($id: ID!) { variantUpdate(input: { id: $id, price: 123400 }) { userErrors { message } } }", json!({ "id": id })).await;
    assert_eq!(
        changed["data"]["variantUpdate"]["userErrors"],
        json!([]),
        "{changed}"
    );
    let after = page(&app, &path, &[("if-none-match", &second_tag)]).await;
    assert_eq!(after.status, 200);
    assert!(
        after.body.contains("1\u{a0}234"),
        "the new price is on the page"
    );

    // A reload that asks for a fresh page gets one.
    let reload = page(&app, &path, &[("cache-control", "no-cache")]).await;
    assert!(reload.headers.get("etag").is_none());

    // A visitor with a cart gets a page of their own, never a cached one.
    let own = page(
        &app,
        &path,
        &[("cookie", "shop_cart=00000000-0000-4000-8000-000000000000")],
    )
    .await;
    assert_eq!(own.status, 200);
    assert!(own.headers.get("etag").is_none());
}
