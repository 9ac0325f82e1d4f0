//! All SQL of payments: attempts, the ledger, refunds and bank movements.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, Transaction};

use super::fio::Movement;
use super::status::{Channel, MovementOutcome, PaymentStatus, RefundStatus};

/// An attempt to pay an order at a gateway.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Payment {
    pub id: i64,
    pub order_id: i64,
    /// The order's number (joined for convenience).
    pub order_number: String,
    pub attempt: i32,
    pub provider_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub status: PaymentStatus,
    pub provider_status: Option<String>,
    pub redirect_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const PAYMENT_COLUMNS: &str = "p.id, p.order_id, o.number AS order_number, p.attempt, p.provider_id, \
    p.amount, p.currency, p.status, p.provider_status, p.redirect_url, p.created_at, p.updated_at";

/// Starts a new attempt (numbered after the order's earlier ones) of `amount` CZK.
pub(crate) async fn insert_attempt(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    amount: i64,
) -> sqlx::Result<(i64, i32)> {
    sqlx::query_as(
        "INSERT INTO payments (order_id, provider, attempt, amount, currency, status) \
         SELECT $1, 'PAYU', coalesce(max(attempt), 0) + 1, $2, 'CZK', 'STARTED' FROM payments WHERE order_id = $1 \
         RETURNING id, attempt",
    )
    .bind(order_id)
    .bind(amount)
    .fetch_one(&mut **tx)
    .await
}

/// Notes what the gateway answered to a new attempt.
pub(crate) async fn set_started(
    db: impl PgExecutor<'_>,
    id: i64,
    provider_id: &str,
    redirect_url: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE payments SET provider_id = $2, redirect_url = $3, status = 'PENDING', updated_at = now() \
          WHERE id = $1 AND status = 'STARTED'",
    )
    .bind(id)
    .bind(provider_id)
    .bind(redirect_url)
    .execute(db)
    .await
    .map(|_| ())
}

/// Sets an attempt's status and the gateway's word for it.
pub(crate) async fn set_status(
    db: impl PgExecutor<'_>,
    id: i64,
    status: PaymentStatus,
    provider_status: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE payments SET status = $2, provider_status = $3, updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(provider_status)
    .execute(db)
    .await
    .map(|_| ())
}

/// The attempt the gateway knows as `provider_id`.
pub(crate) async fn by_provider_id(
    db: impl PgExecutor<'_>,
    provider_id: &str,
) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN orders o ON o.id = p.order_id \
          WHERE p.provider = 'PAYU' AND p.provider_id = $1"
    ))
    .bind(provider_id)
    .fetch_optional(db)
    .await
}

/// The same attempt, locked until the transaction ends.
pub(crate) async fn lock(tx: &mut Transaction<'_, Postgres>, id: i64) -> sqlx::Result<Payment> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN orders o ON o.id = p.order_id \
          WHERE p.id = $1 FOR UPDATE OF p"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

/// Every attempt of an order, oldest first.
pub(crate) async fn attempts_of(
    db: impl PgExecutor<'_>,
    order_id: i64,
) -> sqlx::Result<Vec<Payment>> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN orders o ON o.id = p.order_id \
          WHERE p.order_id = $1 ORDER BY p.attempt"
    ))
    .bind(order_id)
    .fetch_all(db)
    .await
}

/// The completed gateway payment of an order that can still be refunded, newest first.
pub(crate) async fn completed_of(
    db: impl PgExecutor<'_>,
    order_id: i64,
) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN orders o ON o.id = p.order_id \
          WHERE p.order_id = $1 AND p.status = 'COMPLETED' ORDER BY p.attempt DESC LIMIT 1"
    ))
    .bind(order_id)
    .fetch_optional(db)
    .await
}

/// A movement of money for the ledger.
#[derive(Debug, Clone)]
pub(crate) struct LedgerEntry<'a> {
    pub order_id: i64,
    pub kind: EntryKind,
    pub channel: Channel,
    pub amount: i64,
    /// The source, unique: `payu:<id>`, `fio:<id>`, `refund:<id>`, `manual:<uuid>`.
    pub reference: &'a str,
    pub note: &'a str,
    pub recorded_by: Option<i64>,
}

/// Money in or out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Payment,
    Refund,
}

/// Records an entry; `false` when its reference was recorded before (nothing changes).
pub(crate) async fn record(
    tx: &mut Transaction<'_, Postgres>,
    entry: &LedgerEntry<'_>,
) -> sqlx::Result<bool> {
    let kind = match entry.kind {
        EntryKind::Payment => "PAYMENT",
        EntryKind::Refund => "REFUND",
    };
    let inserted = sqlx::query(
        "INSERT INTO payment_ledger (order_id, kind, channel, amount, reference, note, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reference) DO NOTHING",
    )
    .bind(entry.order_id)
    .bind(kind)
    .bind(entry.channel)
    .bind(entry.amount)
    .bind(entry.reference)
    .bind(entry.note)
    .bind(entry.recorded_by)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// What the ledger and the open refunds say of an order's money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct Sums {
    /// Money received.
    pub paid: i64,
    /// Money sent back.
    pub refunded: i64,
    /// Refunds asked for, not yet finished.
    pub refunding: i64,
}

