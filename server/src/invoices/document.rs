//! The particulars of a Czech tax document (§ 29 of the VAT act): who sells and who buys, the
//! number, the dates, every line with its unit price without VAT, and the tax base and VAT per
//! rate. Built once when the document is issued and kept frozen as JSON; the PDF is drawn from
//! it. A simplified document (§ 30) serves sales up to 10 000 Kč to buyers who gave no IČO; a
//! credit note (§ 45) refers to its original and carries the differences.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::address::AddressFields;
use crate::money::{Money, VatRate, vat_breakdown};

/// The highest total, with VAT, of a simplified tax document (§ 30a), in haléře.
pub(crate) const SIMPLIFIED_UP_TO: i64 = 1_000_000;

/// What kind of tax document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum DocumentKind {
    /// Faktura – daňový doklad.
    Invoice,
    /// Zjednodušený daňový doklad (up to 10 000 Kč, buyer without IČO).
    Simplified,
    /// Opravný daňový doklad (a refund).
    CreditNote,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Invoice, Self::Simplified, Self::CreditNote];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "INVOICE",
            Self::Simplified => "SIMPLIFIED",
            Self::CreditNote => "CREDIT_NOTE",
        }
    }

    /// The title printed on the document.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Self::Invoice => "Faktura – daňový doklad",
            Self::Simplified => "Zjednodušený daňový doklad",
            Self::CreditNote => "Opravný daňový doklad",
        }
    }

    /// The numbering series: invoices and simplified documents share one, credit notes have
    /// their own.
    pub(crate) fn series(self) -> &'static str {
        match self {
            Self::Invoice | Self::Simplified => "FV",
            Self::CreditNote => "OD",
        }
    }
}

crate::db::text_enum!(DocumentKind, "tax document kind", Self::ALL);

/// A party of the sale as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Party {
    pub name: String,
    /// Street, then postal code and city, one per line.
    pub address: Vec<String>,
    pub ico: Option<String>,
    pub dic: Option<String>,
    /// E.g. the commercial register entry of the seller.
    pub note: Option<String>,
}

impl Party {
    /// The buyer as the order's billing address names them.
    pub(crate) fn buyer(address: &AddressFields) -> Self {
        let person = format!("{} {}", address.first_name, address.last_name);
        Self {
            name: address.company.clone().unwrap_or(person),
            address: vec![
                address.street.clone(),
                format!("{} {}", address.postal_code, address.city),
            ],
            ico: address.ico.clone(),
            dic: address.dic.clone(),
            note: None,
        }
    }
}

/// One line of the document; amounts in haléře.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Line {
    pub description: String,
    pub quantity: i32,
    /// The unit price without VAT.
    pub unit_net: i64,
    pub vat_rate: u8,
    /// The line's total with VAT.
    pub gross: i64,
}

impl Line {
    /// A line priced with VAT.
    pub(crate) fn priced(
        description: String,
        quantity: i32,
        unit_gross: i64,
        gross: i64,
        rate: VatRate,
    ) -> Self {
        Self {
            description,
            quantity,
            unit_net: rate.net_of_gross(Money::czk(unit_gross)).minor(),
            vat_rate: rate.percent(),
            gross,
        }
    }
}

/// The tax base and VAT of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RateSum {
    pub rate: u8,
    pub base: i64,
    pub vat: i64,
    pub gross: i64,
}

/// A tax document's particulars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TaxDocument {
    pub kind: DocumentKind,
    pub number: String,
    /// A credit note's original document.
    pub original_number: Option<String>,
    /// A credit note's reason.
    pub reason: Option<String>,
    pub order_number: String,
    pub issued_on: NaiveDate,
    /// Datum uskutečnění zdanitelného plnění.
    pub taxable_on: NaiveDate,
    pub seller: Party,
    /// Absent on a simplified document.
    pub buyer: Option<Party>,
    pub payment_method: String,
    pub lines: Vec<Line>,
    pub rates: Vec<RateSum>,
    pub total: i64,
}

/// What an order says, as the document needs it.
pub(crate) struct Sale<'a> {
    pub order_number: &'a str,
    pub billing: &'a AddressFields,
    pub payment_method: &'a str,
    /// Product lines: description, quantity, unit gross, line gross, rate.
    pub lines: Vec<(String, i32, i64, i64, VatRate)>,
    pub discount: i64,
    pub shipping: i64,
    pub payment_fee: i64,
    /// Cash on delivery's rounding to whole crowns (outside the VAT base).
    pub rounding: i64,
    pub total: i64,
}

