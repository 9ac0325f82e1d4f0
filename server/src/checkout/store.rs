//! All SQL of checkouts and discount codes.

use chrono::{DateTime, Utc};
use sqlx::types::{Json, Uuid};
use sqlx::{PgExecutor, Postgres, Transaction};

use crate::address::AddressFields;
use crate::delivery::{PaymentMethod, ShippingMethod};

/// What a shopper has chosen so far.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub(crate) struct CheckoutState {
    pub email: Option<String>,
    pub shipping_address: Option<Json<AddressFields>>,
    pub billing_address: Option<Json<AddressFields>>,
    pub shipping_method: Option<String>,
    pub pickup_point_id: Option<String>,
    pub payment_method: Option<String>,
    pub discount_code: Option<String>,
}

impl CheckoutState {
    /// The chosen shipping method, if one is chosen.
    pub(crate) fn shipping(&self) -> Option<ShippingMethod> {
        self.shipping_method
            .as_deref()
            .and_then(ShippingMethod::parse)
    }

    /// The chosen payment method, if one is chosen.
    pub(crate) fn payment(&self) -> Option<PaymentMethod> {
        self.payment_method
            .as_deref()
            .and_then(PaymentMethod::parse)
    }
}

pub(crate) async fn state(db: impl PgExecutor<'_>, cart_id: Uuid) -> sqlx::Result<CheckoutState> {
    let state: Option<CheckoutState> = sqlx::query_as(
        "SELECT email::text AS email, shipping_address, billing_address, shipping_method, pickup_point_id, payment_method, \
                discount_code::text AS discount_code FROM checkouts WHERE cart_id = $1",
    )
    .bind(cart_id)
    .fetch_optional(db)
    .await?;
    Ok(state.unwrap_or_default())
}

pub(crate) async fn save(
    tx: &mut Transaction<'_, Postgres>,
    cart_id: Uuid,
    s: &CheckoutState,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO checkouts (cart_id, email, shipping_address, billing_address, shipping_method, pickup_point_id, \
                                payment_method, discount_code, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) \
         ON CONFLICT (cart_id) DO UPDATE SET email = EXCLUDED.email, shipping_address = EXCLUDED.shipping_address, \
                billing_address = EXCLUDED.billing_address, shipping_method = EXCLUDED.shipping_method, \
                pickup_point_id = EXCLUDED.pickup_point_id, payment_method = EXCLUDED.payment_method, \
                discount_code = EXCLUDED.discount_code, updated_at = now()",
    )
    .bind(cart_id)
    .bind(&s.email)
    .bind(&s.shipping_address)
    .bind(&s.billing_address)
    .bind(&s.shipping_method)
    .bind(&s.pickup_point_id)
    .bind(&s.payment_method)
    .bind(&s.discount_code)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Forgets the checkout of a cart (after its order is placed).
pub(crate) async fn delete(tx: &mut Transaction<'_, Postgres>, cart_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM checkouts WHERE cart_id = $1")
        .bind(cart_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// How a discount code takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiscountKind {
    /// `value` percent of the goods.
    Percent,
    /// `value` haléř off the goods.
    Fixed,
}

impl DiscountKind {
    /// The stored name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Percent => "PERCENT",
            Self::Fixed => "FIXED",
        }
    }
}

crate::db::text_enum!(DiscountKind, "discount kind", [Self::Percent, Self::Fixed]);

/// A discount code.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DiscountCode {
    pub id: i64,
    pub code: String,
    pub kind: DiscountKind,
    pub value: i64,
    pub min_order: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub used_count: i32,
}

const DISCOUNT_COLUMNS: &str = "id, code::text AS code, kind, value, min_order, starts_at, ends_at, usage_limit, per_customer_limit, used_count";

pub(crate) async fn discount(
    db: impl PgExecutor<'_>,
    code: &str,
) -> sqlx::Result<Option<DiscountCode>> {
    sqlx::query_as(&format!(
        "SELECT {DISCOUNT_COLUMNS} FROM discount_codes WHERE code = $1::citext"
    ))
    .bind(code)
    .fetch_optional(db)
    .await
}

/// The code, locked until the order commits (usage limits are checked and counted under it).
pub(crate) async fn discount_for_update(
    tx: &mut Transaction<'_, Postgres>,
    code: &str,
) -> sqlx::Result<Option<DiscountCode>> {
    sqlx::query_as(&format!(
        "SELECT {DISCOUNT_COLUMNS} FROM discount_codes WHERE code = $1::citext FOR UPDATE"
    ))
    .bind(code)
    .fetch_optional(&mut **tx)
    .await
}

/// How often a customer (by account or e-mail) used a code.
/// Earlier uses of a discount by the customer or by the mailbox (see
/// `accounts::validate::mailbox`).
pub(crate) async fn redemptions_by(
    db: impl PgExecutor<'_>,
    discount_id: i64,
    customer_id: Option<i64>,
    email: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM discount_redemptions WHERE discount_id = $1 AND (customer_id = $2 OR email = $3::citext)")
        .bind(discount_id)
        .bind(customer_id)
        .bind(email)
        .fetch_one(db)
        .await
}

/// Counts a use of a discount by the customer (if signed in) and the mailbox.
pub(crate) async fn redeem(
    tx: &mut Transaction<'_, Postgres>,
    discount_id: i64,
    order_id: i64,
    customer_id: Option<i64>,
    email: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO discount_redemptions (discount_id, order_id, customer_id, email) VALUES ($1, $2, $3, $4)")
        .bind(discount_id)
        .bind(order_id)
        .bind(customer_id)
        .bind(email)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE discount_codes SET used_count = used_count + 1 WHERE id = $1")
        .bind(discount_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
