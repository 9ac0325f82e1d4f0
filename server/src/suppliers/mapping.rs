//! How one supplier's file maps onto the catalog: which field holds the code, the name, the price
//! (with or without VAT), the margin to add, the rounding, and which shop category each of the
//! supplier's categories goes to. `Mapping::read` turns one row into an [`Item`] or a Czech
//! message saying what is wrong with it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::admin::service::{Rounding, round};
use crate::money::VatRate;

/// The longest value taken from one field, in bytes; anything longer is a broken row.
pub(crate) const MAX_FIELD_BYTES: usize = 64 * 1024;

/// The highest price the catalog takes: 100 000 000 Kč in haléře.
const MAX_PRICE: i64 = 10_000_000_000;

/// A supplier's mapping, stored with the supplier (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Mapping {
    /// The field with the supplier's own code of the item (the import's key).
    pub code: String,
    /// The field with the product name.
    pub name: String,
    /// The field with the price.
    pub price: String,
    /// Whether that price includes VAT.
    pub price_includes_vat: bool,
    /// The margin added to the supplier's price, in hundredths of a percent (1 500 = 15 %).
    pub margin_basis_points: i32,
    /// How the resulting price is rounded.
    pub rounding: Rounding,
    /// The field with the VAT rate (21, 12, 0; "21 %" and "0.21" are understood), if any.
    pub vat_rate: Option<String>,
    /// The VAT rate of items without one.
    pub default_vat_rate: u8,
    /// The field with the description, if any.
    pub description: Option<String>,
    /// The field with the EAN, if any.
    pub ean: Option<String>,
    /// The field with the units in stock, if any.
    pub stock: Option<String>,
    /// The field with the brand (manufacturer), if any.
    pub brand: Option<String>,
    /// The field with the supplier's category, if any.
    pub category: Option<String>,
    /// The supplier's category texts and the shop categories they go to.
    pub categories: HashMap<String, i64>,
    /// The shop category of items whose category is not mapped.
    pub default_category_id: Option<i64>,
    /// Put before the supplier's code to make the SKU (e.g. `ACME-`).
    pub sku_prefix: String,
}

impl Mapping {
    /// Whether the mapping can work: the key fields are named, the numbers are sane. The
    /// message says what to fix, in Czech.
    pub(crate) fn problem(&self) -> Option<String> {
        if self.code.trim().is_empty()
            || self.name.trim().is_empty()
            || self.price.trim().is_empty()
        {
            return Some("Mapování musí určit pole s kódem, názvem a cenou.".into());
        }
        if !(-9_000..=100_000).contains(&self.margin_basis_points) {
            return Some("Marže musí být mezi −90 a 1 000 %.".into());
        }
        if VatRate::new(self.default_vat_rate).is_none() {
            return Some("Výchozí sazba DPH může být 21, 12 nebo 0 %.".into());
        }
        let prefix_ok = self.sku_prefix.len() <= 16
            && self
                .sku_prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
        if !prefix_ok {
            return Some(
                "Předpona SKU má nejvýš 16 znaků: písmena bez diakritiky, číslice, - _ . /".into(),
            );
        }
        None
    }

