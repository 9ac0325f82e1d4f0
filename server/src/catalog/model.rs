//! Catalog records as they come out of PostgreSQL.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

/// A node of the category tree (depth 0 to 2).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub depth: i16,
    pub featured: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub(crate) struct Brand {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Product {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub ean: Option<String>,
    pub brand_id: Option<i64>,
    pub category_id: i64,
    pub weight_grams: Option<i32>,
    pub length_mm: Option<i32>,
    pub width_mm: Option<i32>,
    pub height_mm: Option<i32>,
    pub featured: bool,
    pub created_at: DateTime<Utc>,
    /// Approved reviews and the sum of their stars (kept by the reviews).
    pub rating_count: i32,
    pub rating_total: i32,
}

// Selected from `products p`.
crate::db::read_by_position!(Product {
    id: "p.id",
    slug: "p.slug",
    name: "p.name",
    ean: "p.ean",
    brand_id: "p.brand_id",
    category_id: "p.category_id",
    weight_grams: "p.weight_grams",
    length_mm: "p.length_mm",
    width_mm: "p.width_mm",
    height_mm: "p.height_mm",
    featured: "p.featured",
    created_at: "p.created_at",
    rating_count: "p.rating_count",
    rating_total: "p.rating_total",
});

/// One option value that tells variants apart, e.g. `Barva: Červená`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OptionValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub options: Json<Vec<OptionValue>>,
    pub price_gross: i64,
    pub vat_rate: crate::money::VatRate,
    pub stock_quantity: i32,
    /// The lowest price in effect during the 30 days before the current price took effect.
    pub lowest_price_30d: i64,
    /// Place among the product's variants.
    pub position: i32,
}

crate::db::read_by_position!(Variant {
    id: "id",
    product_id: "product_id",
    sku: "sku",
    options: "options",
    price_gross: "price_gross",
    vat_rate: "vat_rate",
    stock_quantity: "stock_quantity",
    lowest_price_30d: "coalesce(lowest_price_30d, price_gross)",
    position: "position",
});

impl Variant {
    /// The discount against the lowest price of the 30 days before (Omnibus), in whole percent
    /// rounded down (a shop never overstates a discount); `None` under one percent or without one.
    pub(crate) fn discount_percent(&self) -> Option<i64> {
        let (price, reference) = (self.price_gross, self.lowest_price_30d);
        (reference > price && price >= 0)
            .then(|| (reference - price) * 100 / reference)
            .filter(|percent| *percent > 0)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Image {
    pub id: i64,
    pub product_id: i64,
    pub url: String,
    pub alt: String,
    /// Where an uploaded image's renditions live (`None` for an outside or generated image).
    pub media_key: Option<String>,
    /// The widths of its renditions, narrowest first.
    pub widths: Vec<i32>,
    /// Place in the product's gallery.
    pub position: i32,
}

crate::db::read_by_position!(Image {
    id: "id",
    product_id: "product_id",
    url: "url",
    alt: "alt",
    media_key: "media_key",
    widths: "widths",
    position: "position",
});

// Stored as text under a CHECK constraint that lists the same values.
/// Whether shoppers see a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProductStatus {
    /// Being prepared; not in the storefront.
    Draft,
    /// For sale.
    Published,
    /// No longer sold; kept for orders and history.
    Archived,
}

impl ProductStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Draft, Self::Published, Self::Archived];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Published => "PUBLISHED",
            Self::Archived => "ARCHIVED",
        }
    }
}

crate::db::text_enum!(ProductStatus, "product status", Self::ALL);

/// How an attribute's values are typed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, async_graphql::Enum, Serialize, Deserialize,
)]
#[sqlx(type_name = "text", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AttributeKind {
    /// Free text, shown on the product page only.
    Text,
    /// A number with an optional unit; filterable by range.
    Number,
    /// One of a fixed list of values; filterable by value.
    Select,
}

/// An attribute's value on one product, joined with the attribute's definition.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ProductAttribute {
    pub product_id: i64,
    pub attribute_slug: String,
    pub attribute_name: String,
    pub kind: AttributeKind,
    pub unit: Option<String>,
    pub value_slug: Option<String>,
    pub value_name: Option<String>,
    pub text_value: Option<String>,
    pub number_value: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(price_gross: i64, lowest_price_30d: i64) -> Variant {
        Variant {
            id: 1,
            product_id: 1,
            sku: "X".into(),
            options: Json(Vec::new()),
            price_gross,
            vat_rate: crate::money::VatRate::STANDARD,
            stock_quantity: 1,
            lowest_price_30d,
            position: 0,
        }
    }

    #[test]
    #[allow(clippy::inconsistent_digit_grouping)] // crowns_haléře
    fn discounts_in_whole_percent_never_overstated() {
        assert_eq!(variant(80_00, 100_00).discount_percent(), Some(20));
        assert_eq!(variant(66_67, 100_00).discount_percent(), Some(33));
        assert_eq!(variant(100_00, 100_00).discount_percent(), None);
        assert_eq!(
            variant(99_95, 100_00).discount_percent(),
            None,
            "under one percent"
        );
        assert_eq!(variant(120_00, 100_00).discount_percent(), None);
    }
}
