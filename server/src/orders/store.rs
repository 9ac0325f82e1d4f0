//! All SQL of orders.

use chrono::{DateTime, Datelike, Utc};
use serde_json::Value;
use sqlx::types::{Json, Uuid};
use sqlx::{PgExecutor, Postgres, Transaction};

use super::status::OrderStatus;
use crate::address::AddressFields;

/// An order as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Order {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub customer_id: Option<i64>,
    pub email: String,
    pub shipping_address: Json<AddressFields>,
    pub billing_address: Json<AddressFields>,
    pub shipping_method: String,
    pub pickup_point_id: Option<String>,
    /// The pickup point's name and address when the order was placed.
    pub pickup_point_name: Option<String>,
    pub pickup_point_address: Option<String>,
    pub payment_method: String,
    pub discount_code: Option<String>,
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub payment_fee: i64,
    /// Cash on delivery's rounding to whole crowns (outside the VAT base).
    pub rounding: i64,
    pub total: i64,
    pub vat_breakdown: Value,
    pub cart_fingerprint: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub created_at: DateTime<Utc>,
}

const ORDER_COLUMNS: &str = "id, number, status, customer_id, email::text AS email, shipping_address, billing_address, \
    shipping_method, pickup_point_id, pickup_point_name, pickup_point_address, payment_method, discount_code, subtotal, \
    discount, shipping, payment_fee, rounding, total, vat_breakdown, cart_fingerprint, carrier, tracking_number, created_at";

/// A new order's data.
pub(crate) struct NewOrder<'a> {
    /// The first status and its timeline note (see `service::opening`).
    pub opening: (OrderStatus, &'a str),
    pub customer_id: Option<i64>,
    pub email: &'a str,
    pub shipping_address: &'a AddressFields,
    pub billing_address: &'a AddressFields,
    pub shipping_method: &'a str,
    pub pickup_point_id: Option<&'a str>,
    pub pickup_point_name: Option<&'a str>,
    pub pickup_point_address: Option<&'a str>,
    pub payment_method: &'a str,
    pub discount_code: Option<&'a str>,
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub payment_fee: i64,
    pub rounding: i64,
    pub total: i64,
    pub vat_breakdown: Value,
    pub idempotency_key: &'a str,
    pub cart_fingerprint: &'a str,
    /// When the order is cancelled if still unpaid (`None`: paid on delivery).
    pub payment_due_at: Option<DateTime<Utc>>,
}

/// Gives the customer the guest orders placed from `cart_id` with their e-mail.
pub(crate) async fn claim_guest_orders(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    email: &str,
    cart_id: Uuid,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE orders SET customer_id = $1 \
         WHERE customer_id IS NULL AND cart_fingerprint = $2 AND email = $3::citext",
    )
    .bind(customer_id)
    .bind(cart_id.to_string())
    .bind(email)
    .execute(db)
    .await
    .map(|done| done.rows_affected())
}

