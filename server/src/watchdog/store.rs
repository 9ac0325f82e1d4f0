//! The watches' SQL.

use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

use super::{Watch, WatchKind};

const COLUMNS: &str =
    "id, variant_id, kind, price_below, email::text AS email, confirmed_at, created_at";

/// What a new watch holds.
pub(crate) struct NewWatch<'a> {
    pub variant_id: i64,
    pub kind: WatchKind,
    pub price_below: Option<i64>,
    pub email: &'a str,
    pub customer_id: Option<i64>,
    pub token_hash: &'a [u8],
    pub confirmed: bool,
}

/// Adds a watch, or renews the open one for the same variant, kind and address (new threshold
/// and links; a customer's confirms it).
pub(crate) async fn upsert(db: impl PgExecutor<'_>, w: &NewWatch<'_>) -> sqlx::Result<Watch> {
    sqlx::query_as(&format!(
        "INSERT INTO watches (variant_id, kind, price_below, email, customer_id, token_hash, confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END) \
         ON CONFLICT (variant_id, kind, email) WHERE notified_at IS NULL DO UPDATE \
           SET price_below = EXCLUDED.price_below, token_hash = EXCLUDED.token_hash, \
               customer_id = coalesce(watches.customer_id, EXCLUDED.customer_id), \
               confirmed_at = coalesce(watches.confirmed_at, EXCLUDED.confirmed_at) \
         RETURNING {COLUMNS}"
    ))
    .bind(w.variant_id)
    .bind(w.kind)
    .bind(w.price_below)
    .bind(w.email)
    .bind(w.customer_id)
    .bind(w.token_hash)
    .bind(w.confirmed)
    .fetch_one(db)
    .await
}

/// Confirms the open watch with this token; `None` when there is none.
pub(crate) async fn confirm(pool: &PgPool, token_hash: &[u8]) -> sqlx::Result<Option<Watch>> {
    sqlx::query_as(&format!(
        "UPDATE watches SET confirmed_at = coalesce(confirmed_at, now()) \
         WHERE token_hash = $1 AND notified_at IS NULL RETURNING {COLUMNS}"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// Deletes the watch with this token; whether there was one.
pub(crate) async fn delete_by_token(pool: &PgPool, token_hash: &[u8]) -> sqlx::Result<bool> {
    let deleted = sqlx::query("DELETE FROM watches WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// Deletes a customer's watch; whether it was theirs.
pub(crate) async fn delete_own(pool: &PgPool, customer_id: i64, id: i64) -> sqlx::Result<bool> {
    let deleted = sqlx::query("DELETE FROM watches WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .execute(pool)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// A customer's open watches, newest first.
pub(crate) async fn of_customer(pool: &PgPool, customer_id: i64) -> sqlx::Result<Vec<Watch>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM watches WHERE customer_id = $1 AND notified_at IS NULL \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(customer_id)
    .fetch_all(pool)
    .await
}

/// Up to `limit` confirmed, open watches after `after` (by id), locked for this transaction
/// (another instance's job skips them).
pub(crate) async fn waiting(
    tx: &mut Transaction<'_, Postgres>,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<Watch>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM watches \
         WHERE confirmed_at IS NOT NULL AND notified_at IS NULL AND id > $1 \
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Marks watches as notified (they end).
pub(crate) async fn mark_notified(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
) -> sqlx::Result<()> {
    sqlx::query("UPDATE watches SET notified_at = now() WHERE id = ANY ($1)")
        .bind(ids)
        .execute(&mut **tx)
        .await
        .map(drop)
}
