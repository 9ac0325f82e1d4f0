//! The rules of checking out: validating each step, pricing, and placing the order.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::types::{Json, Uuid};
use sqlx::{PgPool, Postgres, Transaction};

use super::rules::{self, Discount, Line, PaymentMethod, ShippingMethod, Totals};
use super::store::{self, CheckoutState, DiscountCode, DiscountKind};
use super::{CheckoutError, DiscountProblem, Field, Problem};
use crate::address::AddressFields;
use crate::cache::Redis;
use crate::cart;
use crate::catalog::{self, store::VariantLabel};
use crate::inventory::store::Reservation;
use crate::mail::{outbox, templates};
use crate::orders::store as orders;
use crate::pickup_points::{self, PickupPoint};
use crate::rate_limit::{self, GUEST_ORDERS_PER_IP, GUEST_ORDERS_PER_MAILBOX};

/// A change of the checkout; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct Patch {
    pub email: Option<String>,
    pub shipping_address: Option<AddressFields>,
    pub billing_address: Option<AddressFields>,
    pub shipping_method: Option<ShippingMethod>,
    pub pickup_point_id: Option<String>,
    pub payment_method: Option<PaymentMethod>,
    /// `Some("")` removes the code.
    pub discount_code: Option<String>,
}

/// A checkout with its prices, recomputed from the current catalog.
pub(crate) struct Summary {
    pub cart_id: Uuid,
    pub state: CheckoutState,
    pub lines: Vec<cart::store::PricedLine>,
    pub totals: Totals,
    /// Why the chosen discount code does not apply now, if it does not.
    pub discount_problem: Option<DiscountProblem>,
}

/// Applies `patch` to the checkout of a cart the caller may use; all or nothing.
pub(crate) async fn update(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
    patch: Patch,
) -> Result<(), CheckoutError> {
    cart::service::usable(pool, customer, cart_id).await?;
    let mut state = store::state(pool, cart_id).await?;
    let mut problems = Vec::new();
    if let Some(email) = patch.email {
        match crate::accounts::validate::email(&email) {
            Ok(email) => state.email = Some(email),
            Err(message) => problems.push(Problem::InvalidEmail(message)),
        }
    }
    if let Some(address) = patch.shipping_address {
        state.shipping_address = Some(Json(address));
    }
    if let Some(address) = patch.billing_address {
        state.billing_address = Some(Json(address));
    }
    if let Some(method) = patch.shipping_method {
        state.shipping_method = Some(method.code().to_owned());
        if !method.needs_pickup_point() {
            state.pickup_point_id = None;
        }
    }
    if let Some(point) = patch.pickup_point_id {
        match pickup_points::service::find_active(pool, &point).await? {
            Some(point) => state.pickup_point_id = Some(point.id),
            None => problems.push(Problem::InvalidPickupPoint),
        }
    }
    if let Some(method) = patch.payment_method {
        state.payment_method = Some(method.code().to_owned());
    }
    if let Some(code) = patch.discount_code.map(|c| c.trim().to_owned()) {
        if code.is_empty() {
            state.discount_code = None;
        } else {
            match store::discount(pool, &code).await? {
                Some(discount) => state.discount_code = Some(discount.code),
                None => problems.push(Problem::UnknownDiscountCode),
            }
        }
    }
    if !problems.is_empty() {
        return Err(CheckoutError::Rejected(problems));
    }
    let mut tx = pool.begin().await?;
    store::save(&mut tx, cart_id, &state).await?;
    tx.commit().await?;
    Ok(())
}

/// The checkout of a cart the caller may use, priced now.
pub(crate) async fn summary(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
) -> Result<Summary, CheckoutError> {
    cart::service::usable(pool, customer, cart_id).await?;
    let state = store::state(pool, cart_id).await?;
    let lines = cart::store::priced_lines(pool, cart_id).await?;
    let code = match &state.discount_code {
        Some(code) => store::discount(pool, code).await?,
        None => None,
    };
    let (totals, discount_problem) = price(&state, &lines, code.as_ref(), None);
    Ok(Summary {
        cart_id,
        state,
        lines,
        totals,
        discount_problem,
    })
}