/// The kind a sale's document takes.
pub(crate) fn kind_for(total: i64, billing: &AddressFields) -> DocumentKind {
    if total <= SIMPLIFIED_UP_TO && billing.ico.as_deref().is_none_or(str::is_empty) {
        DocumentKind::Simplified
    } else {
        DocumentKind::Invoice
    }
}

/// The VAT of services (shipping, fees).
const SERVICE_VAT: VatRate = VatRate::STANDARD;

impl TaxDocument {
    /// The document of a paid sale. The discount is spread over the product lines in proportion,
    /// as checkout priced it, and shown as one line per rate.
    pub(crate) fn for_sale(
        sale: &Sale<'_>,
        number: String,
        seller: Party,
        issued_on: NaiveDate,
        taxable_on: NaiveDate,
    ) -> Self {
        let kind = kind_for(sale.total, sale.billing);
        let mut lines: Vec<Line> = sale
            .lines
            .iter()
            .map(|(name, quantity, unit, gross, rate)| {
                Line::priced(name.clone(), *quantity, *unit, *gross, *rate)
            })
            .collect();
        let mut items: Vec<(VatRate, Money)> = Vec::new();
        let subtotal: i64 = sale.lines.iter().map(|l| l.3).sum();
        let mut left = sale.discount;
        for (index, (_, _, _, gross, rate)) in sale.lines.iter().enumerate() {
            let share = if index + 1 == sale.lines.len() {
                left
            } else {
                sale.discount * gross / subtotal.max(1)
            };
            left -= share;
            items.push((*rate, Money::czk(gross - share)));
            if share > 0 {
                let at_rate = lines
                    .iter_mut()
                    .find(|l| l.description == DISCOUNT && l.vat_rate == rate.percent());
                match at_rate {
                    Some(line) => {
                        line.gross -= share;
                        line.unit_net = rate.net_of_gross(Money::czk(line.gross)).minor();
                    }
                    None => lines.push(Line::priced(DISCOUNT.into(), 1, -share, -share, *rate)),
                }
            }
        }
        for (description, amount) in [
            ("Doprava", sale.shipping),
            ("Příplatek za způsob platby", sale.payment_fee),
        ] {
            if amount > 0 {
                lines.push(Line::priced(
                    description.into(),
                    1,
                    amount,
                    amount,
                    SERVICE_VAT,
                ));
                items.push((SERVICE_VAT, Money::czk(amount)));
            }
        }
        // Discount lines last among the product lines' neighbours.
        lines.sort_by_key(|l| l.description == DISCOUNT);
        // Rounding a cash payment is no taxable supply: a line of its own, in no rate's sum.
        if sale.rounding != 0 {
            lines.push(Line::priced(
                "Zaokrouhlení (nepodléhá DPH)".into(),
                1,
                sale.rounding,
                sale.rounding,
                VatRate::new(0).expect("0 % is a Czech rate"),
            ));
        }
        Self {
            kind,
            number,
            original_number: None,
            reason: None,
            order_number: sale.order_number.to_owned(),
            issued_on,
            taxable_on,
            seller,
            buyer: (kind == DocumentKind::Invoice).then(|| Party::buyer(sale.billing)),
            payment_method: sale.payment_method.to_owned(),
            lines,
            rates: rate_sums(items),
            total: sale.total,
        }
    }

    /// The credit note of a refund of `amount` against this document: the amount taken off
    /// each rate in proportion to the original (the highest rate takes the rounding rest).
    pub(crate) fn credit_note(
        &self,
        number: String,
        amount: i64,
        reason: &str,
        issued_on: NaiveDate,
    ) -> Self {
        let mut left = amount;
        let mut items = Vec::new();
        let mut lines = Vec::new();
        for (index, sum) in self.rates.iter().enumerate().rev() {
            let share = if index == 0 {
                left
            } else {
                amount * sum.gross / self.total.max(1)
            };
            left -= share;
            let rate = VatRate::new(sum.rate).unwrap_or(VatRate::STANDARD);
            items.push((rate, Money::czk(-share)));
            lines.push(Line::priced(
                format!("Oprava k dokladu {} – {}", self.number, reason),
                1,
                -share,
                -share,
                rate,
            ));
        }
        lines.reverse();
        Self {
            kind: DocumentKind::CreditNote,
            number,
            original_number: Some(self.number.clone()),
            reason: Some(reason.to_owned()),
            issued_on,
            taxable_on: issued_on,
            lines,
            rates: rate_sums(items),
            total: -amount,
            ..self.clone()
        }
    }
}

