//! Automatic persisted queries: a hash the shop does not know is answered
//! `PERSISTED_QUERY_NOT_FOUND`; the document sent with its hash is kept in Redis, so another
//! instance runs the hash alone; a wrong hash is refused. A persisted public catalog query by
//! `GET` is cacheable (`ETag`, `304`) for anonymous callers until the catalog changes, and never
//! for a signed-in caller.

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::common::{self, Reply, send};
use crate::orders::admin;

const QUERY: &str =
    "query Cheapest($n: Int!) { products(first: $n, sort: PRICE_ASC) { nodes { name } } }";

fn hash(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

fn extensions(document: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash(document) } })
}

async fn post(app: &axum::Router, body: Value) -> Value {
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, request).await.json()
}

/// `GET /graphql` with the hash only.
async fn get(app: &axum::Router, headers: &[(&str, &str)]) -> Reply {
    let query = serde_urlencoded::to_string([
        ("operationName", "Cheapest".to_owned()),
        ("variables", json!({ "n": 2 }).to_string()),
        ("extensions", extensions(QUERY).to_string()),
    ])
    .unwrap();
    let mut request = Request::get(format!("/graphql?{query}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

#[sqlx::test(migrations = "../migrations")]
async fn persisted_queries_are_shared_and_public_ones_cacheable(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    let config = server::config::Config::from_environment().unwrap();
    let redis = common::test_redis(&pool, &config.redis_url);

    // Unknown hash: the client is told to send the document.
    let unknown = post(
        &app,
        json!({ "extensions": extensions(QUERY), "variables": { "n": 2 } }),
    )
    .await;
    assert_eq!(
        unknown["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{unknown}"
    );
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

    // A wrong hash is refused and teaches nothing.
    let forged = post(
        &app,
        json!({ "query": "{ __typename }", "extensions": extensions(QUERY) }),
    )
    .await;
    assert_eq!(forged["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    // The document with its hash runs and is kept; another instance over the same Redis runs the
    // hash alone.
    let taught = post(
        &app,
        json!({ "query": QUERY, "variables": { "n": 2 }, "extensions": extensions(QUERY) }),
    )
    .await;
    assert_eq!(
        taught["data"]["products"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{taught}"
    );
    let (_, other) = common::instance(pool.clone(), redis.clone());
    let reply = get(&other, &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["data"], taught["data"]);

    // Anonymous: public caching with an entity tag; a repeat with it is 304.
    assert_eq!(reply.headers["cache-control"], "public, max-age=60");
    let etag = reply.headers["etag"].to_str().unwrap().to_owned();
    let again = get(&other, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // A catalog change makes a new tag.
    server::catalog::catalog_changed(&redis).await;
    let changed = get(&other, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.headers["etag"].to_str().unwrap(), etag);

    // Signed in: no public caching.
    let auth = admin(&app, &pool).await;
    let signed_in = get(&app, &[("authorization", &auth)]).await;
    assert_eq!(signed_in.status, 200);
    assert!(signed_in.headers.get("etag").is_none());
    assert_ne!(
        signed_in
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("public, max-age=60")
    );
}
