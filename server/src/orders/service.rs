//! The rules of orders: which status changes are allowed, what they do to stock, who is told.

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use super::OrderError;
use super::live::OrderStatusChange;
use super::status::OrderStatus;
use super::store::{self, Order};
use crate::delivery::PaymentMethod;
use crate::inventory::store::{Settlement, settle_order};
use crate::mail::{outbox, templates};

/// How a new order starts, with its timeline note: a bank transfer waits for the payment (the
/// payment window, after which the order is cancelled); cash on delivery is paid to the carrier,
/// so the order goes straight to the warehouse.
pub fn opening(payment: PaymentMethod) -> (OrderStatus, &'static str) {
    match payment {
        PaymentMethod::BankTransfer => (OrderStatus::PendingPayment, "Objednávka přijata"),
        PaymentMethod::Card => (
            OrderStatus::PendingPayment,
            "Objednávka přijata, čeká na platbu kartou",
        ),
        PaymentMethod::CashOnDelivery => (
            OrderStatus::Processing,
            "Objednávka přijata, platba při převzetí",
        ),
    }
}

/// Who changes an order.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    /// Staff, with optimistic locking: the change applies only to the version they saw.
    Admin {
        /// The admin's account.
        id: i64,
        /// The order's version the admin saw.
        expected_version: i32,
    },
    /// The customer who placed it (cancelling only).
    Customer(i64),
    /// A background job (payment window expired).
    System,
}

/// Changes an order's status: checks the transition, the caller's right and version, settles
/// stock (released on cancel, sold on shipping), writes the timeline and e-mails the customer.
pub async fn change_status(
    pool: &PgPool,
    number: &str,
    to: OrderStatus,
    actor: Actor,
    note: &str,
) -> Result<OrderStatusChange, OrderError> {
    let mut tx = pool.begin().await?;
    let change = change_status_in(&mut tx, number, to, actor, note).await?;
    tx.commit().await?;
    tracing::info!(order = number, from = %change.from_status, %to, details = %json!({ "note": note }), "order status changed");
    Ok(change)
}

/// [`change_status`] in the caller's transaction (with the money that moved the order, say).
pub(crate) async fn change_status_in(
    tx: &mut Transaction<'_, Postgres>,
    number: &str,
    to: OrderStatus,
    actor: Actor,
    note: &str,
) -> Result<OrderStatusChange, OrderError> {
    let Some((order, version)) = store::by_number_for_update(tx, number).await? else {
        return Err(OrderError::NotFound(number.to_owned()));
    };
    let actor_id = match actor {
        Actor::Admin {
            id,
            expected_version,
        } => {
            if version != expected_version {
                return Err(OrderError::Conflict);
            }
            Some(id)
        }
        Actor::Customer(id) => {
            if order.customer_id != Some(id) {
                return Err(OrderError::NotFound(number.to_owned()));
            }
            if to != OrderStatus::Cancelled {
                return Err(OrderError::OnlyCancelAllowed);
            }
            Some(id)
        }
        Actor::System => None,
    };
    if !order.status.can_move_to(to) {
        return Err(OrderError::InvalidTransition {
            from: order.status,
            to,
        });
    }
    match to {
        OrderStatus::Shipped => settle_order(tx, order.id, Settlement::Sale).await?,
        // An order that ends without shipping leaves no reservation behind (once shipped, its
        // reservations became a sale and there is nothing left to release).
        OrderStatus::Cancelled | OrderStatus::Refunded => {
            settle_order(tx, order.id, Settlement::Release).await?
        }
        _ => {}
    }
    store::set_status(tx, &order, to, actor_id, note).await?;
    if let Some(email) = notification(&order, to) {
        outbox::enqueue(&mut **tx, &email).await?;
    }
    Ok(OrderStatusChange {
        number: order.number,
        from_status: order.status,
        to_status: to,
        occurred_at: chrono::Utc::now(),
    })
}

/// Sets the carrier and tracking number of an order the admin saw at `expected_version`.
pub async fn set_tracking(
    pool: &PgPool,
    number: &str,
    expected_version: i32,
    carrier: &str,
    tracking: &str,
) -> Result<(), OrderError> {
    let mut tx = pool.begin().await?;
    let Some((order, version)) = store::by_number_for_update(&mut tx, number).await? else {
        return Err(OrderError::NotFound(number.to_owned()));
    };
    if version != expected_version {
        return Err(OrderError::Conflict);
    }
    store::set_tracking(&mut tx, order.id, carrier, tracking).await?;
    tx.commit().await?;
    Ok(())
}

/// The e-mail a status change sends, if any.
fn notification(order: &Order, to: OrderStatus) -> Option<outbox::Email> {
    match to {
        OrderStatus::Shipped => Some(templates::order_shipped(
            &order.email,
            &order.number,
            order.tracking_number.as_deref(),
        )),
        OrderStatus::Cancelled => Some(templates::order_cancelled(&order.email, &order.number)),
        _ => None,
    }
}

/// Cancels unpaid orders whose payment window closed, releasing their stock; returns the changes.
pub async fn cancel_overdue(pool: &PgPool) -> sqlx::Result<Vec<OrderStatusChange>> {
    let mut tx = pool.begin().await?;
    let numbers = store::claim_overdue(&mut tx, 50).await?;
    tx.commit().await?;
    let mut cancelled = Vec::new();
    for number in numbers {
        // The status check under the order's row lock makes this safe to run on every instance:
        // an order paid or cancelled meanwhile is no longer a valid move, and is left alone.
        let note = "Nezaplaceno v termínu";
        match change_status(pool, &number, OrderStatus::Cancelled, Actor::System, note).await {
            Ok(change) => cancelled.push(change),
            Err(OrderError::Database(error)) => return Err(error),
            Err(_) => {}
        }
    }
    Ok(cancelled)
}
