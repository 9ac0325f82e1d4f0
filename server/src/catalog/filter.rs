//! Which products a listing shows, and the SQL `WHERE` clause that selects them.
//!
//! Every value reaches PostgreSQL as a bind parameter; only fixed SQL text is pushed.

use serde::Serialize;
use sqlx::{Postgres, QueryBuilder};

/// A selection of products: the filters of a category page or a search.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ProductFilter {
    /// A category, its subcategories included.
    pub category: Option<CategoryScope>,
    /// Brand slugs; a product matches any of them.
    pub brands: Vec<String>,
    /// Gross price bounds in haléř, inclusive, on the product's lowest variant price.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Only products with a variant in stock.
    pub in_stock: bool,
    /// Attribute conditions; a product must meet all of them.
    pub attributes: Vec<AttributeCondition>,
    /// A `to_tsquery('simple', …)` expression built by the search module.
    pub text_query: Option<String>,
}

/// A category and every category below it, as the category tree knows them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct CategoryScope {
    /// Its id and those of the categories below it; none for a category that does not exist.
    pub ids: Vec<i64>,
}

/// A condition on one attribute: one of some values (select), or a number range.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct AttributeCondition {
    pub slug: String,
    /// Value slugs for select attributes; `None` for number ranges.
    pub values: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A filter to leave out, so that a facet counts what choosing another of its values would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Except {
    Nothing,
    Brands,
    Price,
    Attributes,
}

/// SQL that is true when product `p` meets the attribute condition `s` (a row of `sel`).
pub(crate) const ATTRIBUTE_MATCH: &str = "EXISTS (SELECT 1 FROM product_attributes pa \
    JOIN attributes a ON a.id = pa.attribute_id \
    LEFT JOIN attribute_values av ON av.id = pa.value_id \
    WHERE pa.product_id = p.id AND a.slug = s.slug \
      AND (s.vals IS NULL OR av.slug = ANY (s.vals)) \
      AND (s.min IS NULL OR pa.number_value >= s.min) \
      AND (s.max IS NULL OR pa.number_value <= s.max))";

/// SQL for the attribute conditions as rows `sel(slug, vals, min, max)` from a JSON bind parameter.
pub(crate) const SELECTION_ROWS: &str =
    "jsonb_to_recordset($JSON::jsonb) AS s(slug text, vals text[], min float8, max float8)";

impl ProductFilter {
    /// The attribute conditions as JSON, the form [`SELECTION_ROWS`] reads.
    pub(crate) fn attributes_json(&self) -> serde_json::Value {
        serde_json::json!(
            self.attributes
                .iter()
                .map(|c| serde_json::json!({ "slug": c.slug, "vals": c.values, "min": c.min, "max": c.max }))
                .collect::<Vec<_>>()
        )
    }

    /// Pushes ` WHERE …` selecting `products p` that pass the filter, leaving out `except`.
    pub(crate) fn push_where(&self, qb: &mut QueryBuilder<'_, Postgres>, except: Except) {
        qb.push(" WHERE p.price_min IS NOT NULL AND p.status = 'PUBLISHED'");
        if let Some(scope) = &self.category {
            qb.push(" AND p.category_id = ANY (");
            qb.push_bind(scope.ids.clone());
            qb.push(")");
        }
        if except != Except::Brands && !self.brands.is_empty() {
            qb.push(" AND p.brand_id IN (SELECT id FROM brands WHERE slug = ANY (");
            qb.push_bind(self.brands.clone());
            qb.push("))");
        }
        if except != Except::Price {
            if let Some(min) = self.price_min {
                qb.push(" AND p.price_min >= ").push_bind(min);
            }
            if let Some(max) = self.price_max {
                qb.push(" AND p.price_min <= ").push_bind(max);
            }
        }
        if self.in_stock {
            qb.push(
                " AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.stock_quantity > 0)",
            );
        }
        if except != Except::Attributes && !self.attributes.is_empty() {
            qb.push(" AND NOT EXISTS (SELECT 1 FROM ");
            push_selection_rows(qb, self);
            qb.push(" WHERE NOT ").push(ATTRIBUTE_MATCH).push(")");
        }
        if let Some(query) = &self.text_query {
            qb.push(" AND p.search_vector @@ to_tsquery('simple', ")
                .push_bind(query.clone())
                .push(")");
        }
    }
}

/// Pushes the attribute-condition rows (`FROM`-able) with their JSON bound.
pub(crate) fn push_selection_rows(qb: &mut QueryBuilder<'_, Postgres>, filter: &ProductFilter) {
    let (before, after) = SELECTION_ROWS.split_once("$JSON").expect("placeholder");
    qb.push(before)
        .push_bind(filter.attributes_json())
        .push(after);
}
