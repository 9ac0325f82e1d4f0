//! The states of payment attempts and refunds, and the kinds of ledger entries: enums in Rust,
//! GraphQL and PostgreSQL (stored as text under CHECK constraints that list the same values).

use serde::{Deserialize, Serialize};

/// Where a payment attempt at a provider stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum PaymentStatus {
    /// Created here; the provider has not answered yet (or could not be reached).
    Started,
    /// The provider has it; the shopper is paying.
    Pending,
    /// Paid: the money is recorded in the ledger.
    Completed,
    /// Abandoned, refused or expired at the provider.
    Canceled,
}

impl PaymentStatus {
    /// Every status.
    pub const ALL: [Self; 4] = [
        Self::Started,
        Self::Pending,
        Self::Completed,
        Self::Canceled,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Started => "STARTED",
            Self::Pending => "PENDING",
            Self::Completed => "COMPLETED",
            Self::Canceled => "CANCELED",
        }
    }

    /// Whether nothing can change it any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Canceled)
    }
}

crate::db::text_enum!(PaymentStatus, "payment status", Self::ALL);

/// Where a refund stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum RefundStatus {
    /// Asked for; the money is on its way back.
    Pending,
    /// The money went back: the ledger has it.
    Finalized,
    /// The provider refused or cancelled it; nothing went back.
    Canceled,
}

impl RefundStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Pending, Self::Finalized, Self::Canceled];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Finalized => "FINALIZED",
            Self::Canceled => "CANCELED",
        }
    }
}

crate::db::text_enum!(RefundStatus, "refund status", Self::ALL);

/// How money reached the shop (or left it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum Channel {
    /// A card or bank-button payment through PayU.
    Payu,
    /// A transfer to the shop's bank account.
    BankTransfer,
    /// Cash (or card) to the carrier or at the shop.
    CashOnDelivery,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Self; 3] = [Self::Payu, Self::BankTransfer, Self::CashOnDelivery];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payu => "PAYU",
            Self::BankTransfer => "BANK_TRANSFER",
            Self::CashOnDelivery => "CASH_ON_DELIVERY",
        }
    }
}

crate::db::text_enum!(Channel, "payment channel", Self::ALL);

/// What became of an incoming bank movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum MovementOutcome {
    /// It paid what its order still owed.
    Paid,
    /// Less than owed: recorded, the rest is still due.
    Underpaid,
    /// More than owed: recorded; an admin returns the difference.
    Overpaid,
    /// Its variable symbol names no order.
    UnknownSymbol,
    /// Not in CZK: left for an admin.
    ForeignCurrency,
    /// It paid an order that was cancelled meanwhile: recorded and flagged.
    Late,
}

impl MovementOutcome {
    /// Every outcome.
    pub const ALL: [Self; 6] = [
        Self::Paid,
        Self::Underpaid,
        Self::Overpaid,
        Self::UnknownSymbol,
        Self::ForeignCurrency,
        Self::Late,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "PAID",
            Self::Underpaid => "UNDERPAID",
            Self::Overpaid => "OVERPAID",
            Self::UnknownSymbol => "UNKNOWN_SYMBOL",
            Self::ForeignCurrency => "FOREIGN_CURRENCY",
            Self::Late => "LATE",
        }
    }

    /// Whether an admin has to look at it.
    pub fn needs_attention(self) -> bool {
        !matches!(self, Self::Paid | Self::Underpaid)
    }
}

crate::db::text_enum!(MovementOutcome, "bank movement outcome", Self::ALL);