    /// One row as an item for the catalog, or why it cannot be one.
    pub(crate) fn read(&self, fields: &HashMap<String, String>) -> Result<Item, String> {
        let text = |field: &str| {
            fields
                .get(field)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        let optional = |field: &Option<String>| field.as_deref().and_then(text).map(str::to_owned);
        let code =
            text(&self.code).ok_or_else(|| format!("Chybí kód položky (pole {}).", self.code))?;
        if code.len() > 64 - self.sku_prefix.len()
            || !code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        {
            return Err(format!(
                "Kód „{}“ (pole {}) smí mít jen písmena bez diakritiky, číslice a - _ . / a nejvýš {} znaků.",
                shortened(code),
                self.code,
                64 - self.sku_prefix.len()
            ));
        }
        let name = text(&self.name).ok_or_else(|| format!("Chybí název (pole {}).", self.name))?;
        let vat_rate = match self.vat_rate.as_deref().and_then(text) {
            Some(value) => parse_vat(value).ok_or_else(|| {
                format!("„{}“ není sazba DPH (21, 12 nebo 0 %).", shortened(value))
            })?,
            None => VatRate::new(self.default_vat_rate).unwrap_or(VatRate::STANDARD),
        };
        let raw_price =
            text(&self.price).ok_or_else(|| format!("Chybí cena (pole {}).", self.price))?;
        let price = parse_price(raw_price).filter(|p| *p > 0).ok_or_else(|| {
            format!(
                "„{}“ není kladná cena (pole {}).",
                shortened(raw_price),
                self.price
            )
        })?;
        let price_gross = self.gross_price(price, vat_rate);
        if !(100..=MAX_PRICE).contains(&price_gross) {
            return Err(format!(
                "Cena po přirážce a zaokrouhlení ({} haléřů) musí být mezi 1 Kč a 100 000 000 Kč.",
                price_gross
            ));
        }
        let stock = match self.stock.as_deref().and_then(text) {
            Some(value) => Some(value.parse::<i32>().ok().filter(|n| *n >= 0).ok_or_else(
                || {
                    format!(
                        "Počet kusů „{}“ musí být celé nezáporné číslo.",
                        shortened(value)
                    )
                },
            )?),
            None => None,
        };
        let supplier_category = optional(&self.category);
        let category_id = supplier_category
            .as_deref()
            .and_then(|c| self.categories.get(c).copied())
            .or(self.default_category_id)
            .ok_or_else(|| match &supplier_category {
                Some(c) => format!(
                    "Kategorie dodavatele „{}“ nemá přiřazenou kategorii obchodu.",
                    shortened(c)
                ),
                None => "Položka nemá kategorii a mapování nemá výchozí kategorii.".to_owned(),
            })?;
        Ok(Item {
            sku: format!("{}{code}", self.sku_prefix),
            code: code.to_owned(),
            name: name.to_owned(),
            description: optional(&self.description),
            price_gross,
            vat_rate: vat_rate.percent(),
            ean: optional(&self.ean),
            stock,
            brand: optional(&self.brand),
            category_id,
        })
    }

    /// The shop's gross price in haléře from the supplier's price in ten-thousandths of a crown.
    fn gross_price(&self, price: i128, vat: VatRate) -> i64 {
        let with_margin = price * i128::from(10_000 + self.margin_basis_points) / 10_000;
        let gross = if self.price_includes_vat {
            with_margin
        } else {
            with_margin * i128::from(100 + u16::from(vat.percent())) / 100
        };
        // Ten-thousandths of a crown to haléře, half up.
        let halere = (gross + 50) / 100;
        round(i64::try_from(halere).unwrap_or(i64::MAX), self.rounding)
    }
}

/// One supplier item, ready for the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Item {
    /// The supplier's code.
    pub code: String,
    /// The SKU in the shop (prefix + code).
    pub sku: String,
    /// The product name.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// The shop's price with VAT, in haléře.
    pub price_gross: i64,
    /// VAT in percent.
    pub vat_rate: u8,
    /// The EAN, unchecked (the catalog checks it).
    pub ean: Option<String>,
    /// Units the supplier has, if the file says.
    pub stock: Option<i32>,
    /// The brand's name.
    pub brand: Option<String>,
    /// The shop category.
    pub category_id: i64,
}

impl Item {
    /// A digest of everything the import writes: an item whose digest did not change since the
    /// last import is left alone.
    pub(crate) fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(json))
    }
}