/// Prices the lines with the checkout's choices; a discount that does not apply is left out and
/// said why. `uses` are the customer's earlier uses of the code, when known.
fn price(
    state: &CheckoutState,
    lines: &[cart::store::PricedLine],
    code: Option<&DiscountCode>,
    uses: Option<i64>,
) -> (Totals, Option<DiscountProblem>) {
    let priced: Vec<Line> = lines
        .iter()
        .map(|l| Line {
            gross: l.total(),
            rate: l.vat_rate,
        })
        .collect();
    let subtotal: i64 = priced.iter().map(|l| l.gross).sum();
    let (discount, problem) = match code {
        Some(code) => match discount_problem(code, subtotal, uses) {
            None => (
                Some(match code.kind {
                    DiscountKind::Percent => Discount::Percent(code.value),
                    DiscountKind::Fixed => Discount::Fixed(code.value),
                }),
                None,
            ),
            Some(problem) => (None, Some(problem)),
        },
        None => (None, None),
    };
    let totals = rules::totals(&priced, discount, state.shipping(), state.payment());
    (totals, problem)
}

fn discount_problem(
    code: &DiscountCode,
    subtotal: i64,
    uses: Option<i64>,
) -> Option<DiscountProblem> {
    let now = Utc::now();
    if code.starts_at.is_some_and(|t| t > now) || code.ends_at.is_some_and(|t| t <= now) {
        return Some(DiscountProblem::NotActive);
    }
    if code
        .usage_limit
        .is_some_and(|limit| code.used_count >= limit)
    {
        return Some(DiscountProblem::Exhausted);
    }
    if code
        .per_customer_limit
        .zip(uses)
        .is_some_and(|(limit, uses)| uses >= i64::from(limit))
    {
        return Some(DiscountProblem::AlreadyUsed);
    }
    if subtotal < code.min_order {
        return Some(DiscountProblem::BelowMinimum);
    }
    None
}

/// Places the order of a cart. The same idempotency key returns the same order (also to a retry
/// running at the same time); with another cart it is refused. Only a caller who may use the
/// cart learns anything about its order. In one transaction: stock reserved line by line (never below zero), the
/// order snapshotted with a new number, the discount counted, the cart emptied, the confirmation
/// queued. Returns the order number.
pub(crate) async fn complete(
    pool: &PgPool,
    redis: &Redis,
    buyer: Buyer<'_>,
    cart_id: Uuid,
    key: &str,
) -> Result<String, CheckoutError> {
    let Buyer {
        customer,
        ip,
        payment_windows,
        account,
    } = buyer;
    let fingerprint = cart_id.to_string();
    cart::service::usable(pool, customer, cart_id).await?;
    if let Some(existing) = orders::by_idempotency_key(pool, key).await? {
        return replay(existing, &fingerprint);
    }
    // Sold out already: say so without queueing for the stock rows, and without counting the
    // attempt against a guest's order limit (under a rush most buyers learn it here).
    let unlocked = cart::store::priced_lines(pool, cart_id).await?;
    if let Some((index, line)) = unlocked
        .iter()
        .enumerate()
        .find(|(_, l)| l.available < l.quantity)
    {
        return Err(Problem::OutOfStock {
            line: index,
            available: Some(line.available),
        }
        .into());
    }
    if customer.is_none() {
        let email = store::state(pool, cart_id).await?.email;
        limit_guest_orders(redis, ip, email.as_deref()).await?;
    }
    let mut tx = pool.begin().await?;
    cart::store::cart_for_update(&mut tx, cart_id).await?;
    // A retry with the same key that waited for the cart's lock finds the order its twin placed.
    if let Some(existing) = orders::by_idempotency_key(&mut *tx, key).await? {
        return replay(existing, &fingerprint);
    }
    let state = store::state(&mut *tx, cart_id).await?;
    let lines = cart::store::priced_lines(&mut *tx, cart_id).await?;
    let mut ready = Ready::check(&state, &lines)?;
    ready.pickup_point = match (&state.pickup_point_id, ready.shipping.needs_pickup_point()) {
        // Points close: the order is placed only at one that still takes parcels.
        (Some(id), true) => Some(
            pickup_points::service::find_active(pool, id)
                .await?
                .ok_or(Problem::InvalidPickupPoint)?,
        ),
        _ => None,
    };
    let code = match &state.discount_code {
        Some(code) => store::discount_for_update(&mut tx, code).await?,
        None => None,
    };
    // Limits per person count mailboxes: `Jana+2@…` is Jana again.
    let mailbox = crate::accounts::validate::mailbox(&ready.email);
    let uses = match &code {
        Some(code) => Some(store::redemptions_by(&mut *tx, code.id, customer, &mailbox).await?),
        None => None,
    };
    let (totals, problem) = price(&state, &lines, code.as_ref(), uses);
    if let Some(problem) = problem {
        return Err(Problem::DiscountNotApplicable(problem).into());
    }
    let reservations = reserve(&mut tx, &lines).await?;
    let terms = Terms {
        customer,
        key,
        fingerprint: &fingerprint,
        payment_due_at: payment_windows.due(ready.payment, Utc::now()),
    };
    let order = match snapshot(&mut tx, &ready, code.as_ref(), &totals, &terms).await {
        Ok(order) => order,
        // A concurrent request with the same key won the race: answer with its order.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            drop(tx);
            let existing = orders::by_idempotency_key(pool, key)
                .await?
                .ok_or(sqlx::Error::RowNotFound)?;
            return replay(existing, &fingerprint);
        }
        Err(error) => return Err(error.into()),
    };
    crate::inventory::store::record_reservations(&mut tx, order.id, &reservations).await?;
    let order_lines = order_lines(&mut tx, &lines).await?;
    orders::insert_lines(&mut tx, order.id, &order_lines).await?;
    if let Some(code) = &code {
        store::redeem(&mut tx, code.id, order.id, customer, &mailbox).await?;
    }
    cart::store::clear_lines(&mut tx, cart_id).await?;
    store::delete(&mut tx, cart_id).await?;
    let transfer = account.filter(|_| ready.payment == PaymentMethod::BankTransfer);
    let confirmation =
        templates::order_confirmation(&ready.email, &order.number, totals.total, transfer.as_ref());
    outbox::enqueue(&mut *tx, &confirmation).await?;
    tx.commit().await?;
    // Stock changed: cached listings and pages make way on every instance.
    crate::catalog::catalog_changed(redis).await;
    Ok(order.number)
}

