//! The rules of carts: who may touch which cart, quantities, stock, merging.

use std::collections::HashMap;

use sqlx::types::Uuid;
use sqlx::{PgPool, Postgres, Transaction};

use super::{CartError, LineProblem, MAX_LINE_QUANTITY, store};
use crate::inventory;

/// A requested line: a variant and a quantity, at `index` in the input's `lines`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineRequest {
    pub index: usize,
    pub variant_id: i64,
    pub quantity: i32,
}

/// Whether requested quantities add to what the cart holds or replace it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Add,
    Set,
}

/// A quantity the merge could not keep, because of stock or the line limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Adjustment {
    pub variant_id: i64,
    pub requested: i32,
    pub applied: i32,
}

/// Creates a cart with `lines`, or adds them to the caller's cart: a signed-in customer's own
/// cart, else the live guest cart `guest_cart` (the storefront's cookie). Nothing changes when a
/// line is refused.
pub(crate) async fn create(
    pool: &PgPool,
    customer: Option<i64>,
    guest_cart: Option<Uuid>,
    lines: &[LineRequest],
) -> Result<Uuid, CartError> {
    let mut tx = pool.begin().await?;
    let cart = match (customer, guest_cart) {
        (Some(customer_id), _) => store::customer_cart_for_update(&mut tx, customer_id).await?,
        (None, Some(id)) => match store::cart_for_update(&mut tx, id).await? {
            Some(cart) if cart.customer_id.is_none() => cart,
            _ => store::insert_guest_cart(&mut tx).await?,
        },
        (None, None) => store::insert_guest_cart(&mut tx).await?,
    };
    finish(tx, cart.id, lines, Mode::Add).await
}

/// The cart of this visitor: a signed-in customer's cart, else the live guest cart `guest_cart`.
pub(crate) async fn current(
    pool: &PgPool,
    customer: Option<i64>,
    guest_cart: Option<Uuid>,
) -> sqlx::Result<Option<store::Cart>> {
    match (customer, guest_cart) {
        (Some(customer_id), _) => store::customer_cart(pool, customer_id).await,
        (None, Some(id)) => Ok(store::cart(pool, id)
            .await?
            .filter(|cart| cart.customer_id.is_none())),
        (None, None) => Ok(None),
    }
}

/// Adds to or sets the lines of a cart the caller may use; all or nothing.
pub(crate) async fn change(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
    lines: &[LineRequest],
    mode: Mode,
) -> Result<Uuid, CartError> {
    let mut tx = pool.begin().await?;
    lock_usable(&mut tx, customer, cart_id).await?;
    finish(tx, cart_id, lines, mode).await
}