/// "1 299,90 Kč", "1.299,90", "1299.9", "1 299" → ten-thousandths of a crown. `None` for
/// anything else (letters, several decimal marks, more than four decimals).
fn parse_price(value: &str) -> Option<i128> {
    let cleaned: String = value
        .trim_end_matches("Kč")
        .trim_end_matches("CZK")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let last_mark = cleaned.rfind([',', '.']);
    let (whole, fraction) = match last_mark {
        Some(at) => {
            let (whole, fraction) = cleaned.split_at(at);
            (whole.replace(['.', ','], ""), &fraction[1..])
        }
        None => (cleaned.clone(), ""),
    };
    // A mark followed by exactly three digits with another mark before it was a thousands mark.
    let (whole, fraction) =
        if fraction.len() == 3 && cleaned[..last_mark.unwrap_or(0)].contains([',', '.']) {
            (format!("{whole}{fraction}"), "")
        } else {
            (whole, fraction)
        };
    if whole.is_empty()
        || whole.len() > 12
        || fraction.len() > 4
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i128 = whole.parse().ok()?;
    let fraction: i128 = format!("{fraction:0<4}").parse().ok()?;
    Some(whole * 10_000 + fraction)
}

/// "21", "21 %", "21.0", "0.21", "0,21" → 21 %.
fn parse_vat(value: &str) -> Option<VatRate> {
    let number: f64 = value
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse()
        .ok()?;
    let percent = if number > 0.0 && number < 1.0 {
        number * 100.0
    } else {
        number
    };
    let rounded = percent.round();
    if (percent - rounded).abs() > 0.001 || !(0.0..=100.0).contains(&rounded) {
        return None;
    }
    VatRate::new(rounded as u8)
}