/// Everything an order needs, checked: what `complete` works with once the checkout is filled.
struct Ready {
    email: String,
    shipping_address: AddressFields,
    billing_address: AddressFields,
    shipping: ShippingMethod,
    payment: PaymentMethod,
    /// The open pickup point the parcel goes to, when the shipping method needs one.
    pickup_point: Option<PickupPoint>,
}

impl Ready {
    /// The checkout's choices, or an error for everything that is still missing.
    fn check(
        state: &CheckoutState,
        lines: &[cart::store::PricedLine],
    ) -> Result<Self, CheckoutError> {
        let mut missing = Vec::new();
        if lines.is_empty() {
            missing.push(Problem::EmptyCart);
        }
        let (shipping, payment) = (state.shipping(), state.payment());
        let shipping_address = state.shipping_address.as_ref().map(|a| a.0.clone());
        if state.email.is_none() {
            missing.push(Problem::Missing(Field::Email));
        }
        if shipping_address.is_none() {
            missing.push(Problem::Missing(Field::ShippingAddress));
        }
        match shipping {
            None => missing.push(Problem::Missing(Field::ShippingMethod)),
            Some(method) if method.needs_pickup_point() && state.pickup_point_id.is_none() => {
                missing.push(Problem::Missing(Field::PickupPoint));
            }
            Some(_) => {}
        }
        let has_phone = shipping_address.as_ref().is_some_and(|a| a.phone.is_some());
        if shipping.is_some_and(ShippingMethod::is_carrier) && !has_phone {
            missing.push(Problem::Missing(Field::Phone));
        }
        if payment.is_none() {
            missing.push(Problem::Missing(Field::PaymentMethod));
        }
        match (state.email.clone(), shipping_address, shipping, payment) {
            (Some(email), Some(shipping_address), Some(shipping), Some(payment))
                if missing.is_empty() =>
            {
                let billing_address = state
                    .billing_address
                    .as_ref()
                    .map_or_else(|| shipping_address.clone(), |a| a.0.clone());
                Ok(Self {
                    email,
                    shipping_address,
                    billing_address,
                    shipping,
                    payment,
                    pickup_point: None,
                })
            }
            _ => Err(CheckoutError::Rejected(missing)),
        }
    }
}

/// Reserves every line's stock. A buyer who comes too late learns it before touching the order
/// counter, whose row lock would otherwise queue every buyer behind every other. Lines are
/// reserved in one global order (by variant) so that concurrent orders cannot deadlock.
async fn reserve(
    tx: &mut Transaction<'_, Postgres>,
    lines: &[cart::store::PricedLine],
) -> Result<Vec<Reservation>, CheckoutError> {
    let mut by_variant: Vec<(usize, &cart::store::PricedLine)> = lines.iter().enumerate().collect();
    by_variant.sort_by_key(|(_, line)| line.variant_id);
    let mut reservations = Vec::with_capacity(lines.len());
    for (index, line) in by_variant {
        let Some(warehouse) =
            crate::inventory::store::reserve(tx, line.variant_id, line.quantity).await?
        else {
            let problem = Problem::OutOfStock {
                line: index,
                available: None,
            };
            return Err(problem.into());
        };
        reservations.push((line.variant_id, warehouse, line.quantity));
    }
    Ok(reservations)
}

