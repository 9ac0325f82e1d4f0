//! The rules of catalog management: valid names, prices, VAT rates and SKUs, unique slugs made
//! from Czech names (an old slug keeps redirecting), a category never under its own child, bulk
//! price changes with a preview. Each change is one transaction with its audit entry.

// Amounts are written as crowns_haléř (`1_234_56` is 1 234,56 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use sqlx::{PgPool, Postgres, Transaction};

use super::store::{self, CategoryRow, PriceChange, ProductRow, VariantRow};
use crate::catalog::model::ProductStatus;
use crate::money::VatRate;

/// Why a catalog change did not happen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CatalogError {
    /// No such product, variant or category.
    #[error("{0} \"{1}\" does not exist")]
    NotFound(&'static str, i64),
    /// A value is not acceptable; nothing changed.
    #[error("{message}")]
    Invalid {
        /// The input field.
        field: &'static str,
        /// Why, in Czech.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The media store failed.
    #[error(transparent)]
    Storage(#[from] std::io::Error),
}

/// An `Invalid` error of `field`.
pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> CatalogError {
    CatalogError::Invalid {
        field,
        message: message.into(),
    }
}

/// A product's fields as an admin gives them.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProductFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub ean: Option<String>,
    pub brand_id: Option<Option<i64>>,
    pub category_id: Option<i64>,
    pub weight_grams: Option<i32>,
    pub status: Option<ProductStatus>,
}

/// A variant's fields as an admin gives them.
#[derive(Debug, Clone, Default)]
pub(crate) struct VariantFields {
    pub sku: Option<String>,
    pub options: Option<Value>,
    pub price: Option<i64>,
    pub compare_at_price: Option<Option<i64>>,
    pub vat_rate: Option<i32>,
}

/// Creates a product (a draft unless told otherwise) with a slug made from its name.
pub(crate) async fn create_product(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    fields: ProductFields,
) -> Result<ProductRow, CatalogError> {
    let name = checked_name(fields.name.as_deref().unwrap_or_default())?;
    let category_id = fields
        .category_id
        .ok_or_else(|| invalid("categoryId", "Vyberte kategorii."))?;
    let row = ProductRow {
        id: 0,
        slug: unique_slug(tx, &name, None).await?,
        name,
        description: fields.description.unwrap_or_default(),
        ean: checked_ean(fields.ean)?,
        brand_id: fields.brand_id.flatten(),
        category_id,
        weight_grams: checked_weight(fields.weight_grams)?,
        status: fields.status.unwrap_or(ProductStatus::Draft),
    };
    let product = store::insert_product(tx, &row).await.map_err(references)?;
    store::audit(
        tx,
        admin,
        "product",
        product.id,
        "create",
        None,
        Some(json!(product)),
    )
    .await?;
    Ok(product)
}

/// Changes a product; a new name gets a new slug and the old one redirects to it.
pub(crate) async fn update_product(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    id: i64,
    fields: ProductFields,
) -> Result<ProductRow, CatalogError> {
    let before = store::product_for_update(tx, id)
        .await?
        .ok_or(CatalogError::NotFound("Product", id))?;
    let mut after = before.clone();
    if let Some(name) = fields.name {
        after.name = checked_name(&name)?;
        if after.name != before.name {
            after.slug = unique_slug(tx, &after.name, Some(id)).await?;
        }
    }
    if let Some(description) = fields.description {
        after.description = description;
    }
    if fields.ean.is_some() {
        after.ean = checked_ean(fields.ean)?;
    }
    if let Some(brand) = fields.brand_id {
        after.brand_id = brand;
    }
    if let Some(category) = fields.category_id {
        after.category_id = category;
    }
    if fields.weight_grams.is_some() {
        after.weight_grams = checked_weight(fields.weight_grams)?;
    }
    if let Some(status) = fields.status {
        after.status = status;
    }
    let saved = store::update_product(tx, &after)
        .await
        .map_err(references)?;
    if saved.slug != before.slug {
        store::add_redirect(tx, &before.slug, id).await?;
    }
    store::audit(
        tx,
        admin,
        "product",
        id,
        "update",
        Some(json!(before)),
        Some(json!(saved)),
    )
    .await?;
    Ok(saved)
}

/// Adds a variant to a product.
pub(crate) async fn create_variant(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    product_id: i64,
    fields: VariantFields,
) -> Result<VariantRow, CatalogError> {
    store::product_for_update(tx, product_id)
        .await?
        .ok_or(CatalogError::NotFound("Product", product_id))?;
    let row = VariantRow {
        id: 0,
        product_id,
        sku: checked_sku(fields.sku.as_deref().unwrap_or_default())?,
        options: sqlx::types::Json(checked_options(fields.options)?),
        price_gross: checked_price(
            "price",
            fields
                .price
                .ok_or_else(|| invalid("price", "Zadejte cenu."))?,
        )?,
        compare_at_gross: fields
            .compare_at_price
            .flatten()
            .map(|p| checked_price("compareAtPrice", p))
            .transpose()?,
        vat_rate: checked_vat(fields.vat_rate.unwrap_or(21))?,
    };
    let variant = store::insert_variant(tx, &row)
        .await
        .map_err(duplicate_sku)?;
    store::audit(
        tx,
        admin,
        "variant",
        variant.id,
        "create",
        None,
        Some(json!(variant)),
    )
    .await?;
    Ok(variant)
}

/// Changes a variant; a new price enters the price history (and the Omnibus reference).
pub(crate) async fn update_variant(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    id: i64,
    fields: VariantFields,
) -> Result<VariantRow, CatalogError> {
    let before = store::variant_for_update(tx, id)
        .await?
        .ok_or(CatalogError::NotFound("ProductVariant", id))?;
    let mut after = before.clone();
    if let Some(sku) = fields.sku {
        after.sku = checked_sku(&sku)?;
    }
    if fields.options.is_some() {
        after.options = sqlx::types::Json(checked_options(fields.options)?);
    }
    if let Some(price) = fields.price {
        after.price_gross = checked_price("price", price)?;
    }
    if let Some(compare_at) = fields.compare_at_price {
        after.compare_at_gross = compare_at
            .map(|p| checked_price("compareAtPrice", p))
            .transpose()?;
    }
    if let Some(rate) = fields.vat_rate {
        after.vat_rate = checked_vat(rate)?;
    }
    let saved = store::update_variant(tx, &after)
        .await
        .map_err(duplicate_sku)?;
    store::audit(
        tx,
        admin,
        "variant",
        id,
        "update",
        Some(json!(before)),
        Some(json!(saved)),
    )
    .await?;
    Ok(saved)
}

/// Adds a category under `parent` (or at the top), last among its siblings.
pub(crate) async fn create_category(
    pool: &PgPool,
    admin: i64,
    name: &str,
    parent: Option<i64>,
) -> Result<CategoryRow, CatalogError> {
    let name = checked_name(name)?;
    let mut tx = pool.begin().await?;
    let depth = match parent {
        Some(id) => {
            store::category_for_update(&mut tx, id)
                .await?
                .ok_or(CatalogError::NotFound("Category", id))?
                .depth
                + 1
        }
        None => 0,
    };
    if depth > 2 {
        return Err(invalid("parentId", "Kategorie mají nejvýš tři úrovně."));
    }
    let slug = crate::seed::slugify(&name).trim_matches('-').to_owned();
    let row = CategoryRow {
        id: 0,
        parent_id: parent,
        slug,
        name,
        depth,
        position: 1000,
    };
    let category = store::insert_category(&mut tx, &row)
        .await
        .map_err(|e| unique(e, "name", "Kategorie s tímto názvem už existuje."))?;
    store::audit(
        &mut tx,
        admin,
        "category",
        category.id,
        "create",
        None,
        Some(json!(category)),
    )
    .await?;
    tx.commit().await?;
    Ok(category)
}

/// Moves a category under another (never under itself or its own descendants) at `position`.
pub(crate) async fn move_category(
    pool: &PgPool,
    admin: i64,
    id: i64,
    parent: Option<i64>,
    position: i32,
) -> Result<CategoryRow, CatalogError> {
    let mut tx = pool.begin().await?;
    let before = store::category_for_update(&mut tx, id)
        .await?
        .ok_or(CatalogError::NotFound("Category", id))?;
    let depth = match parent {
        Some(parent_id) => {
            if store::is_within(&mut *tx, id, parent_id).await? {
                return Err(invalid(
                    "parentId",
                    "Kategorii nelze přesunout pod ni samotnou ani pod její podkategorii.",
                ));
            }
            store::category_for_update(&mut tx, parent_id)
                .await?
                .ok_or(CatalogError::NotFound("Category", parent_id))?
                .depth
                + 1
        }
        None => 0,
    };
    if depth + store::subtree_height(&mut *tx, id).await? > 2 {
        return Err(invalid("parentId", "Kategorie mají nejvýš tři úrovně."));
    }
    let moved = store::move_category(&mut tx, id, parent, position, depth - before.depth).await?;
    store::audit(
        &mut tx,
        admin,
        "category",
        id,
        "move",
        Some(json!(before)),
        Some(json!(moved)),
    )
    .await?;
    tx.commit().await?;
    Ok(moved)
}

/// Adds a brand.
pub(crate) async fn create_brand(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    name: String,
) -> Result<(i64, String, String), CatalogError> {
    let name = checked_name(&name)?;
    let slug = crate::seed::slugify(&name).trim_matches('-').to_owned();
    let brand = store::insert_brand(tx, &slug, &name)
        .await?
        .ok_or_else(|| invalid("name", "Tato značka už existuje."))?;
    store::audit(
        tx,
        admin,
        "brand",
        brand.0,
        "create",
        None,
        Some(json!({ "slug": brand.1, "name": brand.2 })),
    )
    .await?;
    Ok(brand)
}

/// The brand whose name makes the same slug as `name`, created when there is none.
pub(crate) async fn brand_named(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    name: &str,
) -> Result<i64, CatalogError> {
    let slug = crate::seed::slugify(name.trim())
        .trim_matches('-')
        .to_owned();
    match store::brand_by_slug(&mut **tx, &slug).await? {
        Some(id) => Ok(id),
        None => Ok(create_brand(tx, admin, name.to_owned()).await?.0),
    }
}

/// What became of a product taken off sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retired {
    /// No order had it: it is gone, with its variants, images and stock.
    Deleted,
    /// Orders refer to it: it is archived (hidden from the shop, kept for the orders).
    Archived,
}