const DISCOUNT: &str = "Sleva";

fn rate_sums(items: Vec<(VatRate, Money)>) -> Vec<RateSum> {
    vat_breakdown(items)
        .into_iter()
        .map(|line| RateSum {
            rate: line.rate as u8,
            base: line.net.minor(),
            vat: line.vat.minor(),
            gross: line.gross.minor(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    // Amounts are written as crowns_haléř.
    #![allow(clippy::inconsistent_digit_grouping)]

    use super::*;

    fn billing(ico: Option<&str>) -> AddressFields {
        AddressFields {
            first_name: "Jana".into(),
            last_name: "Nováková".into(),
            company: ico.map(|_| "Nováková s.r.o.".into()),
            ico: ico.map(Into::into),
            dic: ico.map(|i| format!("CZ{i}")),
            street: "Lipová 5".into(),
            city: "Brno".into(),
            postal_code: "602 00".into(),
            country: "CZ".into(),
            phone: None,
        }
    }

    fn seller() -> Party {
        Party {
            name: "Lípa s.r.o.".into(),
            address: vec![],
            ico: Some("12345678".into()),
            dic: Some("CZ12345678".into()),
            note: None,
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn sale<'a>(billing: &'a AddressFields, discount: i64) -> Sale<'a> {
        let lines = vec![
            (
                "Židle".to_owned(),
                2,
                1_210_00,
                2_420_00,
                VatRate::new(21).unwrap(),
            ),
            (
                "Kniha".to_owned(),
                1,
                448_00,
                448_00,
                VatRate::new(12).unwrap(),
            ),
        ];
        Sale {
            order_number: "2026000001",
            billing,
            payment_method: "CARD",
            lines,
            discount,
            shipping: 99_00,
            payment_fee: 0,
            rounding: 0,
            total: 2_868_00 - discount + 99_00,
        }
    }

    #[test]
    fn a_small_sale_without_ico_gets_a_simplified_document() {
        let buyer = billing(None);
        let document = TaxDocument::for_sale(
            &sale(&buyer, 0),
            "FV2026000001".into(),
            seller(),
            day(),
            day(),
        );
        assert_eq!(document.kind, DocumentKind::Simplified);
        assert!(document.buyer.is_none());
        let company = billing(Some("87654321"));
        let invoice = TaxDocument::for_sale(
            &sale(&company, 0),
            "FV2026000002".into(),
            seller(),
            day(),
            day(),
        );
        assert_eq!(invoice.kind, DocumentKind::Invoice);
        assert_eq!(invoice.buyer.unwrap().dic.as_deref(), Some("CZ87654321"));
        assert_eq!(
            kind_for(SIMPLIFIED_UP_TO + 1, &buyer),
            DocumentKind::Invoice
        );
    }

    #[test]
    fn lines_and_rates_add_up_to_the_total_with_a_discount() {
        let buyer = billing(None);
        let document =
            TaxDocument::for_sale(&sale(&buyer, 286_80), "FV1".into(), seller(), day(), day());
        let lines: i64 = document.lines.iter().map(|l| l.gross).sum();
        let rates: i64 = document.rates.iter().map(|r| r.gross).sum();
        assert_eq!(lines, document.total);
        assert_eq!(rates, document.total);
        assert!(document.rates.iter().all(|r| r.base + r.vat == r.gross));
        // 1 000 Kč net + 21 % per chair.
        assert_eq!(document.lines[0].unit_net, 1_000_00);
        let discounts: Vec<&Line> = document
            .lines
            .iter()
            .filter(|l| l.description == DISCOUNT)
            .collect();
        assert_eq!(discounts.len(), 2, "one discount line per rate");
    }

    #[test]
    fn a_credit_note_refers_to_its_original_and_splits_by_rate() {
        let buyer = billing(Some("87654321"));
        let original = TaxDocument::for_sale(
            &sale(&buyer, 0),
            "FV2026000007".into(),
            seller(),
            day(),
            day(),
        );
        let note = original.credit_note("OD2026000001".into(), 1_000_00, "Vrácení zboží", day());
        assert_eq!(note.kind, DocumentKind::CreditNote);
        assert_eq!(note.original_number.as_deref(), Some("FV2026000007"));
        assert_eq!(note.total, -1_000_00);
        assert_eq!(note.rates.iter().map(|r| r.gross).sum::<i64>(), -1_000_00);
        assert_eq!(note.lines.len(), original.rates.len());
        assert!(note.buyer.is_some());
    }
}
