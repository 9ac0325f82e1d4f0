//! Shipping and payment methods, discounts and totals: pure rules, recomputed at every step.

// Amounts are written as crowns_haléř (`1_500_00` is 1 500 Kč), not in groups of three.
#![allow(clippy::inconsistent_digit_grouping)]

use async_graphql::Enum;
use serde::{Deserialize, Serialize};

use crate::money::{Money, VatLine, VatRate, vat_breakdown};

/// Orders from this subtotal (after discount) ship free.
pub const FREE_SHIPPING_FROM: i64 = 1_500_00;
/// Fee for cash on delivery with a carrier.
pub const CASH_ON_DELIVERY_FEE: i64 = 39_00;
/// VAT of shipping and fees.
const SERVICE_VAT: u8 = 21;

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

/// How the order is paid (card payments come with the payments integration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Bank transfer within 3 days; the order waits for the payment.
    BankTransfer,
    /// Cash (or card) to the carrier or at the shop; carriers charge a fee.
    CashOnDelivery,
}

impl PaymentMethod {
    pub const ALL: [Self; 2] = [Self::BankTransfer, Self::CashOnDelivery];

    /// What shoppers see.
    pub fn name(self) -> &'static str {
        match self {
            Self::BankTransfer => "Bankovním převodem",
            Self::CashOnDelivery => "Dobírkou (hotově nebo kartou při převzetí)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::BankTransfer => "BANK_TRANSFER",
            Self::CashOnDelivery => "CASH_ON_DELIVERY",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The fee for paying this way with `shipping`.
    pub fn fee(self, shipping: ShippingMethod) -> i64 {
        match (self, shipping) {
            (Self::CashOnDelivery, ShippingMethod::PersonalPickup) | (Self::BankTransfer, _) => 0,
            (Self::CashOnDelivery, _) => CASH_ON_DELIVERY_FEE,
        }
    }
}

/// A discount as it applies to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    Percent(i64),
    Fixed(i64),
}

/// A priced line: gross total and VAT rate.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub gross: i64,
    pub rate: VatRate,
}

/// What an order costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub payment_fee: i64,
    pub total: i64,
    pub vat: Vec<VatLine>,
}

/// Totals of `lines` with an optional discount (on goods, spread over their VAT rates in
/// proportion), shipping (free from the threshold) and the payment fee (both at 21 % VAT).
pub fn totals(
    lines: &[Line],
    discount: Option<Discount>,
    shipping: Option<ShippingMethod>,
    payment: Option<PaymentMethod>,
) -> Totals {
    let subtotal: i64 = lines.iter().map(|l| l.gross).sum();
    let discount = match discount {
        Some(Discount::Percent(percent)) => (subtotal * percent + 50) / 100,
        Some(Discount::Fixed(amount)) => amount,
        None => 0,
    }
    .clamp(0, subtotal);
    let shipping_price = match shipping {
        Some(method) if subtotal - discount < FREE_SHIPPING_FROM => method.price(),
        _ => 0,
    };
    let payment_fee = match (payment, shipping) {
        (Some(payment), Some(shipping)) => payment.fee(shipping),
        _ => 0,
    };
    // Spread the discount over the lines in proportion; the last line takes the rounding rest.
    let mut left = discount;
    let mut items: Vec<(VatRate, Money)> = Vec::with_capacity(lines.len() + 2);
    for (index, line) in lines.iter().enumerate() {
        let share = if index + 1 == lines.len() {
            left
        } else {
            discount * line.gross / subtotal.max(1)
        };
        left -= share;
        items.push((line.rate, Money::czk(line.gross - share)));
    }
    let service = VatRate::new(SERVICE_VAT).expect("21 % exists");
    for amount in [shipping_price, payment_fee].into_iter().filter(|a| *a > 0) {
        items.push((service, Money::czk(amount)));
    }
    Totals {
        subtotal,
        discount,
        shipping: shipping_price,
        payment_fee,
        total: subtotal - discount + shipping_price + payment_fee,
        vat: vat_breakdown(items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(gross: i64, rate: u8) -> Line {
        Line {
            gross,
            rate: VatRate::new(rate).unwrap(),
        }
    }

    #[test]
    fn shipping_is_free_from_the_threshold_and_cod_costs_extra() {
        let small = totals(
            &[line(500_00, 21)],
            None,
            Some(ShippingMethod::Ppl),
            Some(PaymentMethod::CashOnDelivery),
        );
        assert_eq!(
            (small.shipping, small.payment_fee, small.total),
            (129_00, 39_00, 668_00)
        );
        let big = totals(
            &[line(1_500_00, 21)],
            None,
            Some(ShippingMethod::Ppl),
            Some(PaymentMethod::BankTransfer),
        );
        assert_eq!((big.shipping, big.total), (0, 1_500_00));
        let pickup = totals(
            &[line(100_00, 21)],
            None,
            Some(ShippingMethod::PersonalPickup),
            Some(PaymentMethod::CashOnDelivery),
        );
        assert_eq!(pickup.total, 100_00);
    }

    #[test]
    fn discounts_spread_over_rates_and_the_breakdown_adds_up() {
        let t = totals(
            &[line(1_000_00, 21), line(500_00, 12)],
            Some(Discount::Percent(10)),
            Some(ShippingMethod::Zasilkovna),
            None,
        );
        assert_eq!(
            (t.subtotal, t.discount, t.shipping),
            (1_500_00, 150_00, 79_00)
        );
        let gross: i64 = t.vat.iter().map(|v| v.gross.minor()).sum();
        assert_eq!(gross, t.total);
        let twelve = t.vat.iter().find(|v| v.rate == 12).unwrap();
        assert_eq!(twelve.gross.minor(), 450_00);
        assert!(
            t.vat
                .iter()
                .all(|v| v.net.minor() + v.vat.minor() == v.gross.minor())
        );
    }

    #[test]
    fn a_fixed_discount_never_exceeds_the_goods() {
        let t = totals(
            &[line(100_00, 21)],
            Some(Discount::Fixed(500_00)),
            None,
            None,
        );
        assert_eq!((t.discount, t.total), (100_00, 0));
    }
}
