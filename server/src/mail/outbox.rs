//! The outbox table: enqueue in the caller's transaction; claim with `FOR UPDATE SKIP LOCKED`.

use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, Postgres, Transaction};

/// The outbox kind of e-mail messages.
pub(crate) const EMAIL: &str = "email";

/// An e-mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// The recipient.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The plain-text body (always there).
    pub body: String,
    /// An HTML version of the body, when the message has one (built from escaped text only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// A one-click unsubscribe link (RFC 8058: `List-Unsubscribe` and `List-Unsubscribe-Post`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<String>,
}

/// Adds `email` to the outbox as part of the caller's transaction (or alone).
pub(crate) async fn enqueue(executor: impl PgExecutor<'_>, email: &Email) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO outbox (kind, payload) VALUES ($1, $2)")
        .bind(EMAIL)
        .bind(sqlx::types::Json(email))
        .execute(executor)
        .await
        .map(|_| ())
}

/// A claimed message.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Claimed {
    pub id: i64,
    pub payload: sqlx::types::Json<Email>,
    pub attempts: i32,
}

/// Locks up to `limit` due messages for this transaction; other workers skip them.
pub(crate) async fn claim(
    tx: &mut Transaction<'_, Postgres>,
    limit: i64,
) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as(
        "SELECT id, payload, attempts FROM outbox \
          WHERE delivered_at IS NULL AND kind = $1 AND next_attempt_at <= now() \
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED",
    )
    .bind(EMAIL)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

pub(crate) async fn mark_delivered(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Records a failed attempt; the next one waits `retry_in_secs`.
pub(crate) async fn mark_failed(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    error: &str,
    retry_in_secs: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
                next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_in_secs as f64)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
