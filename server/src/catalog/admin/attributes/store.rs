//! The SQL of attribute definitions and products' values.

use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, Transaction};

use crate::catalog::model::AttributeKind;

/// An attribute with its list of values (select attributes).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Definition {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: AttributeKind,
    pub unit: Option<String>,
    pub values: Json<Vec<ValueRow>>,
}

/// A select attribute's value.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct ValueRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// Defines an attribute; `None` when the slug is taken.
pub(super) async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    slug: &str,
    name: &str,
    kind: AttributeKind,
    unit: Option<&str>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO attributes (slug, name, kind, unit) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(kind)
    .bind(unit)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds a value after the attribute's last one; `None` when the slug is taken.
pub(super) async fn insert_value(
    tx: &mut Transaction<'_, Postgres>,
    attribute_id: i64,
    slug: &str,
    name: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO attribute_values (attribute_id, slug, name, position) \
         SELECT $1, $2, $3, coalesce(max(position) + 1, 0) FROM attribute_values WHERE attribute_id = $1 \
         ON CONFLICT (attribute_id, slug) DO NOTHING RETURNING id",
    )
    .bind(attribute_id)
    .bind(slug)
    .bind(name)
    .fetch_optional(&mut **tx)
    .await
}

/// Attributes with their values, by name: all, or the one with `slug`.
pub(crate) async fn definitions(
    db: impl PgExecutor<'_>,
    slug: Option<&str>,
) -> sqlx::Result<Vec<Definition>> {
    sqlx::query_as(
        "SELECT a.id, a.slug, a.name, a.kind, a.unit, \
                coalesce((SELECT json_agg(json_build_object('id', v.id, 'slug', v.slug, 'name', v.name) \
                                          ORDER BY v.position, v.id) \
                            FROM attribute_values v WHERE v.attribute_id = a.id), '[]') AS values \
           FROM attributes a WHERE $1::text IS NULL OR a.slug = $1 ORDER BY a.name",
    )
    .bind(slug)
    .fetch_all(db)
    .await
}

/// A product's value in the column its kind uses.
#[derive(Debug, Clone)]
pub(super) enum Stored {
    Choice(i64),
    Text(String),
    Number(f64),
}

/// Sets a product's value; false when there is no such product.
pub(super) async fn set(
    tx: &mut Transaction<'_, Postgres>,
    product_id: i64,
    attribute_id: i64,
    value: &Stored,
) -> sqlx::Result<bool> {
    let (choice, text, number) = match value {
        Stored::Choice(id) => (Some(*id), None, None),
        Stored::Text(text) => (None, Some(text.as_str()), None),
        Stored::Number(number) => (None, None, Some(*number)),
    };
    let written = sqlx::query(
        "INSERT INTO product_attributes (product_id, attribute_id, value_id, text_value, number_value) \
         SELECT id, $2, $3, $4, $5 FROM products WHERE id = $1 \
         ON CONFLICT (product_id, attribute_id) DO UPDATE SET value_id = $3, text_value = $4, number_value = $5",
    )
    .bind(product_id)
    .bind(attribute_id)
    .bind(choice)
    .bind(text)
    .bind(number)
    .execute(&mut **tx)
    .await?;
    Ok(written.rows_affected() == 1)
}

/// Removes a product's value.
pub(super) async fn remove(
    tx: &mut Transaction<'_, Postgres>,
    product_id: i64,
    attribute_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM product_attributes WHERE product_id = $1 AND attribute_id = $2")
        .bind(product_id)
        .bind(attribute_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
