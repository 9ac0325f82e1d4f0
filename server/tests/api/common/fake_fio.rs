//! A fake Fio banka API on 127.0.0.1: `GET /v1/rest/last/{token}/transactions.json` answers the
//! statement the test set, and 409 to a call within 30 s of the previous one (when enforced).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub(crate) const TOKEN: &str = "faketoken123";

/// A running fake bank.
#[derive(Clone)]
pub(crate) struct FakeFio {
    pub url: String,
    pub state: Arc<Bank>,
}

/// The fake's state.
pub(crate) struct Bank {
    pub statement: Mutex<Vec<Value>>,
    pub calls: AtomicUsize,
    pub enforce_wait: AtomicBool,
    last: Mutex<Option<Instant>>,
}

impl FakeFio {
    pub(crate) async fn start(movements: Vec<Value>) -> Self {
        let state = Arc::new(Bank {
            statement: Mutex::new(movements),
            calls: AtomicUsize::new(0),
            enforce_wait: AtomicBool::new(true),
            last: Mutex::new(None),
        });
        let app = Router::new()
            .route("/v1/rest/last/{token}/transactions.json", get(last))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, state }
    }
}

/// A movement as Fio writes it; `None` columns are `null`.
pub(crate) fn movement(id: i64, amount: f64, currency: &str, symbol: Option<&str>) -> Value {
    json!({
        "column22": { "value": id, "name": "ID pohybu", "id": 22 },
        "column0": { "value": "2026-12-01+0100", "name": "Datum", "id": 0 },
        "column1": { "value": amount, "name": "Objem", "id": 1 },
        "column14": { "value": currency, "name": "Měna", "id": 14 },
        "column5": symbol.map(|s| json!({ "value": s, "name": "VS", "id": 5 })),
        "column2": { "value": "2900000001", "name": "Protiúčet", "id": 2 },
        "column3": { "value": "2010", "name": "Kód banky", "id": 3 },
        "column10": null,
        "column16": null,
    })
}

async fn last(State(bank): State<Arc<Bank>>, Path(token): Path<String>) -> Response {
    if token != TOKEN {
        return StatusCode::NOT_FOUND.into_response();
    }
    bank.calls.fetch_add(1, Ordering::SeqCst);
    let mut last = bank.last.lock().unwrap();
    let too_soon = last.is_some_and(|at| at.elapsed().as_secs() < 30);
    if too_soon && bank.enforce_wait.load(Ordering::SeqCst) {
        return StatusCode::CONFLICT.into_response();
    }
    *last = Some(Instant::now());
    let movements = bank.statement.lock().unwrap().clone();
    Json(json!({ "accountStatement": {
        "info": { "accountId": "2001234567", "bankId": "2010", "currency": "CZK" },
        "transactionList": { "transaction": movements },
    }}))
    .into_response()
}
