//! A fake PayU on 127.0.0.1 that speaks the REST API v2.1 as the shop uses it: OAuth client
//! credentials (form-encoded only), order creation answering 302 with JSON, order status,
//! refunds and their status. The test decides each order's and refund's state and sends the
//! shop notifications signed with the point of sale's second key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{Value, json};
use sha2::Digest;

/// The point of sale the fake accepts.
pub(crate) const POS_ID: &str = "300746";
pub(crate) const CLIENT_SECRET: &str = "fake-client-secret";
pub(crate) const SECOND_KEY: &str = "fake-second-key";

/// What the fake knows, shared with the test.
#[derive(Default)]
pub(crate) struct Books {
    /// Tokens handed out.
    pub tokens: usize,
    /// Created orders by PayU id: the request body and the status the test set.
    pub orders: HashMap<String, (Value, String)>,
    /// Refund requests by refund id: PayU order id, body, status.
    pub refunds: HashMap<String, (String, Value, String)>,
}

/// A running fake PayU.
#[derive(Clone)]
pub(crate) struct FakePayu {
    pub url: String,
    pub books: Arc<Mutex<Books>>,
}

impl FakePayu {
    /// Starts the fake on a free port.
    pub(crate) async fn start() -> Self {
        let books = Arc::new(Mutex::new(Books::default()));
        let app = Router::new()
            .route("/pl/standard/user/oauth/authorize", post(token))
            .route("/api/v2_1/orders", post(create))
            .route("/api/v2_1/orders/{id}", get(order))
            .route("/api/v2_1/orders/{id}/refunds", post(refund))
            .route("/api/v2_1/orders/{id}/refunds/{refund}", get(refund_status))
            .with_state(books.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, books }
    }

    /// The PayU id and request of the order created for `ext_order_id`.
    pub(crate) fn order_for(&self, ext_order_id: &str) -> Option<(String, Value)> {
        let books = self.books.lock().unwrap();
        books
            .orders
            .iter()
            .find(|(_, (body, _))| body["extOrderId"] == ext_order_id)
            .map(|(id, (body, _))| (id.clone(), body.clone()))
    }

    /// Sets the status PayU reports for an order.
    pub(crate) fn set_status(&self, id: &str, status: &str) {
        self.books.lock().unwrap().orders.get_mut(id).unwrap().1 = status.to_owned();
    }

    /// Sets the status of every refund.
    pub(crate) fn finish_refunds(&self, status: &str) {
        for refund in self.books.lock().unwrap().refunds.values_mut() {
            refund.2 = status.to_owned();
        }
    }

    /// The notification PayU would send about an order, and its signature header.
    pub(crate) fn notification(&self, id: &str) -> (String, String) {
        let books = self.books.lock().unwrap();
        let (body, status) = &books.orders[id];
        let notification = json!({
            "order": {
                "orderId": id, "extOrderId": body["extOrderId"], "merchantPosId": POS_ID,
                "currencyCode": body["currencyCode"], "totalAmount": body["totalAmount"],
                "status": status, "buyer": body["buyer"],
            },
            "localReceiptDateTime": "2026-12-01T10:00:00.000+01:00",
            "properties": [{ "name": "PAYMENT_ID", "value": "5000001" }],
        })
        .to_string();
        let signature = hex::encode(
            sha2::Sha256::new()
                .chain_update(notification.as_bytes())
                .chain_update(SECOND_KEY.as_bytes())
                .finalize(),
        );
        let header =
            format!("sender=checkout;signature={signature};algorithm=SHA-256;content=DOCUMENT");
        (notification, header)
    }
}

type Shared = State<Arc<Mutex<Books>>>;

async fn token(
    State(books): Shared,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let form_encoded = headers.get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes()
            .starts_with(b"application/x-www-form-urlencoded")
    });
    let valid = form_encoded
        && form.get("grant_type").map(String::as_str) == Some("client_credentials")
        && form.get("client_id").map(String::as_str) == Some(POS_ID)
        && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
    if !valid {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    books.lock().unwrap().tokens += 1;
    Json(json!({ "access_token": "fake-token", "token_type": "bearer", "expires_in": 43199, "grant_type": "client_credentials" })).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some("Bearer fake-token")
}

async fn create(State(books): Shared, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let mut books = books.lock().unwrap();
    let id = format!("PAYU{:04}", books.orders.len() + 1);
    let answer = json!({
        "status": { "statusCode": "SUCCESS" },
        "redirectUri": format!("https://merch-prod.snd.payu.com/pay/?orderId={id}"),
        "orderId": id, "extOrderId": body["extOrderId"],
    });
    books.orders.insert(id, (body, "NEW".into()));
    (StatusCode::FOUND, Json(answer)).into_response()
}

async fn order(State(books): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let books = books.lock().unwrap();
    let Some((body, status)) = books.orders.get(&id) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "status": { "statusCode": "DATA_NOT_FOUND" } })),
        )
            .into_response();
    };
    Json(json!({
        "orders": [{ "orderId": id, "extOrderId": body["extOrderId"], "currencyCode": body["currencyCode"],
                     "totalAmount": body["totalAmount"], "status": status }],
        "status": { "statusCode": "SUCCESS" },
    }))
    .into_response()
}

async fn refund(
    State(books): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let mut books = books.lock().unwrap();
    if !books.orders.contains_key(&id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let refund_id = format!("R{}", books.refunds.len() + 1);
    books
        .refunds
        .insert(refund_id.clone(), (id.clone(), body, "PENDING".into()));
    Json(json!({ "orderId": id, "refund": { "refundId": refund_id, "status": "PENDING" }, "status": { "statusCode": "SUCCESS" } })).into_response()
}

async fn refund_status(
    State(books): Shared,
    headers: HeaderMap,
    Path((id, refund)): Path<(String, String)>,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let books = books.lock().unwrap();
    match books.refunds.get(&refund) {
        Some((order, _, status)) if *order == id => {
            Json(json!({ "refundId": refund, "status": status })).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
