//! What can stop a change of an order, in the orders' own terms.

use super::status::OrderStatus;

/// Why an order was not changed.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// No order has this number (or the caller may not see it).
    #[error("Order \"{0}\" does not exist")]
    NotFound(String),
    /// Customers may cancel their orders, nothing more.
    #[error("Customers may only cancel orders.")]
    OnlyCancelAllowed,
    /// Someone changed the order after the caller read it (optimistic locking).
    #[error("Objednávku mezitím změnil někdo jiný; načtěte ji znovu.")]
    Conflict,
    /// The state machine has no such move.
    #[error("Objednávku ve stavu {from} nelze změnit na {to}.")]
    InvalidTransition { from: OrderStatus, to: OrderStatus },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