/// Who orders under which key, and until when it must be paid.
struct Terms<'a> {
    customer: Option<i64>,
    key: &'a str,
    fingerprint: &'a str,
    payment_due_at: Option<chrono::DateTime<Utc>>,
}

/// Writes the order as it is now (prices, names, addresses) under a new number.
async fn snapshot(
    tx: &mut Transaction<'_, Postgres>,
    ready: &Ready,
    code: Option<&DiscountCode>,
    totals: &Totals,
    terms: &Terms<'_>,
) -> sqlx::Result<orders::Order> {
    let number = orders::next_number(tx).await?;
    let vat_breakdown: Vec<_> = totals
        .vat
        .iter()
        .map(|v| (v.rate, v.net.minor(), v.vat.minor(), v.gross.minor()))
        .collect();
    let pickup_address = ready.pickup_point.as_ref().map(PickupPoint::address);
    let new_order = orders::NewOrder {
        opening: crate::orders::service::opening(ready.payment),
        customer_id: terms.customer,
        email: &ready.email,
        shipping_address: &ready.shipping_address,
        billing_address: &ready.billing_address,
        shipping_method: ready.shipping.code(),
        pickup_point_id: ready.pickup_point.as_ref().map(|p| p.id.as_str()),
        pickup_point_name: ready.pickup_point.as_ref().map(|p| p.name.as_str()),
        pickup_point_address: pickup_address.as_deref(),
        payment_method: ready.payment.code(),
        discount_code: code.map(|c| c.code.as_str()),
        subtotal: totals.subtotal,
        discount: totals.discount,
        shipping: totals.shipping,
        payment_fee: totals.payment_fee,
        rounding: totals.rounding,
        total: totals.total,
        vat_breakdown: serde_json::json!(vat_breakdown),
        idempotency_key: terms.key,
        cart_fingerprint: terms.fingerprint,
        payment_due_at: terms.payment_due_at,
    };
    orders::insert(tx, &number, &new_order).await
}

/// The cart's lines as the order keeps them: priced as the cart prices them, labelled as the
/// catalog names them now.
async fn order_lines(
    tx: &mut Transaction<'_, Postgres>,
    lines: &[cart::store::PricedLine],
) -> sqlx::Result<Vec<orders::NewLine>> {
    let ids: Vec<i64> = lines.iter().map(|l| l.variant_id).collect();
    let mut labels: HashMap<i64, VariantLabel> = catalog::store::variant_labels(&mut **tx, &ids)
        .await?
        .into_iter()
        .map(|label| (label.id, label))
        .collect();
    lines
        .iter()
        .map(|line| {
            let label = labels
                .remove(&line.variant_id)
                .ok_or(sqlx::Error::RowNotFound)?;
            Ok(orders::NewLine {
                variant_id: line.variant_id,
                sku: label.sku,
                product_name: label.product_name,
                variant_title: label.title,
                quantity: line.quantity,
                unit_price: line.price_gross,
                vat_rate: line.vat_rate,
                total: line.total(),
            })
        })
        .collect()
}

/// Who places an order.
#[derive(Debug, Clone)]
pub(crate) struct Buyer<'a> {
    /// The signed-in customer; `None` for a guest.
    pub customer: Option<i64>,
    /// The client's address.
    pub ip: Option<&'a str>,
    /// How long an unpaid order waits.
    pub payment_windows: crate::delivery::PaymentWindows,
    /// Where a transfer goes (told in the confirmation).
    pub account: Option<crate::delivery::ShopAccount>,
}

/// A guest order reserves stock and sends an e-mail to any address: guests may try only so many
/// per address and per mailbox (`RATE_LIMITED` beyond).
async fn limit_guest_orders(
    redis: &Redis,
    ip: Option<&str>,
    email: Option<&str>,
) -> Result<(), CheckoutError> {
    rate_limit::check(redis, GUEST_ORDERS_PER_IP, ip.unwrap_or("-")).await?;
    if let Some(email) = email {
        let mailbox = crate::accounts::validate::mailbox(email);
        rate_limit::check(redis, GUEST_ORDERS_PER_MAILBOX, &mailbox).await?;
    }
    Ok(())
}

/// The order a retry with the same key asks for, unless the key belongs to another cart's order.
fn replay(existing: orders::Order, fingerprint: &str) -> Result<String, CheckoutError> {
    if existing.cart_fingerprint == fingerprint {
        Ok(existing.number)
    } else {
        Err(Problem::IdempotencyKeyReused.into())
    }
}