/// A value quoted in a message: at most 40 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    // Amounts are written as crowns_haléř.
    #![allow(clippy::inconsistent_digit_grouping)]

    use super::*;

    impl Mapping {
        /// The fields of Heureka's `SHOP/SHOPITEM` feed, prices with VAT, no margin.
        pub(crate) fn heureka(default_category_id: Option<i64>) -> Self {
            Self {
                code: "ITEM_ID".into(),
                name: "PRODUCTNAME".into(),
                price: "PRICE_VAT".into(),
                price_includes_vat: true,
                margin_basis_points: 0,
                rounding: Rounding::Crowns,
                vat_rate: Some("VAT".into()),
                default_vat_rate: 21,
                description: Some("DESCRIPTION".into()),
                ean: Some("EAN".into()),
                stock: Some("STOCK_QUANTITY".into()),
                brand: Some("MANUFACTURER".into()),
                category: Some("CATEGORYTEXT".into()),
                categories: HashMap::new(),
                default_category_id,
                sku_prefix: String::new(),
            }
        }
    }

    fn row(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn prices_are_read_as_czech_and_english_suppliers_write_them() {
        assert_eq!(parse_price("1299"), Some(1299_0000));
        assert_eq!(parse_price("1 299,90 Kč"), Some(1299_9000));
        assert_eq!(parse_price("1.299,90"), Some(1299_9000));
        assert_eq!(parse_price("1,299.90"), Some(1299_9000));
        assert_eq!(parse_price("1.299.000"), Some(1_299_000_0000));
        assert_eq!(parse_price("12.3456"), Some(12_3456));
        assert_eq!(parse_price("12.34567"), None);
        assert_eq!(parse_price("zdarma"), None);
        assert_eq!(parse_price("-5"), None);
        assert_eq!(parse_price(""), None);
    }

    #[test]
    fn vat_rates_in_any_common_notation() {
        assert_eq!(parse_vat("21"), VatRate::new(21));
        assert_eq!(parse_vat("12 %"), VatRate::new(12));
        assert_eq!(parse_vat("0,21"), VatRate::new(21));
        assert_eq!(parse_vat("0"), VatRate::new(0));
        assert_eq!(parse_vat("15"), None);
        assert_eq!(parse_vat("abc"), None);
    }

    #[test]
    fn a_net_price_gets_margin_then_vat_then_rounding() {
        let mapping = Mapping {
            price_includes_vat: false,
            margin_basis_points: 2_000,
            rounding: Rounding::Nine,
            ..Mapping::heureka(Some(1))
        };
        // 1 000 net + 20 % = 1 200, + 21 % VAT = 1 452 → 1 459 Kč.
        let item = mapping
            .read(&row(&[
                ("ITEM_ID", "A-1"),
                ("PRODUCTNAME", "Židle"),
                ("PRICE_VAT", "1000"),
            ]))
            .unwrap();
        assert_eq!(item.price_gross, 1_459_00);
        assert_eq!(item.sku, "A-1");
        let crowns = Mapping {
            rounding: Rounding::Crowns,
            ..mapping
        };
        let item = crowns
            .read(&row(&[
                ("ITEM_ID", "A-1"),
                ("PRODUCTNAME", "Židle"),
                ("PRICE_VAT", "10,50"),
                ("VAT", "12"),
            ]))
            .unwrap();
        // 10,50 × 1,2 × 1,12 = 14,112 → 14 Kč.
        assert_eq!(item.price_gross, 14_00);
        assert_eq!(item.vat_rate, 12);
    }

    #[test]
    fn categories_map_or_fall_back_or_fail_in_czech() {
        let mut mapping = Mapping::heureka(None);
        mapping.categories.insert("Nábytek | Židle".into(), 7);
        let base = [
            ("ITEM_ID", "X"),
            ("PRODUCTNAME", "Židle"),
            ("PRICE_VAT", "100"),
        ];
        let mapped = row(&[base.as_slice(), &[("CATEGORYTEXT", "Nábytek | Židle")]].concat());
        assert_eq!(mapping.read(&mapped).unwrap().category_id, 7);
        let unknown = row(&[base.as_slice(), &[("CATEGORYTEXT", "Hračky")]].concat());
        assert_eq!(
            mapping.read(&unknown).unwrap_err(),
            "Kategorie dodavatele „Hračky“ nemá přiřazenou kategorii obchodu."
        );
        mapping.default_category_id = Some(3);
        assert_eq!(mapping.read(&unknown).unwrap().category_id, 3);
    }

    #[test]
    fn broken_rows_say_what_is_wrong() {
        let mapping = Mapping::heureka(Some(1));
        let error = |pairs: &[(&str, &str)]| mapping.read(&row(pairs)).unwrap_err();
        assert!(error(&[("PRODUCTNAME", "A"), ("PRICE_VAT", "1")]).contains("Chybí kód"));
        assert!(
            error(&[("ITEM_ID", "ž"), ("PRODUCTNAME", "A"), ("PRICE_VAT", "1")])
                .contains("smí mít jen")
        );
        assert!(error(&[("ITEM_ID", "a"), ("PRICE_VAT", "1")]).contains("Chybí název"));
        assert!(
            error(&[("ITEM_ID", "a"), ("PRODUCTNAME", "A"), ("PRICE_VAT", "-1")])
                .contains("není kladná cena")
        );
        assert!(
            error(&[
                ("ITEM_ID", "a"),
                ("PRODUCTNAME", "A"),
                ("PRICE_VAT", "1"),
                ("VAT", "15")
            ])
            .contains("sazba DPH")
        );
        assert!(
            error(&[
                ("ITEM_ID", "a"),
                ("PRODUCTNAME", "A"),
                ("PRICE_VAT", "1"),
                ("STOCK_QUANTITY", "-2")
            ])
            .contains("nezáporné")
        );
    }

    #[test]
    fn the_fingerprint_follows_every_written_field() {
        let mapping = Mapping::heureka(Some(1));
        let one = mapping
            .read(&row(&[
                ("ITEM_ID", "a"),
                ("PRODUCTNAME", "A"),
                ("PRICE_VAT", "100"),
            ]))
            .unwrap();
        let mut other = one.clone();
        assert_eq!(one.fingerprint(), other.fingerprint());
        other.stock = Some(1);
        assert_ne!(one.fingerprint(), other.fingerprint());
    }
}
