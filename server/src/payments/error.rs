//! What can stop a payment operation, in the payments' own terms.

use super::provider::ProviderError;
use crate::orders::OrderError;

/// Why a payment operation did not happen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PaymentError {
    /// No order has this number (or the caller may not see it).
    #[error("Order \"{0}\" does not exist")]
    OrderNotFound(String),
    /// The order does not wait for a payment (paid, cancelled, or paid on delivery).
    #[error("Tuto objednávku teď nelze zaplatit.")]
    NotPayable,
    /// A payment of the order is being started right now.
    #[error("Platba se právě zakládá, vydržte prosím chvilku.")]
    InProgress,
    /// The payment gateway is down or refused; the shopper may try again.
    #[error("Platební brána teď neodpovídá, zkuste to prosím za chvíli nebo zvolte převod.")]
    GatewayUnavailable(#[source] ProviderError),
    /// An amount must be positive.
    #[error("Částka musí být kladná.")]
    InvalidAmount,
    /// More than was paid and not yet refunded.
    #[error("Vrátit lze nejvýš {} Kč.", .refundable / 100)]
    RefundTooHigh {
        /// What can still be refunded, in haléře.
        refundable: i64,
    },
    /// The notification's signature is not the gateway's.
    #[error("the notification's signature is invalid")]
    InvalidSignature,
    /// A notification about a payment the shop never started.
    #[error("unknown payment {0:?}")]
    UnknownPayment(String),
    /// The order refused the status change the payment implies.
    #[error(transparent)]
    Order(#[from] OrderError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
