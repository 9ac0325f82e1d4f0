//! The threat model, one attack per test (see `docs/security.md`): what a stranger on the
//! network, another site in the shopper's browser, or a script with a stolen piece of a session
//! tries, and what the shop answers. Each test failed before its defence existed.

mod headers;
mod known_documents;
mod limits;
mod sessions;
mod socket;
mod websocket;

use axum::Router;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{self, Reply, data, graphql_with};

/// The shop's own origin in tests (the default `PUBLIC_URL`).
pub(crate) const SHOP_ORIGIN: &str = "http://127.0.0.1:3000";
/// Another origin of the same site: cookies travel there, trust must not.
pub(crate) const SIBLING_ORIGIN: &str = "http://127.0.0.1:4000";
pub(crate) const PASSWORD: &str = "Zelená louka 2026";
pub(crate) const LOGIN: &str = "mutation ($input: CustomerLoginInput!) { customerLogin(input: $input) { accessToken refreshToken customer { email } userErrors { code } } }";

/// The `extensions.code` of a reply's first error (`none` without one).
pub(crate) fn code(reply: &Value) -> &str {
    reply["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
}

/// Registers `email` with [`PASSWORD`].
pub(crate) async fn register(app: &Router, email: &str) {
    let input = json!({ "email": email, "password": PASSWORD, "firstName": "Jana", "lastName": "Nováková" });
    let reply = data(
        app,
        "mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { accepted } }",
        json!({ "input": input }),
    )
    .await;
    assert_eq!(reply["customerRegister"]["accepted"], true, "{reply}");
}

/// Signs in as an app would; returns `customerLogin`'s payload.
pub(crate) async fn login(app: &Router, email: &str, password: &str) -> Value {
    let input = json!({ "input": { "email": email, "password": password } });
    graphql_with(app, LOGIN, input, &[]).await.json()["data"]["customerLogin"].clone()
}

/// Signs in from the storefront; returns the `Cookie` header of the session.
pub(crate) async fn browser_session(app: &Router, email: &str) -> String {
    let input = json!({ "input": { "email": email, "password": PASSWORD } });
    let reply = graphql_with(app, LOGIN, input, &[("origin", SHOP_ORIGIN)]).await;
    cookie_header(&reply)
}

/// The cookies a response sets, as a `Cookie` request header.
pub(crate) fn cookie_header(reply: &Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .filter(|pair| !pair.ends_with('='))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Only the refresh cookie of a session (as a browser sends it once the access cookie expired).
pub(crate) fn refresh_cookie_only(cookies: &str) -> String {
    let refresh: String = cookies
        .split("; ")
        .filter(|c| c.starts_with("shop_rt="))
        .collect();
    assert!(!refresh.is_empty(), "a refresh cookie: {cookies}");
    refresh
}

/// An admin account (created as the `create-admin` command does) and its bearer header.
pub(crate) async fn admin(app: &Router, pool: &PgPool, email: &str) -> String {
    server::accounts::service::ensure_admin(pool, email, PASSWORD)
        .await
        .unwrap();
    let token = login(app, email, PASSWORD).await["accessToken"]
        .as_str()
        .expect("the admin signs in")
        .to_owned();
    format!("Bearer {token}")
}

/// The shop with its catalog, served on a real socket of 127.0.0.1 (for WebSockets).
pub(crate) async fn serve(pool: PgPool) -> (std::net::SocketAddr, Router) {
    let app = common::app(pool).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = app
        .clone()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    (addr, app)
}
