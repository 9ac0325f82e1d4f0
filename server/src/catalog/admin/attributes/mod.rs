//! Attributes and their values: an admin defines an attribute (text, number with a unit, or a
//! select with a list of values) and sets it on products; filters and facets follow. Each change
//! is one transaction with its audit entry.

pub(crate) mod graphql;
mod store;

use serde_json::json;
use sqlx::{Postgres, Transaction};

use super::service::{CatalogError, invalid};
use super::store::audit;
use crate::catalog::model::AttributeKind;
pub(crate) use store::Definition;

fn checked_name(name: &str) -> Result<(String, String), CatalogError> {
    let name = name.trim();
    let slug = crate::seed::slugify(name).trim_matches('-').to_owned();
    if name.is_empty() || name.chars().count() > 100 || slug.is_empty() {
        return Err(invalid(
            "name",
            "Název má 1 až 100 znaků a aspoň jedno písmeno nebo číslici.",
        ));
    }
    Ok((name.to_owned(), slug))
}

/// Defines an attribute; a unit only for numbers.
pub(crate) async fn create(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    name: String,
    kind: AttributeKind,
    unit: Option<String>,
) -> Result<Definition, CatalogError> {
    let (name, slug) = checked_name(&name)?;
    let unit = unit.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
    if unit
        .as_ref()
        .is_some_and(|u| kind != AttributeKind::Number || u.chars().count() > 20)
    {
        return Err(invalid(
            "unit",
            "Jednotku (nejvýš 20 znaků) mají jen číselné vlastnosti.",
        ));
    }
    let id = store::insert(tx, &slug, &name, kind, unit.as_deref())
        .await?
        .ok_or_else(|| invalid("name", "Vlastnost s tímto názvem už existuje."))?;
    audit(
        tx,
        admin,
        "attribute",
        id,
        "create",
        None,
        Some(json!({ "slug": slug, "name": name, "kind": kind, "unit": unit })),
    )
    .await?;
    existing(tx, &slug).await
}

/// Adds a value to a select attribute's list.
pub(crate) async fn add_value(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    attribute: String,
    name: String,
) -> Result<Definition, CatalogError> {
    let definition = existing(tx, &attribute).await?;
    if definition.kind != AttributeKind::Select {
        return Err(invalid(
            "attribute",
            "Hodnoty ze seznamu mají jen výběrové vlastnosti.",
        ));
    }
    let (name, slug) = checked_name(&name)?;
    let id = store::insert_value(tx, definition.id, &slug, &name)
        .await?
        .ok_or_else(|| invalid("name", "Tato hodnota už v seznamu je."))?;
    audit(
        tx,
        admin,
        "attribute_value",
        id,
        "create",
        None,
        Some(json!({ "attribute": attribute, "slug": slug, "name": name })),
    )
    .await?;
    existing(tx, &attribute).await
}

/// A product's value of an attribute, as an admin gives it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Value {
    /// A select attribute's value, by slug.
    pub choice: Option<String>,
    pub text: Option<String>,
    pub number: Option<f64>,
}

/// Sets (or replaces) a product's value of an attribute; the value must suit the attribute.
pub(crate) async fn set_on_product(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    product_id: i64,
    attribute: String,
    value: Value,
) -> Result<i64, CatalogError> {
    let definition = existing(tx, &attribute).await?;
    let stored = match definition.kind {
        AttributeKind::Select => {
            let slug = value
                .choice
                .ok_or_else(|| invalid("value", "Vyberte hodnotu ze seznamu."))?;
            let id = definition
                .values
                .iter()
                .find(|v| v.slug == slug)
                .map(|v| v.id)
                .ok_or_else(|| invalid("value", "Tato hodnota v seznamu není."))?;
            store::Stored::Choice(id)
        }
        AttributeKind::Text => {
            let text = value
                .text
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty() && t.chars().count() <= 500);
            store::Stored::Text(text.ok_or_else(|| invalid("text", "Text má 1 až 500 znaků."))?)
        }
        AttributeKind::Number => {
            let number = value.number.filter(|n| n.is_finite());
            store::Stored::Number(number.ok_or_else(|| invalid("number", "Zadejte číslo."))?)
        }
    };
    if !store::set(tx, product_id, definition.id, &stored).await? {
        return Err(CatalogError::NotFound("Product", product_id));
    }
    audit(
        tx,
        admin,
        "product",
        product_id,
        "attribute",
        None,
        Some(json!({ "attribute": attribute, "value": format!("{stored:?}") })),
    )
    .await?;
    Ok(product_id)
}

/// Removes a product's value of an attribute.
pub(crate) async fn remove_from_product(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    product_id: i64,
    attribute: String,
) -> Result<i64, CatalogError> {
    let definition = existing(tx, &attribute).await?;
    store::remove(tx, product_id, definition.id).await?;
    audit(
        tx,
        admin,
        "product",
        product_id,
        "attribute",
        Some(json!({ "attribute": attribute })),
        None,
    )
    .await?;
    Ok(product_id)
}

async fn existing(
    tx: &mut Transaction<'_, Postgres>,
    slug: &str,
) -> Result<Definition, CatalogError> {
    store::definitions(&mut **tx, Some(slug))
        .await?
        .pop()
        .ok_or_else(|| invalid("attribute", "Taková vlastnost neexistuje."))
}
