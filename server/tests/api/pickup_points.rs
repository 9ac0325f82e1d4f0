//! Zásilkovna pickup points: the picker's search, the sync from Packeta's feed (a fake feed
//! server on 127.0.0.1), and checkout accepting only an open point, kept on the order.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::checkout::{COMPLETE, UPDATE, address, new_cart, variant};
use crate::common::{app, data, error_code};
use server::pickup_points::service;

const SEARCH: &str = "query ($search: String!, $near: GeoPointInput, $first: Int!) { pickupPoints(search: $search, near: $near, first: $first) { id name city zip address openingHours distance } }";

async fn search(app: &Router, text: &str, near: Option<(f64, f64)>) -> Vec<Value> {
    let near =
        near.map(|(latitude, longitude)| json!({ "latitude": latitude, "longitude": longitude }));
    let answer = data(
        app,
        SEARCH,
        json!({ "search": text, "near": near, "first": 10 }),
    )
    .await;
    answer["pickupPoints"].as_array().unwrap().clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_picker_finds_points_by_city_street_and_psc_and_nearest_first(pool: PgPool) {
    let app = app(pool).await;
    let brno = search(&app, "brno", None).await;
    assert!(!brno.is_empty());
    assert!(brno.iter().all(|p| p["city"] == "Brno"), "{brno:?}");
    // Without diacritics, by PSČ with or without its space, by street and city together.
    let budejovice = search(&app, "ceske budejovice", None).await;
    assert!(budejovice.iter().all(|p| p["city"] == "České Budějovice") && !budejovice.is_empty());
    assert_eq!(search(&app, "60200", None).await.len(), brno.len().min(10));
    let street = search(&app, "lannova budejovice", None).await;
    assert!(
        !street.is_empty()
            && street
                .iter()
                .all(|p| p["address"].as_str().unwrap().starts_with("Lannova"))
    );
    assert!(search(&app, "Atlantida", None).await.is_empty());

    // Near Olomouc's main square: Olomouc first, sorted by distance.
    let near = search(&app, "", Some((49.5938, 17.2509))).await;
    assert_eq!(near[0]["city"], "Olomouc");
    let distances: Vec<i64> = near
        .iter()
        .map(|p| p["distance"].as_i64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    assert!(distances[0] < 3_000);

    // Limits and nonsense are refused clearly.
    let too_many = json!({ "search": "", "first": 500 });
    assert_eq!(error_code(&app, SEARCH, too_many).await, "BAD_USER_INPUT");
    let off_earth =
        json!({ "search": "", "near": { "latitude": 95.0, "longitude": 14.0 }, "first": 5 });
    assert_eq!(error_code(&app, SEARCH, off_earth).await, "BAD_USER_INPUT");
    // Wildcards are text, not patterns.
    assert!(search(&app, "%_%", None).await.len() <= 10);
}

/// A fake Packeta feed: answers the JSON it holds, or an error status.
#[derive(Clone, Default)]
struct Feed(Arc<Mutex<(StatusCode, String)>>);

impl Feed {
    async fn start(self) -> String {
        async fn branch_json(State(feed): State<Feed>) -> impl IntoResponse {
            let (status, body) = feed.0.lock().unwrap().clone();
            (status, [("content-type", "application/json")], body)
        }
        let app = Router::new()
            .route("/v5/{key}/branch.json", get(branch_json))
            .with_state(self);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/v5/secret-key/branch.json?lang=cs",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        url
    }

    fn answer(&self, status: StatusCode, body: Value) {
        *self.0.lock().unwrap() = (status, body.to_string());
    }
}

fn branch(id: &str, name: &str, city: &str, status: &str) -> Value {
    json!({
        "id": id, "name": name, "street": "Husova 7", "city": city, "zip": "301 00",
        "country": "cz", "status": { "statusId": status },
        "latitude": "49.7475", "longitude": "13.3776",
        "openingHours": { "compactShort": "Po–Pá 8:00–18:00" }
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn the_feed_sync_adds_updates_and_closes_and_checkout_keeps_the_point(pool: PgPool) {
    let app = app(pool.clone()).await;
    let feed = Feed::default();
    let url = feed.clone().start().await;
    let http = reqwest::Client::new();

    // A feed of one open Czech point, one closed and one Slovak: the demo points it does not
    // list are closed.
    feed.answer(StatusCode::OK, json!({ "data": [
        branch("555001", "Plzeň, Husova 7 (Trafika)", "Plzeň", "1"),
        branch("555002", "Plzeň, Husova 9 (Z-BOX)", "Plzeň", "2"),
        { "id": "777", "name": "Bratislava", "city": "Bratislava", "country": "sk", "status": { "statusId": "1" }, "latitude": 48.1, "longitude": 17.1 }
    ] }));
    let report = service::sync(&pool, &http, &url, 1_000_000).await.unwrap();
    assert_eq!(report.written, 2);
    assert_eq!(
        report.closed, 300,
        "every demo point the feed does not list"
    );
    let found = search(&app, "plzen", None).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["id"], "555001");
    assert_eq!(found[0]["openingHours"], "Po–Pá 8:00–18:00");

    // Broken feeds change nothing: an error status, no Czech branch, too big.
    feed.answer(StatusCode::INTERNAL_SERVER_ERROR, json!({}));
    assert!(service::sync(&pool, &http, &url, 1_000_000).await.is_err());
    feed.answer(StatusCode::OK, json!({ "data": [] }));
    assert!(service::sync(&pool, &http, &url, 1_000_000).await.is_err());
    feed.answer(
        StatusCode::OK,
        json!({ "data": [branch("555001", &"x".repeat(50), "Plzeň", "1")] }),
    );
    let error = service::sync(&pool, &http, &url, 100)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("větší"), "{error}");
    assert!(
        !error.contains("secret-key"),
        "the key stays out of messages: {error}"
    );
    assert_eq!(search(&app, "plzen", None).await.len(), 1);

    // Checkout: a closed or unknown point is refused, an open one accepted and kept on the order.
    let (_, variant_id, _) = variant(&pool, 5).await;
    let cart = new_cart(&app, &variant_id, 1).await;
    let input = json!({ "cartId": cart, "email": "jana@example.cz", "shippingAddress": address(), "shippingMethod": "ZASILKOVNA", "paymentMethod": "CASH_ON_DELIVERY" });
    data(&app, UPDATE, json!({ "input": input })).await;
    for refused in ["555002", "10000", "1; DROP TABLE"] {
        let answer = data(
            &app,
            UPDATE,
            json!({ "input": { "cartId": cart, "pickupPointId": refused } }),
        )
        .await;
        assert_eq!(
            answer["checkoutUpdate"]["userErrors"][0]["code"], "INVALID",
            "{refused}"
        );
    }
    let chosen = data(
        &app,
        UPDATE,
        json!({ "input": { "cartId": cart, "pickupPointId": "555001" } }),
    )
    .await;
    assert_eq!(chosen["checkoutUpdate"]["userErrors"], json!([]));

    // The point closes before the order is placed: the order waits for another choice.
    sqlx::query("UPDATE pickup_points SET active = false WHERE id = '555001'")
        .execute(&pool)
        .await
        .unwrap();
    let refused = data(&app, COMPLETE, json!({ "cartId": cart, "key": "pp-1" })).await;
    assert_eq!(
        refused["checkoutComplete"]["userErrors"][0]["field"][1],
        "pickupPointId"
    );
    sqlx::query("UPDATE pickup_points SET active = true WHERE id = '555001'")
        .execute(&pool)
        .await
        .unwrap();
    let placed = data(&app, COMPLETE, json!({ "cartId": cart, "key": "pp-2" })).await;
    let number = placed["checkoutComplete"]["order"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    // Later changes to the point do not alter the order.
    sqlx::query("UPDATE pickup_points SET name = 'Jiný název' WHERE id = '555001'")
        .execute(&pool)
        .await
        .unwrap();
    let (name, address): (String, String) = sqlx::query_as(
        "SELECT pickup_point_name, pickup_point_address FROM orders WHERE number = $1",
    )
    .bind(&number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(name, "Plzeň, Husova 7 (Trafika)");
    assert_eq!(address, "Husova 7, 301 00 Plzeň");
}