/// Takes a product off sale: deleted when no order has it, archived otherwise; never a deleted
/// product that an order refers to.
pub(crate) async fn retire_product(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    id: i64,
) -> Result<Retired, CatalogError> {
    if store::has_orders(&mut **tx, id).await? {
        let archive = ProductFields {
            status: Some(ProductStatus::Archived),
            ..ProductFields::default()
        };
        update_product(tx, admin, id, archive).await?;
        return Ok(Retired::Archived);
    }
    let before = store::product_for_update(tx, id)
        .await?
        .ok_or(CatalogError::NotFound("Product", id))?;
    store::delete_product(tx, id).await?;
    store::audit(
        tx,
        admin,
        "product",
        id,
        "delete",
        Some(json!(before)),
        None,
    )
    .await?;
    Ok(Retired::Deleted)
}

/// Runs `work` in one transaction, committed when it succeeds.
pub(crate) async fn in_transaction<T>(
    pool: &PgPool,
    work: impl for<'t> FnOnce(
        &'t mut Transaction<'static, Postgres>,
    ) -> BoxFuture<'t, Result<T, CatalogError>>,
) -> Result<T, CatalogError> {
    let mut tx = pool.begin().await?;
    let value = work(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

/// How a bulk change moves prices.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change {
    /// By percent (negative lowers), e.g. -10.
    Percent(f64),
    /// By an amount in haléře (negative lowers).
    Amount(i64),
}

/// How new prices are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Rounding {
    /// To the haléř.
    None,
    /// To whole crowns.
    Crowns,
    /// Up to the next price ending in 9 crowns (1 249 Kč).
    Nine,
}

