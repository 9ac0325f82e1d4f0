//! All SQL of carts.

use chrono::{DateTime, Utc};
use sqlx::types::Uuid;
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

use super::GUEST_CART_LIFETIME;
use crate::money::VatRate;

/// A cart as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Cart {
    /// The cart's secret id.
    pub id: Uuid,
    /// The owner; `None` for a guest cart.
    pub customer_id: Option<i64>,
    /// The last change (a guest cart expires after its lifetime).
    pub updated_at: DateTime<Utc>,
}

/// A line with its variant's current price, VAT rate and stock.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PricedLine {
    /// The variant bought.
    pub variant_id: i64,
    /// Units.
    pub quantity: i32,
    /// The unit price now, VAT included, in haléře.
    pub price_gross: i64,
    /// The variant's VAT rate.
    pub vat_rate: VatRate,
    /// Units in stock now.
    pub available: i32,
}

impl PricedLine {
    /// The line's price: unit price times quantity, VAT included. The one place a line is
    /// priced.
    pub fn total(&self) -> i64 {
        self.price_gross * i64::from(self.quantity)
    }
}

const LIVE: &str = "(customer_id IS NOT NULL OR updated_at > now() - make_interval(secs => $2))";

fn lifetime_secs() -> f64 {
    GUEST_CART_LIFETIME.as_secs_f64()
}

/// A live cart (guest carts expire), not locked.
pub async fn cart(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Cart>> {
    sqlx::query_as(&format!(
        "SELECT id, customer_id, updated_at FROM carts WHERE id = $1 AND {LIVE}"
    ))
    .bind(id)
    .bind(lifetime_secs())
    .fetch_optional(db)
    .await
}

/// A live cart, locked until the transaction ends (changes to one cart happen one at a time).
pub async fn cart_for_update(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> sqlx::Result<Option<Cart>> {
    sqlx::query_as(&format!(
        "SELECT id, customer_id, updated_at FROM carts WHERE id = $1 AND {LIVE} FOR UPDATE"
    ))
    .bind(id)
    .bind(lifetime_secs())
    .fetch_optional(&mut **tx)
    .await
}

/// The customer's cart, if they have one.
pub async fn customer_cart(
    db: impl PgExecutor<'_>,
    customer_id: i64,
) -> sqlx::Result<Option<Cart>> {
    sqlx::query_as("SELECT id, customer_id, updated_at FROM carts WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(db)
        .await
}

/// The customer's cart, created when they have none; locked.
pub async fn customer_cart_for_update(
    tx: &mut Transaction<'_, Postgres>,
    customer_id: i64,
) -> sqlx::Result<Cart> {
    sqlx::query("INSERT INTO carts (id, customer_id) VALUES ($1, $2) ON CONFLICT (customer_id) WHERE customer_id IS NOT NULL DO NOTHING")
        .bind(Uuid::new_v4())
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query_as(
        "SELECT id, customer_id, updated_at FROM carts WHERE customer_id = $1 FOR UPDATE",
    )
    .bind(customer_id)
    .fetch_one(&mut **tx)
    .await
}

/// Creates an empty guest cart.
pub async fn insert_guest_cart(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<Cart> {
    sqlx::query_as("INSERT INTO carts (id) VALUES ($1) RETURNING id, customer_id, updated_at")
        .bind(Uuid::new_v4())
        .fetch_one(&mut **tx)
        .await
}

/// The cart's lines with current prices and stock, oldest first.
pub async fn priced_lines(db: impl PgExecutor<'_>, cart_id: Uuid) -> sqlx::Result<Vec<PricedLine>> {
    sqlx::query_as(
        "SELECT l.variant_id, l.quantity, v.price_gross, v.vat_rate, v.stock_quantity AS available \
           FROM cart_lines l JOIN product_variants v ON v.id = l.variant_id \
          WHERE l.cart_id = $1 ORDER BY l.added_at, l.variant_id",
    )
    .bind(cart_id)
    .fetch_all(db)
    .await
}

/// Sets the quantity of a line, adding it if missing.
pub async fn set_line(
    tx: &mut Transaction<'_, Postgres>,
    cart_id: Uuid,
    variant_id: i64,
    quantity: i32,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES ($1, $2, $3) \
         ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity",
    )
    .bind(cart_id)
    .bind(variant_id)
    .bind(quantity)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Takes the lines of these variants out of a cart.
pub async fn remove_lines(
    tx: &mut Transaction<'_, Postgres>,
    cart_id: Uuid,
    variant_ids: &[i64],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND variant_id = ANY ($2)")
        .bind(cart_id)
        .bind(variant_ids)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Takes every line out of a cart (its order was placed).
pub async fn clear_lines(tx: &mut Transaction<'_, Postgres>, cart_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1")
        .bind(cart_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Notes that a cart changed now (guest carts live while used).
pub async fn touch(tx: &mut Transaction<'_, Postgres>, cart_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("UPDATE carts SET updated_at = now() WHERE id = $1")
        .bind(cart_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Deletes a cart with its lines.
pub async fn delete_cart(tx: &mut Transaction<'_, Postgres>, cart_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM carts WHERE id = $1")
        .bind(cart_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Deletes guest carts untouched for longer than their lifetime; returns how many.
pub async fn delete_expired_guest_carts(pool: &PgPool) -> sqlx::Result<u64> {
    let result = sqlx::query("DELETE FROM carts WHERE customer_id IS NULL AND updated_at <= now() - make_interval(secs => $1)")
        .bind(lifetime_secs())
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}
