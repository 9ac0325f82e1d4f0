//! Shipping and payment methods, discounts and totals: pure rules, recomputed at every step.

// Amounts are written as crowns_haléř (`1_500_00` is 1 500 Kč), not in groups of three.
#![allow(clippy::inconsistent_digit_grouping)]

pub(crate) use crate::delivery::{PaymentMethod, ShippingMethod};
use crate::money::{Money, VatLine, VatRate, vat_breakdown};

/// Orders from this subtotal (after discount) ship free.
pub(crate) const FREE_SHIPPING_FROM: i64 = 1_500_00;
/// VAT of shipping and fees.
const SERVICE_VAT: VatRate = VatRate::STANDARD;

/// A discount as it applies to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Discount {
    Percent(i64),
    Fixed(i64),
}

/// A priced line: gross total and VAT rate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub gross: i64,
    pub rate: VatRate,
}

/// What an order costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub payment_fee: i64,
    /// Cash on delivery: what rounds the total to whole crowns, as the carrier collects it
    /// (haléřové vyrovnání, outside the VAT base); zero otherwise.
    pub rounding: i64,
    pub total: i64,
    pub vat: Vec<VatLine>,
}

/// What the goods (after the discount) lack to ship free; zero once they reach the threshold.
pub(crate) fn free_shipping_missing(subtotal: i64, discount: i64) -> i64 {
    (FREE_SHIPPING_FROM - (subtotal - discount)).max(0)
}

/// Totals of `lines` with an optional discount (on goods, spread over their VAT rates in
/// proportion), shipping (free from the threshold) and the payment fee (both at 21 % VAT).
pub(crate) fn totals(
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
        Some(method) if free_shipping_missing(subtotal, discount) > 0 => method.price(),
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
    let service = SERVICE_VAT;
    for amount in [shipping_price, payment_fee].into_iter().filter(|a| *a > 0) {
        items.push((service, Money::czk(amount)));
    }
    let exact = subtotal - discount + shipping_price + payment_fee;
    let rounding = match payment {
        Some(PaymentMethod::CashOnDelivery) => whole_crowns(exact) - exact,
        _ => 0,
    };
    Totals {
        subtotal,
        discount,
        shipping: shipping_price,
        payment_fee,
        rounding,
        total: exact + rounding,
        vat: vat_breakdown(items),
    }
}

/// An amount rounded to whole crowns, halves up (`12,50 Kč` → `13 Kč`).
fn whole_crowns(amount: i64) -> i64 {
    (amount + 50).div_euclid(100) * 100
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
    fn cash_on_delivery_is_rounded_to_whole_crowns_outside_vat() {
        let t = totals(
            &[line(499_50, 21)],
            None,
            Some(ShippingMethod::Ppl),
            Some(PaymentMethod::CashOnDelivery),
        );
        assert_eq!((t.rounding, t.total), (50, 668_00), "667,50 Kč: halves up");
        let vat_gross: i64 = t.vat.iter().map(|v| v.gross.minor()).sum();
        assert_eq!(
            vat_gross + t.rounding,
            t.total,
            "the rounding is outside the VAT base"
        );
        let down = totals(
            &[line(100_40, 12)],
            None,
            Some(ShippingMethod::PersonalPickup),
            Some(PaymentMethod::CashOnDelivery),
        );
        assert_eq!((down.rounding, down.total), (-40, 100_00));
        let card = totals(
            &[line(100_40, 12)],
            None,
            Some(ShippingMethod::Ppl),
            Some(PaymentMethod::Card),
        );
        assert_eq!(card.rounding, 0);
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
