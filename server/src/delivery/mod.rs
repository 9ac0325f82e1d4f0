//! How an order travels and how it is paid: value types that checkout prices and orders keep.
//! They belong to no domain, so every domain may use them. [`calendar`] says when a parcel
//! arrives.

// Amounts are written as crowns_haléř (`79_00` is 79 Kč), not in groups of three.
#![allow(clippy::inconsistent_digit_grouping)]

pub(crate) mod calendar;

use async_graphql::Enum;
use serde::{Deserialize, Serialize};

/// Fee for cash on delivery with a carrier.
pub(crate) const CASH_ON_DELIVERY_FEE: i64 = 39_00;

/// How the order travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ShippingMethod {
    /// Zásilkovna pickup point (needs `pickupPointId`), 79 Kč.
    Zasilkovna,
    /// PPL home delivery, 129 Kč.
    Ppl,
    /// Česká pošta, Balík Do ruky, 119 Kč.
    CeskaPosta,
    /// Personal pickup at the shop in Prague, free.
    PersonalPickup,
}

impl ShippingMethod {
    pub const ALL: [Self; 4] = [
        Self::Zasilkovna,
        Self::Ppl,
        Self::CeskaPosta,
        Self::PersonalPickup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Zasilkovna => "Zásilkovna – výdejní místo",
            Self::Ppl => "PPL – doručení domů",
            Self::CeskaPosta => "Česká pošta – Balík Do ruky",
            Self::PersonalPickup => "Osobní odběr na prodejně",
        }
    }

    /// Price before the free-shipping threshold.
    pub fn price(self) -> i64 {
        match self {
            Self::Zasilkovna => 79_00,
            Self::Ppl => 129_00,
            Self::CeskaPosta => 119_00,
            Self::PersonalPickup => 0,
        }
    }

    /// The hour (Prague time) until which an order leaves the warehouse the same working day.
    pub fn cutoff_hour(self) -> u32 {
        match self {
            Self::Zasilkovna => 14,
            Self::Ppl => 15,
            Self::CeskaPosta => 12,
            Self::PersonalPickup => 16,
        }
    }

    /// Working days from the warehouse to the shopper (0: ready at the shop the same day).
    pub fn transit_days(self) -> u32 {
        match self {
            Self::Zasilkovna | Self::Ppl | Self::CeskaPosta => 1,
            Self::PersonalPickup => 0,
        }
    }

    /// Whether a carrier brings the parcel (it then needs the shopper's phone for its SMS).
    pub fn is_carrier(self) -> bool {
        self != Self::PersonalPickup
    }

    /// The carriers that bring the parcel (all but personal pickup).
    pub fn carriers() -> impl Iterator<Item = Self> {
        Self::ALL.into_iter().filter(|m| m.is_carrier())
    }

    pub fn needs_pickup_point(self) -> bool {
        self == Self::Zasilkovna
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Zasilkovna => "ZASILKOVNA",
            Self::Ppl => "PPL",
            Self::CeskaPosta => "CESKA_POSTA",
            Self::PersonalPickup => "PERSONAL_PICKUP",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How the order is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Bank transfer (QR Platba); the order waits for the payment.
    BankTransfer,
    /// Cash (or card) to the carrier or at the shop; carriers charge a fee.
    CashOnDelivery,
    /// Card or bank button online through PayU; the order waits for the payment.
    Card,
}

/// How long an order waits for its payment before it is cancelled and its stock released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentWindows {
    /// After the order (or a switch to bank transfer).
    pub bank_transfer: std::time::Duration,
    /// After the last card attempt.
    pub card: std::time::Duration,
}

impl PaymentWindows {
    /// When an order paid with `method` placed (or retried) `now` is cancelled unpaid; `None`
    /// for cash on delivery, which is paid to the carrier.
    pub fn due(
        &self,
        method: PaymentMethod,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        let window = match method {
            PaymentMethod::BankTransfer => self.bank_transfer,
            PaymentMethod::Card => self.card,
            PaymentMethod::CashOnDelivery => return None,
        };
        Some(now + chrono::Duration::from_std(window).unwrap_or(chrono::Duration::days(7)))
    }
}

impl PaymentMethod {
    /// Every method, in the order the checkout offers them.
    pub const ALL: [Self; 3] = [Self::BankTransfer, Self::CashOnDelivery, Self::Card];

    /// What shoppers see.
    pub fn name(self) -> &'static str {
        match self {
            Self::BankTransfer => "Bankovním převodem (QR Platba)",
            Self::CashOnDelivery => "Dobírkou (hotově nebo kartou při převzetí)",
            Self::Card => "Kartou nebo bankovním tlačítkem online (PayU)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::BankTransfer => "BANK_TRANSFER",
            Self::CashOnDelivery => "CASH_ON_DELIVERY",
            Self::Card => "CARD",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The fee for paying this way with `shipping`.
    pub fn fee(self, shipping: ShippingMethod) -> i64 {
        match (self, shipping) {
            (Self::CashOnDelivery, ShippingMethod::PersonalPickup)
            | (Self::BankTransfer | Self::Card, _) => 0,
            (Self::CashOnDelivery, _) => CASH_ON_DELIVERY_FEE,
        }
    }
}

/// The shop's bank account as shoppers need it for a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopAccount {
    /// Czech form, e.g. `2001234567/2010`.
    pub number: String,
    /// The same as an IBAN.
    pub iban: String,
}
