//! The rules of checking out: validating each step, pricing, and placing the order.

use chrono::Utc;
use sqlx::types::{Json, Uuid};
use sqlx::{PgPool, Postgres, Transaction};

use super::rules::{self, Discount, Line, PaymentMethod, ShippingMethod, Totals};
use super::store::{self, CheckoutState, DiscountCode, DiscountKind};
use crate::address::AddressFields;
use crate::cache::Redis;
use crate::cart;
use crate::graphql::user_error::UserError;
use crate::inventory::store::Reservation;
use crate::mail::{outbox, templates};
use crate::orders::store as orders;
use crate::rate_limit::{self, GUEST_ORDERS_PER_IP, GUEST_ORDERS_PER_MAILBOX};

/// A change of the checkout; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct Patch {
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
pub struct Summary {
    pub cart_id: Uuid,
    pub state: CheckoutState,
    pub lines: Vec<cart::store::PricedLine>,
    pub totals: Totals,
    /// Why the chosen discount code does not apply now, if it does not.
    pub discount_problem: Option<&'static str>,
}

/// Applies `patch` to the checkout of a cart the caller may use; all or nothing.
pub async fn update(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
    patch: Patch,
) -> async_graphql::Result<Result<(), Vec<UserError>>> {
    cart::service::usable(pool, customer, cart_id).await?;
    let mut state = store::state(pool, cart_id).await?;
    let mut errors = Vec::new();
    if let Some(email) = patch.email {
        match crate::accounts::validate::email(&email) {
            Ok(email) => state.email = Some(email),
            Err(message) => errors.push(UserError::on("email", "INVALID", message)),
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
    if let Some(point) = patch.pickup_point_id.map(|p| p.trim().to_owned()) {
        if point.is_empty() || point.len() > 32 || !point.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            errors.push(UserError::on(
                "pickupPointId",
                "INVALID",
                "Neplatné číslo výdejního místa.",
            ));
        } else {
            state.pickup_point_id = Some(point);
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
                None => errors.push(UserError::on(
                    "discountCode",
                    "INVALID_DISCOUNT_CODE",
                    "Tento slevový kód neexistuje.",
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut tx = pool.begin().await?;
    store::save(&mut tx, cart_id, &state).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The checkout of a cart the caller may use, priced now.
pub async fn summary(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
) -> async_graphql::Result<Summary> {
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
) -> (Totals, Option<&'static str>) {
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

fn discount_problem(code: &DiscountCode, subtotal: i64, uses: Option<i64>) -> Option<&'static str> {
    let now = Utc::now();
    if code.starts_at.is_some_and(|t| t > now) || code.ends_at.is_some_and(|t| t <= now) {
        return Some("Slevový kód teď neplatí.");
    }
    if code
        .usage_limit
        .is_some_and(|limit| code.used_count >= limit)
    {
        return Some("Slevový kód je vyčerpaný.");
    }
    if code
        .per_customer_limit
        .zip(uses)
        .is_some_and(|(limit, uses)| uses >= i64::from(limit))
    {
        return Some("Tento slevový kód jste už využili.");
    }
    if subtotal < code.min_order {
        return Some("Na slevový kód je potřeba vyšší nákup.");
    }
    None
}

/// Places the order of a cart. The same idempotency key returns the same order (also to a retry
/// running at the same time); with another cart it is refused. Only a caller who may use the
/// cart learns anything about its order. In one transaction: stock reserved line by line (never below zero), the
/// order snapshotted with a new number, the discount counted, the cart emptied, the confirmation
/// queued. Returns the order number.
pub async fn complete(
    pool: &PgPool,
    redis: &Redis,
    buyer: Buyer<'_>,
    cart_id: Uuid,
    key: &str,
) -> async_graphql::Result<Result<String, Vec<UserError>>> {
    let Buyer { customer, ip } = buyer;
    let fingerprint = cart_id.to_string();
    cart::service::usable(pool, customer, cart_id).await?;
    if let Some(existing) = orders::by_idempotency_key(pool, key).await? {
        return Ok(replay(existing, &fingerprint));
    }
    if customer.is_none() {
        let email = store::state(pool, cart_id).await?.email;
        limit_guest_orders(redis, ip, email.as_deref()).await?;
    }
    // Sold out already: say so without queueing for the stock rows.
    let unlocked = cart::store::priced_lines(pool, cart_id).await?;
    if let Some((index, line)) = unlocked
        .iter()
        .enumerate()
        .find(|(_, l)| l.available < l.quantity)
    {
        return Ok(Err(vec![out_of_stock(index, Some(line.available))]));
    }
    let mut tx = pool.begin().await?;
    cart::store::cart_for_update(&mut tx, cart_id).await?;
    // A retry with the same key that waited for the cart's lock finds the order its twin placed.
    if let Some(existing) = orders::by_idempotency_key(&mut *tx, key).await? {
        return Ok(replay(existing, &fingerprint));
    }
    let state = store::state(&mut *tx, cart_id).await?;
    let lines = cart::store::priced_lines(&mut *tx, cart_id).await?;
    let ready = match Ready::check(&state, &lines) {
        Ok(ready) => ready,
        Err(missing) => return Ok(Err(missing)),
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
        return Ok(Err(vec![UserError::on(
            "discountCode",
            "DISCOUNT_NOT_APPLICABLE",
            problem,
        )]));
    }
    let reservations = match reserve(&mut tx, &lines).await? {
        Ok(reservations) => reservations,
        Err(error) => return Ok(Err(vec![error])),
    };
    let order = match snapshot(
        &mut tx,
        &ready,
        &state,
        code.as_ref(),
        &totals,
        customer,
        key,
        &fingerprint,
    )
    .await
    {
        Ok(order) => order,
        // A concurrent request with the same key won the race: answer with its order.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            drop(tx);
            let existing = orders::by_idempotency_key(pool, key)
                .await?
                .ok_or("the order vanished")?;
            return Ok(replay(existing, &fingerprint));
        }
        Err(error) => return Err(error.into()),
    };
    crate::inventory::store::record_reservations(&mut tx, order.id, &reservations).await?;
    orders::insert_lines_from_cart(&mut tx, order.id, cart_id).await?;
    if let Some(code) = &code {
        store::redeem(&mut tx, code.id, order.id, customer, &mailbox).await?;
    }
    store::delete(&mut tx, cart_id).await?;
    outbox::enqueue(
        &mut *tx,
        &templates::order_confirmation(&ready.email, &order.number, totals.total),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(order.number))
}

/// Everything an order needs, checked: what `complete` works with once the checkout is filled.
struct Ready {
    email: String,
    shipping_address: AddressFields,
    billing_address: AddressFields,
    shipping: ShippingMethod,
    payment: PaymentMethod,
}

impl Ready {
    /// The checkout's choices, or an error for everything that is still missing.
    fn check(
        state: &CheckoutState,
        lines: &[cart::store::PricedLine],
    ) -> Result<Self, Vec<UserError>> {
        let mut missing = Vec::new();
        if lines.is_empty() {
            missing.push(UserError::on("cartId", "EMPTY_CART", "Košík je prázdný."));
        }
        let (shipping, payment) = (state.shipping(), state.payment());
        let shipping_address = state.shipping_address.as_ref().map(|a| a.0.clone());
        if state.email.is_none() {
            missing.push(UserError::on("email", "MISSING", "Vyplňte e-mail."));
        }
        if shipping_address.is_none() {
            missing.push(UserError::on(
                "shippingAddress",
                "MISSING",
                "Vyplňte doručovací adresu.",
            ));
        }
        match shipping {
            None => missing.push(UserError::on(
                "shippingMethod",
                "MISSING",
                "Vyberte způsob dopravy.",
            )),
            Some(method) if method.needs_pickup_point() && state.pickup_point_id.is_none() => {
                missing.push(UserError::on(
                    "pickupPointId",
                    "MISSING",
                    "Vyberte výdejní místo Zásilkovny.",
                ));
            }
            Some(_) => {}
        }
        if payment.is_none() {
            missing.push(UserError::on(
                "paymentMethod",
                "MISSING",
                "Vyberte způsob platby.",
            ));
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
                })
            }
            _ => Err(missing),
        }
    }
}

/// Reserves every line's stock. A buyer who comes too late learns it before touching the order
/// counter, whose row lock would otherwise queue every buyer behind every other. Lines are
/// reserved in one global order (by variant) so that concurrent orders cannot deadlock.
async fn reserve(
    tx: &mut Transaction<'_, Postgres>,
    lines: &[cart::store::PricedLine],
) -> sqlx::Result<Result<Vec<Reservation>, UserError>> {
    let mut by_variant: Vec<(usize, &cart::store::PricedLine)> = lines.iter().enumerate().collect();
    by_variant.sort_by_key(|(_, line)| line.variant_id);
    let mut reservations = Vec::with_capacity(lines.len());
    for (index, line) in by_variant {
        let Some(warehouse) =
            crate::inventory::store::reserve(tx, line.variant_id, line.quantity).await?
        else {
            return Ok(Err(out_of_stock(index, None)));
        };
        reservations.push((line.variant_id, warehouse, line.quantity));
    }
    Ok(Ok(reservations))
}

/// Writes the order as it is now (prices, names, addresses) under a new number.
#[allow(clippy::too_many_arguments)]
async fn snapshot(
    tx: &mut Transaction<'_, Postgres>,
    ready: &Ready,
    state: &CheckoutState,
    code: Option<&DiscountCode>,
    totals: &Totals,
    customer: Option<i64>,
    key: &str,
    fingerprint: &str,
) -> sqlx::Result<orders::Order> {
    let number = orders::next_number(tx).await?;
    let vat_breakdown: Vec<_> = totals
        .vat
        .iter()
        .map(|v| (v.rate, v.net.minor(), v.vat.minor(), v.gross.minor()))
        .collect();
    let new_order = orders::NewOrder {
        opening: crate::orders::service::opening(ready.payment),
        customer_id: customer,
        email: &ready.email,
        shipping_address: &ready.shipping_address,
        billing_address: &ready.billing_address,
        shipping_method: ready.shipping.code(),
        pickup_point_id: state.pickup_point_id.as_deref(),
        payment_method: ready.payment.code(),
        discount_code: code.map(|c| c.code.as_str()),
        subtotal: totals.subtotal,
        discount: totals.discount,
        shipping: totals.shipping,
        payment_fee: totals.payment_fee,
        total: totals.total,
        vat_breakdown: serde_json::json!(vat_breakdown),
        idempotency_key: key,
        cart_fingerprint: fingerprint,
    };
    orders::insert(tx, &number, &new_order).await
}

/// Who places an order.
#[derive(Debug, Clone, Copy)]
pub struct Buyer<'a> {
    /// The signed-in customer; `None` for a guest.
    pub customer: Option<i64>,
    /// The client's address.
    pub ip: Option<&'a str>,
}

/// A guest order reserves stock and sends an e-mail to any address: guests may try only so many
/// per address and per mailbox (`RATE_LIMITED` beyond).
async fn limit_guest_orders(
    redis: &Redis,
    ip: Option<&str>,
    email: Option<&str>,
) -> async_graphql::Result<()> {
    rate_limit::check(redis, GUEST_ORDERS_PER_IP, ip.unwrap_or("-")).await?;
    if let Some(email) = email {
        let mailbox = crate::accounts::validate::mailbox(email);
        rate_limit::check(redis, GUEST_ORDERS_PER_MAILBOX, &mailbox).await?;
    }
    Ok(())
}

/// `OUT_OF_STOCK` for line `index` of the cart, saying how many are `left` when known.
fn out_of_stock(index: usize, left: Option<i32>) -> UserError {
    let message = match left {
        Some(left) if left > 0 => format!("Skladem je už jen {left} ks."),
        Some(_) => "Zboží se vyprodalo.".into(),
        None => "Tolik kusů už skladem není, někdo byl rychlejší.".into(),
    };
    UserError::at(&["lines", &index.to_string()], "OUT_OF_STOCK", &message)
}

fn replay(existing: orders::Order, fingerprint: &str) -> Result<String, Vec<UserError>> {
    if existing.cart_fingerprint == fingerprint {
        Ok(existing.number)
    } else {
        Err(vec![UserError::on(
            "idempotencyKey",
            "IDEMPOTENCY_KEY_REUSED",
            "Tento klíč už patří jiné objednávce.",
        )])
    }
}
