//! An order's status and the moves between statuses: the order state machine in one place.
//! One enum in Rust, in GraphQL and in PostgreSQL, where it is stored as text (a CHECK
//! constraint lists the same values; a test keeps the two equal).

use serde::{Deserialize, Serialize};

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderStatus {
    /// Placed, waiting for a bank transfer (within the payment window).
    PendingPayment,
    /// Paid, not yet being packed.
    Paid,
    /// Being packed (cash-on-delivery orders start here).
    Processing,
    /// Handed to the carrier.
    Shipped,
    /// Delivered to the customer.
    Delivered,
    /// Cancelled before shipping; its stock is back.
    Cancelled,
    /// Paid back in full.
    Refunded,
    /// Paid back in part.
    PartiallyRefunded,
}

impl OrderStatus {
    /// Every status, in the order they usually come.
    pub const ALL: [Self; 8] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::Refunded,
        Self::PartiallyRefunded,
    ];

    /// The stored and wire name, e.g. `PENDING_PAYMENT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "PENDING_PAYMENT",
            Self::Paid => "PAID",
            Self::Processing => "PROCESSING",
            Self::Shipped => "SHIPPED",
            Self::Delivered => "DELIVERED",
            Self::Cancelled => "CANCELLED",
            Self::Refunded => "REFUNDED",
            Self::PartiallyRefunded => "PARTIALLY_REFUNDED",
        }
    }

    /// Whether an order may move from this status to `to`: only forward, and a shipped order
    /// is refunded, never cancelled.
    pub fn can_move_to(self, to: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (PendingPayment, Paid | Cancelled)
                | (Paid, Processing | Cancelled | Refunded)
                | (Processing, Shipped | Cancelled | Refunded)
                | (Shipped, Delivered | Refunded | PartiallyRefunded)
                | (Delivered, Refunded | PartiallyRefunded)
                | (PartiallyRefunded, Refunded)
        )
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::db::text_enum!(OrderStatus, "order status", Self::ALL);

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    #[test]
    fn only_forward_moves() {
        assert!(PendingPayment.can_move_to(Paid));
        assert!(Processing.can_move_to(Shipped));
        assert!(
            !Shipped.can_move_to(Cancelled),
            "shipped orders are refunded, not cancelled"
        );
        assert!(!Cancelled.can_move_to(Paid));
        assert!(!Delivered.can_move_to(PendingPayment));
        for status in OrderStatus::ALL {
            assert!(!status.can_move_to(status));
            assert_eq!(status.as_str().parse::<OrderStatus>().unwrap(), status);
        }
        assert!("SHIPPING".parse::<OrderStatus>().is_err());
    }
}