/// A bulk price change of a category's and/or a brand's variants: the new prices (a preview
/// when `dry_run`), all applied in one transaction otherwise.
pub(crate) async fn change_prices(
    pool: &PgPool,
    admin: i64,
    category: Option<&str>,
    brand: Option<&str>,
    change: Change,
    rounding: Rounding,
    dry_run: bool,
) -> Result<Vec<PriceChange>, CatalogError> {
    if category.is_none() && brand.is_none() {
        return Err(invalid("category", "Vyberte kategorii nebo značku."));
    }
    let mut tx = pool.begin().await?;
    let mut changes = Vec::new();
    for (variant_id, sku, old) in store::prices_for_update(&mut tx, category, brand).await? {
        let raw = match change {
            Change::Percent(percent) => (old as f64 * (1.0 + percent / 100.0)).round() as i64,
            Change::Amount(amount) => old + amount,
        };
        let new = round(raw, rounding);
        if new <= 0 {
            return Err(invalid(
                "change",
                format!("Cena varianty {sku} by nebyla kladná."),
            ));
        }
        if new != old {
            changes.push(PriceChange {
                variant_id,
                sku,
                old_price: old,
                new_price: new,
            });
        }
    }
    if !dry_run && !changes.is_empty() {
        store::set_prices(&mut tx, &changes).await?;
        let details = json!({ "category": category, "brand": brand, "variants": changes.len() });
        store::audit(
            &mut tx,
            admin,
            "prices",
            0,
            "bulk-change",
            None,
            Some(details),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(changes)
}

/// `minor` rounded as `rounding` says.
pub(crate) fn round(minor: i64, rounding: Rounding) -> i64 {
    match rounding {
        Rounding::None => minor,
        Rounding::Crowns => (minor + 50) / 100 * 100,
        Rounding::Nine => {
            let crowns = (minor + 99) / 100;
            (crowns + (9 - crowns % 10) % 10) * 100
        }
    }
}

/// A unique slug from a Czech name: "Židle Oslo" → `zidle-oslo`, then `zidle-oslo-2`, …
async fn unique_slug(
    tx: &mut Transaction<'_, Postgres>,
    name: &str,
    except: Option<i64>,
) -> Result<String, CatalogError> {
    let base = crate::seed::slugify(name).trim_matches('-').to_owned();
    let base = if base.is_empty() {
        "produkt".to_owned()
    } else {
        base
    };
    for n in 1..=100 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !store::slug_taken(&mut **tx, &slug, except).await? {
            return Ok(slug);
        }
    }
    Err(invalid(
        "name",
        "Pro tento název nelze najít volnou adresu.",
    ))
}

fn checked_name(name: &str) -> Result<String, CatalogError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 300 {
        return Err(invalid("name", "Název musí mít 1 až 300 znaků."));
    }
    Ok(name.to_owned())
}

