//! `GET /health` (the process answers) and `GET /ready` (its dependencies answer too).

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::AppState;

/// `GET /health`: 200 while the process serves requests.
pub(super) async fn health() -> &'static str {
    "ok"
}

/// `GET /ready`: 200 when PostgreSQL and Redis answer, else 503 naming what is down.
pub(super) async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let postgres = async { sqlx::query("SELECT 1").execute(&state.pool).await.is_ok() };
    let (postgres, redis) = tokio::join!(postgres, state.redis.ping());
    let status = if postgres && redis {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |up: bool| if up { "up" } else { "down" };
    (
        status,
        Json(json!({ "postgres": word(postgres), "redis": word(redis) })),
    )
}