/// The next order number of this year: `2026000123` (year and a sequence, no gaps between
/// committed orders: the counter row is locked until the order commits).
pub(crate) async fn next_number(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<String> {
    let year = Utc::now().year();
    let last: i32 = sqlx::query_scalar(
        "INSERT INTO order_number_counters (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = order_number_counters.last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!("{year}{last:06}"))
}

/// Inserts the order (in its opening status) with its first timeline entry.
pub(crate) async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    number: &str,
    o: &NewOrder<'_>,
) -> sqlx::Result<Order> {
    // The order and its first timeline entry in one statement.
    sqlx::query_as(&format!(
        "WITH o AS ( \
           INSERT INTO orders (number, status, customer_id, email, shipping_address, billing_address, shipping_method, \
                               pickup_point_id, payment_method, discount_code, subtotal, discount, shipping, payment_fee, \
                               total, vat_breakdown, idempotency_key, cart_fingerprint, payment_due_at, \
                               pickup_point_name, pickup_point_address, rounding) \
           VALUES ($1, $18, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                   $20, $21, $22, $23) \
           RETURNING {ORDER_COLUMNS}), \
         event AS ( \
           INSERT INTO order_events (order_id, actor_id, from_status, to_status, note) \
           SELECT id, $2, NULL, $18, $19 FROM o) \
         SELECT * FROM o"
    ))
    .bind(number)
    .bind(o.customer_id)
    .bind(o.email)
    .bind(Json(o.shipping_address))
    .bind(Json(o.billing_address))
    .bind(o.shipping_method)
    .bind(o.pickup_point_id)
    .bind(o.payment_method)
    .bind(o.discount_code)
    .bind(o.subtotal)
    .bind(o.discount)
    .bind(o.shipping)
    .bind(o.payment_fee)
    .bind(o.total)
    .bind(&o.vat_breakdown)
    .bind(o.idempotency_key)
    .bind(o.cart_fingerprint)
    .bind(o.opening.0)
    .bind(o.opening.1)
    .bind(o.payment_due_at)
    .bind(o.pickup_point_name)
    .bind(o.pickup_point_address)
    .bind(o.rounding)
    .fetch_one(&mut **tx)
    .await
}

/// A line of a new order, as it was bought.
#[derive(Debug, Clone)]
pub(crate) struct NewLine {
    pub variant_id: i64,
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub quantity: i32,
    pub unit_price: i64,
    pub vat_rate: crate::money::VatRate,
    pub total: i64,
}

/// Writes the lines of a new order, numbered in the given order, in one statement.
pub(crate) async fn insert_lines(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    lines: &[NewLine],
) -> sqlx::Result<()> {
    let column = |f: fn(&NewLine) -> String| lines.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO order_lines (order_id, position, variant_id, sku, product_name, variant_title, quantity, unit_price, vat_rate, total) \
         SELECT $1, l.position, l.variant_id, l.sku, l.product_name, l.variant_title, l.quantity, l.unit_price, l.vat_rate, l.total \
           FROM UNNEST($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::smallint[], $9::bigint[]) \
                WITH ORDINALITY AS l(variant_id, sku, product_name, variant_title, quantity, unit_price, vat_rate, total, position)",
    )
    .bind(order_id)
    .bind(lines.iter().map(|l| l.variant_id).collect::<Vec<_>>())
    .bind(column(|l| l.sku.clone()))
    .bind(column(|l| l.product_name.clone()))
    .bind(column(|l| l.variant_title.clone()))
    .bind(lines.iter().map(|l| l.quantity).collect::<Vec<_>>())
    .bind(lines.iter().map(|l| l.unit_price).collect::<Vec<_>>())
    .bind(
        lines
            .iter()
            .map(|l| i16::from(l.vat_rate.percent()))
            .collect::<Vec<_>>(),
    )
    .bind(lines.iter().map(|l| l.total).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub(crate) async fn by_idempotency_key(
    db: impl PgExecutor<'_>,
    key: &str,
) -> sqlx::Result<Option<Order>> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE idempotency_key = $1"
    ))
    .bind(key)
    .fetch_optional(db)
    .await
}

/// An order with its version (for optimistic locking).
#[derive(sqlx::FromRow)]
struct Versioned {
    #[sqlx(flatten)]
    order: Order,
    version: i32,
}

/// The order with this number and its version.
pub(crate) async fn by_number_with_version(
    db: impl PgExecutor<'_>,
    number: &str,
) -> sqlx::Result<Option<(Order, i32)>> {
    let row: Option<Versioned> = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS}, version FROM orders WHERE number = $1"
    ))
    .bind(number)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.order, r.version)))
}

/// A snapshotted line.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct OrderLine {
    pub order_id: i64,
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub quantity: i32,
    pub unit_price: i64,
    pub vat_rate: crate::money::VatRate,
    pub total: i64,
}

/// The lines of the given orders, each order's in position order.
pub(crate) async fn lines_of(
    db: impl PgExecutor<'_>,
    order_ids: &[i64],
) -> sqlx::Result<Vec<OrderLine>> {
    sqlx::query_as(
        "SELECT order_id, sku, product_name, variant_title, quantity, unit_price, vat_rate, total FROM order_lines \
          WHERE order_id = ANY ($1) ORDER BY order_id, position",
    )
    .bind(order_ids)
    .fetch_all(db)
    .await
}

/// A timeline entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Event {
    pub order_id: i64,
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub note: String,
}

/// The timelines of the given orders, oldest entry first.
pub(crate) async fn events_of(
    db: impl PgExecutor<'_>,
    order_ids: &[i64],
) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT order_id, occurred_at, from_status, to_status, note FROM order_events WHERE order_id = ANY ($1) ORDER BY id",
    )
    .bind(order_ids)
    .fetch_all(db)
    .await
}

/// The order with this number, locked until the transaction ends.
pub(crate) async fn by_number_for_update(
    tx: &mut Transaction<'_, Postgres>,
    number: &str,
) -> sqlx::Result<Option<(Order, i32)>> {
    let row: Option<Versioned> = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS}, version FROM orders WHERE number = $1 FOR UPDATE"
    ))
    .bind(number)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.order, r.version)))
}

