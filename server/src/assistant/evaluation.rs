//! The assistant's measured quality: a Czech (and some English) set of shopper requests with
//! their constraints (`evaluation.json`), and a scorer: the share of referenced products that
//! satisfy each request's constraints, and how many referenced products or prices the catalog
//! does not back ("invented"). `server assistant-eval` prints it for the built-in assistant.

use serde::Deserialize;
use sqlx::PgPool;

use super::builtin::{self, Answer};
use super::tools::Caller;
use crate::catalog::store::{self as catalog, ProductCard};

/// A request and what a right answer's products must be.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// What the shopper writes.
    pub message: String,
    /// The products' category (or an ancestor).
    pub category: Option<String>,
    /// Lowest price, CZK.
    pub min: Option<i64>,
    /// Highest price, CZK.
    pub max: Option<i64>,
    /// The brand.
    pub brand: Option<String>,
    /// One of these brands (comparisons).
    #[serde(default)]
    pub brands: Vec<String>,
    /// `attribute:value` slugs.
    pub value: Option<String>,
    /// In stock.
    #[serde(default)]
    pub in_stock: bool,
    /// The right answer names no product (an order question, asking back).
    #[serde(default)]
    pub no_products: bool,
}

/// The scores of a run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Requests asked.
    pub cases: usize,
    /// Products referenced in all answers.
    pub references: usize,
    /// Of those, the ones that satisfy their request.
    pub satisfying: usize,
    /// Referenced products or prices the catalog does not have.
    pub invented: usize,
    /// Requests that expected products and got at least one.
    pub answered: usize,
    /// Requests that expected products.
    pub expecting: usize,
    /// Requests that expected none and got none.
    pub rightly_empty: usize,
    /// Each failing request with why.
    pub failures: Vec<String>,
}

impl Report {
    /// The share of references that satisfy their request, in percent.
    pub fn precision(&self) -> f64 {
        if self.references == 0 {
            100.0
        } else {
            self.satisfying as f64 * 100.0 / self.references as f64
        }
    }
}

/// The built-in set.
pub fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("evaluation.json")).unwrap_or_default()
}

/// Asks the built-in assistant every case and scores the answers against the catalog.
pub async fn built_in(pool: &PgPool) -> sqlx::Result<Report> {
    let mut report = Report::default();
    for case in cases() {
        let answer = match builtin::answer(pool, Caller::default(), &case.message).await {
            Ok(answer) => answer,
            Err(error) => {
                report.failures.push(format!("{}: {error}", case.message));
                Answer::default()
            }
        };
        score(pool, &case, &answer, &mut report).await?;
    }
    Ok(report)
}

async fn score(
    pool: &PgPool,
    case: &Case,
    answer: &Answer,
    report: &mut Report,
) -> sqlx::Result<()> {
    report.cases += 1;
    let ids: Vec<i64> = answer.products.iter().map(|p| p.id).collect();
    let truth = catalog::product_cards(pool, &ids).await?;
    for shown in &answer.products {
        report.references += 1;
        match truth.iter().find(|t| t.id == shown.id) {
            None => {
                report.invented += 1;
                report
                    .failures
                    .push(format!("{}: invented product {}", case.message, shown.slug));
            }
            Some(real) if real.price_min != shown.price_min => {
                report.invented += 1;
                report
                    .failures
                    .push(format!("{}: wrong price of {}", case.message, real.slug));
            }
            Some(real) => match violation(case, real) {
                None => report.satisfying += 1,
                Some(why) => report
                    .failures
                    .push(format!("{}: {} {why}", case.message, real.slug)),
            },
        }
    }
    if case.no_products {
        if answer.products.is_empty() {
            report.rightly_empty += 1;
        } else {
            report
                .failures
                .push(format!("{}: named products where none fit", case.message));
        }
    } else {
        report.expecting += 1;
        if answer.products.is_empty() {
            report
                .failures
                .push(format!("{}: no products", case.message));
        } else {
            report.answered += 1;
        }
    }
    Ok(())
}

/// What a product breaks of a request, if anything.
fn violation(case: &Case, product: &ProductCard) -> Option<String> {
    if let Some(category) = &case.category
        && !product.categories.contains(category)
    {
        return Some(format!("is not in {category}"));
    }
    let price = product.price_min / 100;
    if case.max.is_some_and(|max| price > max) || case.min.is_some_and(|min| price < min) {
        return Some(format!("costs {price} Kč"));
    }
    let brand = product.brand_slug.as_deref().unwrap_or_default();
    if case.brand.as_deref().is_some_and(|b| b != brand)
        || (!case.brands.is_empty() && !case.brands.iter().any(|b| b == brand))
    {
        return Some(format!("is by {brand}"));
    }
    if let Some(value) = &case.value
        && !product.values.contains(value)
    {
        return Some(format!("lacks {value}"));
    }
    if case.in_stock && !product.in_stock {
        return Some("is not in stock".into());
    }
    None
}
