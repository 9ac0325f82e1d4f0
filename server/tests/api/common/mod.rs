//! Test harness: the whole HTTP stack in-process over a fresh, seeded database.
#![allow(dead_code)]

pub(crate) mod fake_fio;
pub(crate) mod fake_llm;
pub(crate) mod fake_payu;
pub(crate) mod smtp_sink;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use server::{AppState, cache::Redis, config::Config, http, seed};
use sqlx::PgPool;
use tower::ServiceExt;

/// Products in the test catalog: small enough to seed fast, large enough for every department.
pub(crate) const TEST_PRODUCTS: usize = 84;

/// The shop's router over `pool`, with the demo catalog loaded.
pub(crate) async fn app(pool: PgPool) -> Router {
    seed::seed(&pool, TEST_PRODUCTS)
        .await
        .expect("seed the catalog");
    let redis = test_redis(
        &pool,
        &Config::from_environment().expect("configuration").redis_url,
    );
    app_with(pool, redis)
}

/// The shop's router over `pool` as it is, with the given Redis.
pub(crate) fn app_with(pool: PgPool, redis: Redis) -> Router {
    app_with_config(pool, redis, |_| {})
}

/// The shop's router with the configuration changed by `adjust` (e.g. production mode).
pub(crate) fn app_with_config(
    pool: PgPool,
    redis: Redis,
    adjust: impl FnOnce(&mut Config),
) -> Router {
    let mut config = Config::from_environment().expect("configuration");
    // Tests say which client they are with X-Forwarded-For, as one proxy would write it.
    config.trusted_proxy_hops = 1;
    adjust(&mut config);
    http::router(AppState::new(config, pool, redis))
}

/// One server instance: its state (schema, live updates) and its router.
pub(crate) fn instance(pool: PgPool, redis: Redis) -> (AppState, Router) {
    let config = Config::from_environment().expect("configuration");
    let state = AppState::new(config, pool, redis);
    (state.clone(), http::router(state))
}

/// Redis at `url` with keys of the test's own: each test has its own database, and sqlx reuses
/// database names from run to run, so the run's start time is part of the prefix too.
pub(crate) fn test_redis(pool: &PgPool, url: &str) -> Redis {
    static RUN: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    let run = RUN.get_or_init(|| {
        std::time::UNIX_EPOCH
            .elapsed()
            .unwrap_or_default()
            .as_nanos()
    });
    let database = pool
        .connect_options()
        .get_database()
        .unwrap_or("test")
        .to_owned();
    Redis::open(url, &format!("shop-test:{run}:{database}")).expect("redis url")
}

/// A response's status, headers and body.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends one request through the router.
pub(crate) async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// `POST /graphql/upload`: a GraphQL multipart request with `file` as `$file` (`auth` may be
/// empty: no `Authorization`).
pub(crate) async fn upload(
    app: &Router,
    auth: &str,
    query: &str,
    mut variables: Value,
    file: &[u8],
) -> Value {
    let boundary = "lipa-test-boundary";
    variables["file"] = Value::Null;
    let operations = serde_json::json!({ "query": query, "variables": variables });
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\": [\"variables.file\"]}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = Request::post("/graphql/upload").header(
        "content-type",
        format!("multipart/form-data; boundary={boundary}"),
    );
    if !auth.is_empty() {
        request = request.header("authorization", auth);
    }
    let request = request.body(Body::from(body)).unwrap();
    send(app, request).await.json()
}

pub(crate) async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// `POST /graphql` with a query and variables; returns the whole JSON response.
pub(crate) async fn graphql(app: &Router, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let reply = send(app, request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// `POST /graphql` with extra headers; returns the whole reply (status, headers, body).
pub(crate) async fn graphql_with(
    app: &Router,
    query: &str,
    variables: Value,
    headers: &[(&str, &str)],
) -> Reply {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::from(body)).unwrap()).await
}

/// The data of a response that must have no errors.
pub(crate) async fn data(app: &Router, query: &str, variables: Value) -> Value {
    let response = graphql(app, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "unexpected errors: {response}"
    );
    response["data"].clone()
}

/// The `extensions.code` of the first error of a response that must have one.
pub(crate) async fn error_code(app: &Router, query: &str, variables: Value) -> String {
    let response = graphql(app, query, variables).await;
    let error = &response["errors"][0];
    assert!(error.is_object(), "expected an error: {response}");
    error["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {response}"))
        .to_owned()
}