/// Removes lines (by variant) from a cart the caller may use.
pub(crate) async fn remove(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
    variant_ids: &[i64],
) -> Result<(), CartError> {
    let mut tx = pool.begin().await?;
    lock_usable(&mut tx, customer, cart_id).await?;
    store::remove_lines(&mut tx, cart_id, variant_ids).await?;
    store::touch(&mut tx, cart_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The cart, if the caller may see it: a guest cart to whoever has its id, a customer's cart to
/// that customer only.
pub(crate) async fn usable(
    pool: &PgPool,
    customer: Option<i64>,
    cart_id: Uuid,
) -> Result<store::Cart, CartError> {
    let cart = store::cart(pool, cart_id)
        .await?
        .ok_or(CartError::NotFound(cart_id))?;
    check_owner(&cart, customer)?;
    Ok(cart)
}

/// Merges a guest cart that may have expired or been merged already (then nothing happens).
pub(crate) async fn merge_guest_if_live(
    pool: &PgPool,
    customer_id: i64,
    guest_id: Uuid,
) -> Result<(), CartError> {
    match store::cart(pool, guest_id).await? {
        Some(cart) if cart.customer_id.is_none() => {
            merge_guest(pool, customer_id, guest_id).await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Moves a guest cart's lines into the customer's cart (quantities added, capped by stock) and
/// deletes the guest cart. Returns the customer's cart and every quantity that was cut.
pub(crate) async fn merge_guest(
    pool: &PgPool,
    customer_id: i64,
    guest_id: Uuid,
) -> Result<(Uuid, Vec<Adjustment>), CartError> {
    let mut tx = pool.begin().await?;
    let guest = store::cart_for_update(&mut tx, guest_id)
        .await?
        .ok_or(CartError::NotFound(guest_id))?;
    let own = store::customer_cart_for_update(&mut tx, customer_id).await?;
    if guest.customer_id.is_some() {
        check_owner(&guest, Some(customer_id))?;
        return Ok((own.id, vec![]));
    }
    let guest_lines = store::priced_lines(&mut *tx, guest.id).await?;
    let held: HashMap<i64, i32> = store::priced_lines(&mut *tx, own.id)
        .await?
        .into_iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    let mut adjustments = Vec::new();
    for line in guest_lines {
        let requested = held.get(&line.variant_id).copied().unwrap_or(0) + line.quantity;
        let applied = requested.min(line.available).min(MAX_LINE_QUANTITY);
        if applied < requested {
            adjustments.push(Adjustment {
                variant_id: line.variant_id,
                requested,
                applied,
            });
        }
        if applied > 0 {
            store::set_line(&mut tx, own.id, line.variant_id, applied).await?;
        } else {
            store::remove_lines(&mut tx, own.id, &[line.variant_id]).await?;
        }
    }
    store::delete_cart(&mut tx, guest.id).await?;
    store::touch(&mut tx, own.id).await?;
    tx.commit().await?;
    Ok((own.id, adjustments))
}

async fn lock_usable(
    tx: &mut Transaction<'_, Postgres>,
    customer: Option<i64>,
    cart_id: Uuid,
) -> Result<(), CartError> {
    let cart = store::cart_for_update(tx, cart_id)
        .await?
        .ok_or(CartError::NotFound(cart_id))?;
    check_owner(&cart, customer)
}

fn check_owner(cart: &store::Cart, customer: Option<i64>) -> Result<(), CartError> {
    match cart.customer_id {
        Some(owner) if Some(owner) != customer => Err(CartError::NotYours),
        _ => Ok(()),
    }
}

/// Checks the requested lines against the cart and stock; applies them all or none.
async fn finish(
    mut tx: Transaction<'_, Postgres>,
    cart_id: Uuid,
    lines: &[LineRequest],
    mode: Mode,
) -> Result<Uuid, CartError> {
    let held: HashMap<i64, i32> = store::priced_lines(&mut *tx, cart_id)
        .await?
        .into_iter()
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    let ids: Vec<i64> = lines.iter().map(|l| l.variant_id).collect();
    let available = inventory::store::available(&mut *tx, &ids).await?;
    let mut wanted: HashMap<i64, i32> = HashMap::new();
    let mut problems = Vec::new();
    for request in lines {
        let line = request.index;
        if !(1..=MAX_LINE_QUANTITY).contains(&request.quantity) {
            problems.push(LineProblem::InvalidQuantity { line });
            continue;
        }
        let Some(&stock) = available.get(&request.variant_id) else {
            problems.push(LineProblem::UnknownVariant { line });
            continue;
        };
        let base = match mode {
            Mode::Add => wanted
                .get(&request.variant_id)
                .or(held.get(&request.variant_id))
                .copied()
                .unwrap_or(0),
            Mode::Set => 0,
        };
        let quantity = base + request.quantity;
        if quantity > stock {
            problems.push(LineProblem::OutOfStock {
                line,
                available: stock,
            });
        } else if quantity > MAX_LINE_QUANTITY {
            problems.push(LineProblem::OverLineLimit { line });
        } else {
            wanted.insert(request.variant_id, quantity);
        }
    }
    if !problems.is_empty() {
        return Err(CartError::Lines(problems));
    }
    for (variant_id, quantity) in wanted {
        store::set_line(&mut tx, cart_id, variant_id, quantity).await?;
    }
    store::touch(&mut tx, cart_id).await?;
    tx.commit().await?;
    Ok(cart_id)
}
