//! `/graphql/ws`: another origin of the same site gets nothing from the shopper's cookies, and
//! the socket runs every operation through the same protections as `POST /graphql`.

use serde_json::{Value, json};
use sqlx::PgPool;

use super::socket::Socket;
use super::{
    SHOP_ORIGIN, SIBLING_ORIGIN, admin, browser_session, refresh_cookie_only, register, serve,
};
use crate::checkout::{COMPLETE, ready_cart, variant};
use crate::common::{self, data, test_redis};

const ME: &str = "{ me { email } }";
const REFRESH: &str =
    "mutation { customerTokenRefresh { accessToken refreshToken userErrors { code } } }";

/// The `extensions.code` of the first error in a socket result (a `next` payload with
/// `errors`, or an `error` message's list).
fn first_error_code(payload: &Value) -> Option<&str> {
    let errors = payload.get("errors").unwrap_or(payload);
    errors[0]["extensions"]["code"].as_str()
}

#[sqlx::test(migrations = "../migrations")]
async fn another_origin_of_the_site_gets_nothing_from_the_cookies(pool: PgPool) {
    let (addr, app) = serve(pool).await;
    register(&app, "jana@example.cz").await;
    let cookies = browser_session(&app, "jana@example.cz").await;
    // The access cookie alone, and the refresh cookie alone (the access one expired).
    let refresh_only = refresh_cookie_only(&cookies);

    for jar in [cookies.as_str(), refresh_only.as_str()] {
        let headers = [("origin", SIBLING_ORIGIN), ("cookie", jar)];
        let mut socket = Socket::open(addr, &headers).await.unwrap();
        assert_eq!(
            socket.init(json!({})).await.unwrap()["type"],
            "connection_ack"
        );
        let me = socket.run("1", ME).await;
        assert!(me["data"]["me"].is_null(), "not signed in: {me}");
        let refreshed = socket.run("2", REFRESH).await;
        let payload = &refreshed["data"]["customerTokenRefresh"];
        assert!(payload["accessToken"].is_null(), "{refreshed}");
        assert!(payload["refreshToken"].is_null(), "{refreshed}");
    }

    // The shop's own pages follow the shopper's session over the socket…
    let headers = [("origin", SHOP_ORIGIN), ("cookie", cookies.as_str())];
    let mut socket = Socket::open(addr, &headers).await.unwrap();
    socket.init(json!({})).await.unwrap();
    assert_eq!(
        socket.run("1", ME).await["data"]["me"]["email"],
        "jana@example.cz"
    );
    // …but never receive its tokens there.
    let refreshed = socket.run("2", REFRESH).await;
    assert!(
        refreshed["data"]["customerTokenRefresh"]["refreshToken"].is_null(),
        "{refreshed}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_socket_keeps_the_limits_of_http(pool: PgPool) {
    let (addr, app) = serve(pool.clone()).await;
    let bearer = admin(&app, &pool, "spravce@example.cz").await;
    let init = json!({ "Authorization": bearer });

    // A document larger than the HTTP body limit is not read: the connection ends.
    let mut socket = Socket::open(addr, &[]).await.unwrap();
    socket.init(init.clone()).await.unwrap();
    let huge = format!("{{ {} }}", "__typename ".repeat(40_000));
    let message = json!({ "id": "1", "type": "subscribe", "payload": { "query": huge } });
    let _ = socket.send_raw(message.to_string()).await;
    assert!(
        socket.receive().await.is_none(),
        "the huge message was refused"
    );

    // Nested relations load through the request's dataloaders, as over HTTP.
    let mut socket = Socket::open(addr, &[]).await.unwrap();
    socket.init(init.clone()).await.unwrap();
    let me = socket.run("1", "{ me { email addresses { city } } }").await;
    assert_eq!(me["data"]["me"]["addresses"], json!([]), "{me}");

    // Operations per socket are capped; finished ones free their place.
    let (_, variant, _) = variant(&pool, 5).await;
    let cart = ready_cart(&app, &variant, 1).await;
    let placed = data(&app, COMPLETE, json!({ "cartId": cart, "key": "ws" })).await;
    let number = placed["checkoutComplete"]["order"]["number"]
        .as_str()
        .unwrap();
    let follow =
        format!("subscription {{ orderStatusChanged(number: \"{number}\") {{ toStatus }} }}");
    for id in 0..server::graphql::executor::MAX_OPERATIONS_PER_SOCKET {
        socket.start(&format!("s{id}"), &follow).await;
    }
    let refused = socket.run("over", &follow).await;
    assert_eq!(
        first_error_code(&refused),
        Some("RATE_LIMITED"),
        "{refused}"
    );
    socket.send(json!({ "id": "s0", "type": "complete" })).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let typename = socket.run("after", "{ __typename }").await;
    assert_eq!(typename["data"]["__typename"], "Query", "{typename}");

    // Sockets per client address are capped too.
    let mut open = Vec::new();
    for _ in 1..server::http::sockets::MAX_SOCKETS_PER_CLIENT {
        open.push(Socket::open(addr, &[]).await.unwrap());
    }
    assert!(
        Socket::open(addr, &[]).await.is_err(),
        "one socket too many"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn production_rules_hold_on_the_socket(pool: PgPool) {
    let redis = test_redis(&pool, "redis://127.0.0.1:6379");
    let app = common::app_with_config(pool, redis, |config| {
        config.mode = server::config::Mode::Production;
        config.jwt_secret = Some("a production secret of at least 32 bytes".into());
    });
    let health = common::get(&app, "/health").await;
    assert!(
        health.headers.contains_key("strict-transport-security"),
        "HSTS in production"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });

    let mut socket = Socket::open(addr, &[]).await.unwrap();
    socket.init(json!({})).await.unwrap();
    let schema = socket.run("1", "{ __schema { queryType { name } } }").await;
    assert!(
        schema["data"]["__schema"].is_null(),
        "introspection is for admins only: {schema}"
    );
    // Internal errors are masked: every error carries a code.
    let bad = socket
        .run("2", "{ product(slug: \"neni\") { name } }")
        .await;
    assert_eq!(first_error_code(&bad), Some("NOT_FOUND"), "{bad}");
}