fn checked_price(field: &'static str, price: i64) -> Result<i64, CatalogError> {
    if !(1..=100_000_000_00).contains(&price) {
        return Err(invalid(
            field,
            "Cena musí být kladná (v haléřích) a nejvýš 100 000 000 Kč.",
        ));
    }
    Ok(price)
}

fn checked_vat(rate: i32) -> Result<i16, CatalogError> {
    u8::try_from(rate)
        .ok()
        .and_then(VatRate::new)
        .map(|r| i16::from(r.percent()))
        .ok_or_else(|| invalid("vatRate", "Sazba DPH může být 21, 12 nebo 0 %."))
}

fn checked_sku(sku: &str) -> Result<String, CatalogError> {
    let sku = sku.trim();
    if sku.is_empty()
        || sku.len() > 64
        || !sku
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
    {
        return Err(invalid(
            "sku",
            "SKU má 1 až 64 znaků: písmena bez diakritiky, číslice, - _ . /",
        ));
    }
    Ok(sku.to_owned())
}

fn checked_ean(ean: Option<String>) -> Result<Option<String>, CatalogError> {
    match ean.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()) {
        Some(ean)
            if !((ean.len() == 8 || ean.len() == 13)
                && ean.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Err(invalid("ean", "EAN má 8 nebo 13 číslic."))
        }
        ean => Ok(ean),
    }
}

fn checked_weight(weight: Option<i32>) -> Result<Option<i32>, CatalogError> {
    match weight {
        Some(w) if w < 0 => Err(invalid("weightGrams", "Hmotnost nemůže být záporná.")),
        w => Ok(w),
    }
}

fn checked_options(options: Option<Value>) -> Result<Value, CatalogError> {
    let options = options.unwrap_or_else(|| json!([]));
    let valid = options.as_array().is_some_and(|items| {
        items.len() <= 5
            && items.iter().all(|o| {
                o["name"]
                    .as_str()
                    .is_some_and(|n| !n.is_empty() && n.len() <= 50)
                    && o["value"]
                        .as_str()
                        .is_some_and(|v| !v.is_empty() && v.len() <= 50)
            })
    });
    if valid {
        Ok(options)
    } else {
        Err(invalid(
            "options",
            "Volby jsou nejvýš 5 dvojic název a hodnota.",
        ))
    }
}

/// A foreign key that points nowhere is the admin's input: the category or brand.
fn references(error: sqlx::Error) -> CatalogError {
    match &error {
        sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
            invalid("categoryId", "Kategorie nebo značka neexistuje.")
        }
        sqlx::Error::Database(e) if e.is_check_violation() => {
            invalid("ean", "Hodnota nesplňuje pravidla katalogu.")
        }
        _ => CatalogError::Database(error),
    }
}

fn duplicate_sku(error: sqlx::Error) -> CatalogError {
    unique(error, "sku", "Tento kód (SKU) už má jiná varianta.")
}

fn unique(error: sqlx::Error, field: &'static str, message: &str) -> CatalogError {
    match &error {
        sqlx::Error::Database(e) if e.is_unique_violation() => invalid(field, message),
        _ => CatalogError::Database(error),
    }
}

#[cfg(test)]
mod tests {
    use super::{Rounding, round};

    #[test]
    fn prices_round_to_crowns_or_nines() {
        assert_eq!(round(1_234_56, Rounding::None), 1_234_56);
        assert_eq!(round(1_234_56, Rounding::Crowns), 1_235_00);
        assert_eq!(round(1_234_49, Rounding::Crowns), 1_234_00);
        assert_eq!(round(1_234_56, Rounding::Nine), 1_239_00);
        assert_eq!(round(1_239_00, Rounding::Nine), 1_239_00);
        assert_eq!(round(1_240_01, Rounding::Nine), 1_249_00);
    }
}
