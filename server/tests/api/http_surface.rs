//! The HTTP surface: health, readiness, metrics, request ids, GET rules, server-rendered pages.

use crate::common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{app, get, send};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn health_ready_and_metrics(pool: PgPool) {
    let app = app(pool).await;
    assert_eq!(get(&app, "/health").await.status, StatusCode::OK);
    let ready = get(&app, "/ready").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.json()["postgres"], "up");
    assert_eq!(ready.json()["redis"], "up");
    let metrics = get(&app, "/metrics").await;
    assert!(
        metrics.body.contains("http_requests_total{status=\"2xx\"}"),
        "{}",
        metrics.body
    );
    assert!(
        metrics
            .body
            .contains("http_request_duration_seconds_bucket")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_a_request_id(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/health").await;
    let id = reply
        .headers
        .get("x-request-id")
        .expect("a request id")
        .to_str()
        .unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    // A proxy's id is kept.
    let reply = send(
        &app,
        Request::get("/health")
            .header("x-request-id", "lb-42")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.headers.get("x-request-id").unwrap(), "lb-42");
}

#[sqlx::test(migrations = "../migrations")]
async fn get_runs_queries_and_refuses_mutations(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/graphql?query=%7B%20brands%20%7B%20name%20%7D%20%7D").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.json()["data"]["brands"]
            .as_array()
            .is_some_and(|b| !b.is_empty())
    );
    let reply = get(&app, "/graphql?query=mutation%20%7B%20x%20%7D").await;
    assert_eq!(
        reply.json()["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT",
        "{}",
        reply.body
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_requests_never_get_a_500(pool: PgPool) {
    let app = app(pool).await;
    for body in ["{", "[]", "\"x\"", r#"{"query": 5}"#, ""] {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let reply = send(&app, request).await;
        // Not a GraphQL request: 400 with a BAD_USER_INPUT error, whatever the client accepts.
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        assert_eq!(
            reply.json()["errors"][0]["extensions"]["code"],
            "BAD_USER_INPUT",
            "{body}"
        );
    }
    let huge = format!(
        r#"{{"query": "{{ brands {{ name }} }}", "x": "{}"}}"#,
        "a".repeat(200_000)
    );
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge.clone()))
        .unwrap();
    assert_eq!(
        send(&app, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Streamed without a length, the body is cut off at the limit all the same.
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(huge))
        .unwrap();
    assert_eq!(
        send(&app, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn graphiql_is_served(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/graphiql").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("/graphiql/assets/graphiql.min.js"),
        "{}",
        &reply.body[..200.min(reply.body.len())]
    );
    // Everything it loads is the shop's own: it works on a closed network.
    assert!(!reply.body.contains("//"), "no other host: {}", reply.body);
    let policy = reply.headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains("script-src 'self'") && !policy.contains("unpkg"),
        "{policy}"
    );
    let console = get(&app, "/graphiql/console.js").await;
    assert!(
        console.body.contains("/graphql/ws"),
        "subscriptions over the shop's socket"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn placeholder_images_are_svg(pool: PgPool) {
    let app = app(pool).await;
    let reply = get(&app, "/media/placeholder/120/%C5%BDidle.svg").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(reply.body.contains("Židle"));
    assert_eq!(
        get(&app, "/media/placeholder/999/x.svg").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        get(&app, "/media/placeholder/1/%3Cscript%3E.svg")
            .await
            .body
            .contains("&lt;script&gt;")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_are_rendered_on_the_server(pool: PgPool) {
    let app = app(pool).await;
    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body
            .contains("<title>Obchod pro celý domov | Lípa</title>"),
        "{}",
        home.body
    );
    assert!(home.body.contains("Oblíbené kategorie"));

    let category = get(&app, "/c/nabytek?razeni=cena").await;
    assert_eq!(category.status, StatusCode::OK);
    assert!(category.body.contains("<title>Nábytek | Lípa</title>"));
    assert!(
        category
            .body
            .contains(r#"<link href="http://127.0.0.1:3000/c/nabytek" rel="canonical">"#),
        "canonical"
    );
    assert!(
        category.body.contains("product-card"),
        "products are in the HTML, no JavaScript needed"
    );
    assert!(category.body.contains("Kč"));

    let search = get(&app, "/hledat?q=zidle").await;
    assert!(search.body.contains("Jídelní židle"));

    let product_slug = category
        .body
        .split("href=\"/p/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let product = get(&app, &format!("/p/{product_slug}")).await;
    assert_eq!(product.status, StatusCode::OK);
    assert!(
        product
            .body
            .contains(r#"<script type="application/ld+json">"#)
    );
    assert!(product.body.contains(r#""@type":"Product""#));
    assert!(product.body.contains(r#"name="description""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_pages_answer_404_with_the_styled_page(pool: PgPool) {
    let app = app(pool).await;
    for uri in [
        "/neexistuje",
        "/p/neni-takovy-produkt",
        "/c/neni-takova-kategorie",
    ] {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains("Tuhle stránku jsme nenašli"), "{uri}");
    }
}

#[tokio::test]
async fn accepted_connections_send_without_waiting_for_acks() {
    use axum::serve::Listener;
    let bound = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = bound.local_addr().unwrap();
    let mut listener = server::http::listener(bound);
    let client = tokio::spawn(tokio::net::TcpStream::connect(addr));
    let (stream, _) = listener.accept().await;
    assert!(
        stream.nodelay().unwrap(),
        "Nagle's algorithm would hold a multi-write answer ~40 ms for the client's delayed ACK"
    );
    client.await.unwrap().unwrap();
}
