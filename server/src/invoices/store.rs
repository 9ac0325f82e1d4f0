//! All SQL of tax documents. Finding what is due reads the payment ledger and refunds (whose
//! owner is payments) and never writes them.

use chrono::NaiveDate;
use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, Transaction};

use super::document::{DocumentKind, TaxDocument};

/// An issued document.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DocumentRow {
    pub id: i64,
    pub number: String,
    pub kind: DocumentKind,
    pub access_key: String,
    pub content: Json<TaxDocument>,
}

const DOCUMENT: &str = "id, number, kind, access_key, content";

/// Orders paid in full without a document yet, with the Prague day of the payment that
/// completed them (the date of the taxable supply). Only orders with a payment in the last 30
/// days are looked at (the job runs every few seconds; the index on the ledger's time keeps the
/// round from reading every order ever paid).
pub(crate) async fn due_invoices(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> sqlx::Result<Vec<(i64, NaiveDate)>> {
    sqlx::query_as(
        "SELECT o.id, (max(l.created_at) AT TIME ZONE 'Europe/Prague')::date \
           FROM orders o JOIN payment_ledger l ON l.order_id = o.id AND l.kind = 'PAYMENT' \
          WHERE o.id IN (SELECT order_id FROM payment_ledger \
                          WHERE kind = 'PAYMENT' AND created_at > now() - interval '30 days') \
            AND NOT EXISTS (SELECT 1 FROM tax_documents d WHERE d.order_id = o.id AND d.kind <> 'CREDIT_NOTE') \
          GROUP BY o.id, o.total HAVING sum(l.amount) >= o.total ORDER BY o.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A finished refund without its credit note: (refund, order, amount, reason).
pub(crate) async fn due_credit_notes(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> sqlx::Result<Vec<(i64, i64, i64, String)>> {
    sqlx::query_as(
        "SELECT r.id, r.order_id, r.amount, r.reason FROM refunds r \
          WHERE r.status = 'FINALIZED' \
            AND NOT EXISTS (SELECT 1 FROM tax_documents d WHERE d.refund_id = r.id) \
            AND EXISTS (SELECT 1 FROM tax_documents d WHERE d.order_id = r.order_id AND d.kind <> 'CREDIT_NOTE') \
          ORDER BY r.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Today in Prague.
pub(crate) async fn today(db: impl PgExecutor<'_>) -> sqlx::Result<NaiveDate> {
    sqlx::query_scalar("SELECT (now() AT TIME ZONE 'Europe/Prague')::date")
        .fetch_one(db)
        .await
}

/// The next number of a yearly series, e.g. `FV2026000042`. The counter row stays locked until
/// the transaction ends, and rolls back with it: numbers have no gaps.
pub(crate) async fn next_number(
    tx: &mut Transaction<'_, Postgres>,
    series: &str,
    year: i32,
) -> sqlx::Result<String> {
    let last: i32 = sqlx::query_scalar(
        "INSERT INTO tax_document_counters (series, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (series, year) DO UPDATE SET last = tax_document_counters.last + 1 RETURNING last",
    )
    .bind(series)
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!("{series}{year}{last:06}"))
}

/// Keeps an issued document; `None` when the order (or refund) already has one.
pub(crate) async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    document: &TaxDocument,
    order_id: i64,
    refund: Option<(i64, i64)>,
    access_key: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO tax_documents (number, kind, order_id, refund_id, original_id, access_key, content) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(&document.number)
    .bind(document.kind)
    .bind(order_id)
    .bind(refund.map(|r| r.0))
    .bind(refund.map(|r| r.1))
    .bind(access_key)
    .bind(Json(document))
    .fetch_optional(&mut **tx)
    .await
}

/// The document with this number.
pub(crate) async fn by_number(
    db: impl PgExecutor<'_>,
    number: &str,
) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {DOCUMENT} FROM tax_documents WHERE number = $1"
    ))
    .bind(number)
    .fetch_optional(db)
    .await
}

/// An order's documents, oldest first.
pub(crate) async fn of_order(
    db: impl PgExecutor<'_>,
    order_id: i64,
) -> sqlx::Result<Vec<DocumentRow>> {
    sqlx::query_as(&format!(
        "SELECT {DOCUMENT} FROM tax_documents WHERE order_id = $1 ORDER BY id"
    ))
    .bind(order_id)
    .fetch_all(db)
    .await
}