/// The sums of an order.
pub(crate) async fn sums(db: impl PgExecutor<'_>, order_id: i64) -> sqlx::Result<Sums> {
    sqlx::query_as(
        "SELECT coalesce((SELECT sum(amount) FROM payment_ledger WHERE order_id = $1 AND kind = 'PAYMENT'), 0)::bigint AS paid, \
                coalesce((SELECT sum(amount) FROM payment_ledger WHERE order_id = $1 AND kind = 'REFUND'), 0)::bigint AS refunded, \
                coalesce((SELECT sum(amount) FROM refunds WHERE order_id = $1 AND status = 'PENDING'), 0)::bigint AS refunding",
    )
    .bind(order_id)
    .fetch_one(db)
    .await
}

/// A refund.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Refund {
    pub id: i64,
    pub order_id: i64,
    pub channel: Channel,
    pub amount: i64,
    pub reason: String,
    pub status: RefundStatus,
    pub provider_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

const REFUND_COLUMNS: &str =
    "id, order_id, channel, amount, reason, status, provider_id, created_at";

/// Writes a refund in `status`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_refund(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    payment_id: Option<i64>,
    channel: Channel,
    amount: i64,
    reason: &str,
    status: RefundStatus,
    recorded_by: Option<i64>,
) -> sqlx::Result<Refund> {
    sqlx::query_as(&format!(
        "INSERT INTO refunds (order_id, payment_id, channel, amount, reason, status, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {REFUND_COLUMNS}"
    ))
    .bind(order_id)
    .bind(payment_id)
    .bind(channel)
    .bind(amount)
    .bind(reason)
    .bind(status)
    .bind(recorded_by)
    .fetch_one(&mut **tx)
    .await
}

/// Sets a refund's status (and the gateway's id, once known).
pub(crate) async fn set_refund(
    db: impl PgExecutor<'_>,
    id: i64,
    status: RefundStatus,
    provider_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE refunds SET status = $2, provider_id = coalesce($3, provider_id), updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(provider_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// A pending refund, locked; `None` when it is no longer pending.
pub(crate) async fn lock_pending_refund(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<Option<Refund>> {
    sqlx::query_as(&format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE id = $1 AND status = 'PENDING' FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Pending gateway refunds to ask about, oldest first, with their payment's gateway id.
pub(crate) async fn pending_refunds(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> sqlx::Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT r.id, p.provider_id, r.provider_id FROM refunds r JOIN payments p ON p.id = r.payment_id \
          WHERE r.status = 'PENDING' AND r.provider_id IS NOT NULL AND p.provider_id IS NOT NULL \
          ORDER BY r.updated_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The refunds of an order, oldest first.
pub(crate) async fn refunds_of(
    db: impl PgExecutor<'_>,
    order_id: i64,
) -> sqlx::Result<Vec<Refund>> {
    sqlx::query_as(&format!(
        "SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = $1 ORDER BY id"
    ))
    .bind(order_id)
    .fetch_all(db)
    .await
}

/// Keeps a bank movement; `false` when it was seen before.
pub(crate) async fn insert_movement(
    tx: &mut Transaction<'_, Postgres>,
    movement: &Movement,
    order_id: Option<i64>,
    outcome: MovementOutcome,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO bank_movements (movement_id, amount, currency, variable_symbol, counter_account, counter_name, message, order_id, outcome) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (movement_id) DO NOTHING",
    )
    .bind(&movement.id)
    .bind(movement.amount)
    .bind(&movement.currency)
    .bind(&movement.variable_symbol)
    .bind(&movement.counter_account)
    .bind(&movement.counter_name)
    .bind(&movement.message)
    .bind(order_id)
    .bind(outcome)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Whether a bank movement was seen before.
pub(crate) async fn movement_seen(db: impl PgExecutor<'_>, id: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bank_movements WHERE movement_id = $1)")
        .bind(id)
        .fetch_one(db)
        .await
}

/// A kept bank movement.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct KeptMovement {
    pub movement_id: String,
    pub amount: i64,
    pub currency: String,
    pub variable_symbol: Option<String>,
    pub counter_account: Option<String>,
    pub counter_name: Option<String>,
    pub message: Option<String>,
    pub order_number: Option<String>,
    pub outcome: MovementOutcome,
    pub received_at: DateTime<Utc>,
}

/// Movements an admin has to look at (overpaid, unknown symbol, foreign currency, late), newest
/// first.
pub(crate) async fn movements_needing_attention(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> sqlx::Result<Vec<KeptMovement>> {
    sqlx::query_as(
        "SELECT m.movement_id, m.amount, m.currency, m.variable_symbol, m.counter_account, m.counter_name, \
                m.message, o.number AS order_number, m.outcome, m.received_at \
           FROM bank_movements m LEFT JOIN orders o ON o.id = m.order_id \
          WHERE m.outcome NOT IN ('PAID', 'UNDERPAID') ORDER BY m.received_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}