/// Moves an order to `to`, bumps its version and writes the timeline entry.
pub(crate) async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    order: &Order,
    to: OrderStatus,
    actor_id: Option<i64>,
    note: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE orders SET status = $2, version = version + 1, updated_at = now() WHERE id = $1",
    )
    .bind(order.id)
    .bind(to)
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO order_events (order_id, actor_id, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(order.id)
        .bind(actor_id)
        .bind(order.status)
        .bind(to)
        .bind(note)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub(crate) async fn set_tracking(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    carrier: &str,
    tracking_number: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET carrier = $2, tracking_number = $3, version = version + 1, updated_at = now() WHERE id = $1")
        .bind(order_id)
        .bind(carrier)
        .bind(tracking_number)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub(crate) async fn add_note(
    db: impl PgExecutor<'_>,
    order_id: i64,
    author_id: i64,
    note: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO order_notes (order_id, author_id, note) VALUES ($1, $2, $3)")
        .bind(order_id)
        .bind(author_id)
        .bind(note)
        .execute(db)
        .await
        .map(|_| ())
}

/// Staff notes of an order, oldest first: (when, note).
pub(crate) async fn notes(
    db: impl PgExecutor<'_>,
    order_id: i64,
) -> sqlx::Result<Vec<(DateTime<Utc>, String)>> {
    sqlx::query_as("SELECT created_at, note FROM order_notes WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(db)
        .await
}

/// Which orders an admin lists.
#[derive(Debug, Default, Clone)]
pub(crate) struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub customer_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub min_total: Option<i64>,
    pub max_total: Option<i64>,
    /// Only guest orders (`true`) or only customers' (`false`).
    pub guest: Option<bool>,
}

/// Orders passing `filter`, newest first.
pub(crate) async fn list(
    db: impl PgExecutor<'_>,
    filter: &OrderFilter,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<(Order, i32)>> {
    let rows: Vec<Versioned> = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS}, version FROM orders \
          WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR customer_id = $2) \
            AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4) \
            AND ($5::bigint IS NULL OR total >= $5) AND ($6::bigint IS NULL OR total <= $6) \
            AND ($9::boolean IS NULL OR (customer_id IS NULL) = $9) \
          ORDER BY created_at DESC, id DESC OFFSET $7 LIMIT $8"
    ))
    .bind(filter.status)
    .bind(filter.customer_id)
    .bind(filter.from)
    .bind(filter.to)
    .bind(filter.min_total)
    .bind(filter.max_total)
    .bind(offset)
    .bind(limit)
    .bind(filter.guest)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.order, r.version)).collect())
}

/// Numbers of unpaid orders whose payment window closed, claimed for this transaction (other
/// instances skip them).
pub(crate) async fn claim_overdue(
    tx: &mut Transaction<'_, Postgres>,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT number FROM orders WHERE status = 'PENDING_PAYMENT' AND payment_due_at < now() \
          ORDER BY payment_due_at LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Sets how an unpaid order is to be paid and until when (a new card attempt, or a switch to
/// bank transfer).
pub(crate) async fn set_payment_terms(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    payment_method: &str,
    due_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET payment_method = $2, payment_due_at = $3, version = version + 1 WHERE id = $1")
        .bind(order_id)
        .bind(payment_method)
        .bind(due_at)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Flags a cancelled order that was paid anyway, for admins.
pub(crate) async fn flag_paid_late(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET paid_late = true WHERE id = $1")
        .bind(order_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Numbers of orders paid after they were cancelled, newest first.
pub(crate) async fn paid_late(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT number FROM orders WHERE paid_late ORDER BY created_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The number of the order with this id.
pub(crate) async fn number_of(db: impl PgExecutor<'_>, order_id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT number FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(db)
        .await
}

/// The newest order of a customer, or (for a guest) placed from the cart `cart_fingerprint`.
pub(crate) async fn latest_of(
    db: impl PgExecutor<'_>,
    customer_id: Option<i64>,
    cart_fingerprint: Option<&str>,
) -> sqlx::Result<Option<Order>> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders \
          WHERE ($1::bigint IS NOT NULL AND customer_id = $1) \
             OR ($1::bigint IS NULL AND customer_id IS NULL AND cart_fingerprint = $2) \
          ORDER BY created_at DESC LIMIT 1"
    ))
    .bind(customer_id)
    .bind(cart_fingerprint)
    .fetch_optional(db)
    .await
}

/// Whether the customer has received (an order delivered) any of these variants.
pub(crate) async fn received_any(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    variant_ids: &[i64],
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id \
         WHERE o.customer_id = $1 AND o.status = 'DELIVERED' AND l.variant_id = ANY ($2))",
    )
    .bind(customer_id)
    .bind(variant_ids)
    .fetch_one(db)
    .await
}
