//! All SQL of catalog management.

use serde_json::Value;
use sqlx::{PgExecutor, Postgres, Transaction};

/// A product's editable fields.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub(crate) struct ProductRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub ean: Option<String>,
    pub brand_id: Option<i64>,
    pub category_id: i64,
    pub weight_grams: Option<i32>,
    pub status: crate::catalog::model::ProductStatus,
}

const PRODUCT: &str =
    "id, slug, name, description, ean, brand_id, category_id, weight_grams, status";

/// A product, locked.
pub(crate) async fn product_for_update(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<Option<ProductRow>> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT} FROM products WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether a product or a redirect already uses `slug` (other than product `except`).
pub(crate) async fn slug_taken(
    db: impl PgExecutor<'_>,
    slug: &str,
    except: Option<i64>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM products WHERE slug = $1 AND id IS DISTINCT FROM $2) \
             OR EXISTS (SELECT 1 FROM slug_redirects WHERE old_slug = $1 AND product_id IS DISTINCT FROM $2)",
    )
    .bind(slug)
    .bind(except)
    .fetch_one(db)
    .await
}

/// Writes a new product.
pub(crate) async fn insert_product(
    tx: &mut Transaction<'_, Postgres>,
    p: &ProductRow,
) -> sqlx::Result<ProductRow> {
    sqlx::query_as(&format!(
        "INSERT INTO products (slug, name, description, ean, brand_id, category_id, weight_grams, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {PRODUCT}"
    ))
    .bind(&p.slug)
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.ean)
    .bind(p.brand_id)
    .bind(p.category_id)
    .bind(p.weight_grams)
    .bind(p.status)
    .fetch_one(&mut **tx)
    .await
}

/// Saves a product's fields.
pub(crate) async fn update_product(
    tx: &mut Transaction<'_, Postgres>,
    p: &ProductRow,
) -> sqlx::Result<ProductRow> {
    sqlx::query_as(&format!(
        "UPDATE products SET slug = $2, name = $3, description = $4, ean = $5, brand_id = $6, category_id = $7, \
                weight_grams = $8, status = $9 WHERE id = $1 RETURNING {PRODUCT}"
    ))
    .bind(p.id)
    .bind(&p.slug)
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.ean)
    .bind(p.brand_id)
    .bind(p.category_id)
    .bind(p.weight_grams)
    .bind(p.status)
    .fetch_one(&mut **tx)
    .await
}

/// Keeps an old slug pointing at its product.
pub(crate) async fn add_redirect(
    tx: &mut Transaction<'_, Postgres>,
    old_slug: &str,
    product_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO slug_redirects (old_slug, product_id) VALUES ($1, $2) \
         ON CONFLICT (old_slug) DO UPDATE SET product_id = EXCLUDED.product_id",
    )
    .bind(old_slug)
    .bind(product_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A variant's editable fields.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub(crate) struct VariantRow {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub options: sqlx::types::Json<Value>,
    pub price_gross: i64,
    pub compare_at_gross: Option<i64>,
    pub vat_rate: i16,
}

const VARIANT: &str = "id, product_id, sku, options, price_gross, compare_at_gross, vat_rate";

/// A variant, locked.
pub(crate) async fn variant_for_update(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<Option<VariantRow>> {
    sqlx::query_as(&format!(
        "SELECT {VARIANT} FROM product_variants WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Writes a new variant (last in its product's order).
pub(crate) async fn insert_variant(
    tx: &mut Transaction<'_, Postgres>,
    v: &VariantRow,
) -> sqlx::Result<VariantRow> {
    sqlx::query_as(&format!(
        "INSERT INTO product_variants (product_id, sku, options, price_gross, compare_at_gross, vat_rate, stock_quantity, position) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, (SELECT coalesce(max(position), 0) + 1 FROM product_variants WHERE product_id = $1)) \
         RETURNING {VARIANT}"
    ))
    .bind(v.product_id)
    .bind(&v.sku)
    .bind(&v.options)
    .bind(v.price_gross)
    .bind(v.compare_at_gross)
    .bind(v.vat_rate)
    .fetch_one(&mut **tx)
    .await
}

/// Saves a variant's fields.
pub(crate) async fn update_variant(
    tx: &mut Transaction<'_, Postgres>,
    v: &VariantRow,
) -> sqlx::Result<VariantRow> {
    sqlx::query_as(&format!(
        "UPDATE product_variants SET sku = $2, options = $3, price_gross = $4, compare_at_gross = $5, vat_rate = $6 \
          WHERE id = $1 RETURNING {VARIANT}"
    ))
    .bind(v.id)
    .bind(&v.sku)
    .bind(&v.options)
    .bind(v.price_gross)
    .bind(v.compare_at_gross)
    .bind(v.vat_rate)
    .fetch_one(&mut **tx)
    .await
}

/// A category's place.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub(crate) struct CategoryRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub depth: i16,
    pub position: i32,
}

const CATEGORY: &str = "id, parent_id, slug, name, depth, position";

/// A category, locked.
pub(crate) async fn category_for_update(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<Option<CategoryRow>> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY} FROM categories WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Writes a new category.
pub(crate) async fn insert_category(
    tx: &mut Transaction<'_, Postgres>,
    c: &CategoryRow,
) -> sqlx::Result<CategoryRow> {
    sqlx::query_as(&format!(
        "INSERT INTO categories (parent_id, slug, name, depth, position) VALUES ($1, $2, $3, $4, $5) RETURNING {CATEGORY}"
    ))
    .bind(c.parent_id)
    .bind(&c.slug)
    .bind(&c.name)
    .bind(c.depth)
    .bind(c.position)
    .fetch_one(&mut **tx)
    .await
}

/// Whether `candidate` is `id` itself or one of its descendants.
pub(crate) async fn is_within(
    db: impl PgExecutor<'_>,
    id: i64,
    candidate: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "WITH RECURSIVE sub AS (SELECT id FROM categories WHERE id = $1 \
           UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) \
         SELECT EXISTS (SELECT 1 FROM sub WHERE id = $2)",
    )
    .bind(id)
    .bind(candidate)
    .fetch_one(db)
    .await
}

/// The depth of the deepest category below `id`, counted from `id` (0 for a leaf).
pub(crate) async fn subtree_height(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<i16> {
    sqlx::query_scalar(
        "WITH RECURSIVE sub AS (SELECT id, 0 AS level FROM categories WHERE id = $1 \
           UNION ALL SELECT c.id, sub.level + 1 FROM categories c JOIN sub ON c.parent_id = sub.id) \
         SELECT max(level)::int2 FROM sub",
    )
    .bind(id)
    .fetch_one(db)
    .await
}

/// Moves a category (and shifts its subtree's depths by `shift`).
pub(crate) async fn move_category(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    parent_id: Option<i64>,
    position: i32,
    shift: i16,
) -> sqlx::Result<CategoryRow> {
    sqlx::query(
        "WITH RECURSIVE sub AS (SELECT id FROM categories WHERE id = $1 \
           UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) \
         UPDATE categories SET depth = depth + $2 WHERE id IN (SELECT id FROM sub)",
    )
    .bind(id)
    .bind(shift)
    .execute(&mut **tx)
    .await?;
    sqlx::query_as(&format!(
        "UPDATE categories SET parent_id = $2, position = $3 WHERE id = $1 RETURNING {CATEGORY}"
    ))
    .bind(id)
    .bind(parent_id)
    .bind(position)
    .fetch_one(&mut **tx)
    .await
}

/// Writes a new brand; `None` when the slug is taken.
pub(crate) async fn insert_brand(
    tx: &mut Transaction<'_, Postgres>,
    slug: &str,
    name: &str,
) -> sqlx::Result<Option<(i64, String, String)>> {
    sqlx::query_as("INSERT INTO brands (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id, slug, name")
        .bind(slug)
        .bind(name)
        .fetch_optional(&mut **tx)
        .await
}

/// The brand with this slug.
pub(crate) async fn brand_by_slug(
    db: impl PgExecutor<'_>,
    slug: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM brands WHERE slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// Whether any order line has one of the product's variants.
pub(crate) async fn has_orders(db: impl PgExecutor<'_>, product_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM order_lines l JOIN product_variants v ON v.id = l.variant_id WHERE v.product_id = $1)",
    )
    .bind(product_id)
    .fetch_one(db)
    .await
}

/// Deletes a product with its variants.
pub(crate) async fn delete_product(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM products WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// A price a bulk change would set.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub(crate) struct PriceChange {
    pub variant_id: i64,
    pub sku: String,
    pub old_price: i64,
    pub new_price: i64,
}

/// The variants of a category (with its subcategories) and/or a brand, locked, with their prices.
pub(crate) async fn prices_for_update(
    tx: &mut Transaction<'_, Postgres>,
    category: Option<&str>,
    brand: Option<&str>,
) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "WITH RECURSIVE sub AS (SELECT id FROM categories WHERE slug = $1 \
           UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) \
         SELECT v.id, v.sku, v.price_gross FROM product_variants v JOIN products p ON p.id = v.product_id \
          WHERE ($1::text IS NULL OR p.category_id IN (SELECT id FROM sub)) \
            AND ($2::text IS NULL OR p.brand_id = (SELECT id FROM brands WHERE slug = $2)) \
          ORDER BY v.id FOR UPDATE OF v",
    )
    .bind(category)
    .bind(brand)
    .fetch_all(&mut **tx)
    .await
}

/// Sets new prices, all in one statement.
pub(crate) async fn set_prices(
    tx: &mut Transaction<'_, Postgres>,
    changes: &[PriceChange],
) -> sqlx::Result<()> {
    let ids: Vec<i64> = changes.iter().map(|c| c.variant_id).collect();
    let prices: Vec<i64> = changes.iter().map(|c| c.new_price).collect();
    sqlx::query(
        "UPDATE product_variants v SET price_gross = n.price FROM UNNEST($1::int8[], $2::int8[]) AS n(id, price) WHERE v.id = n.id",
    )
    .bind(&ids)
    .bind(&prices)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Records who changed what.
pub(crate) async fn audit(
    tx: &mut Transaction<'_, Postgres>,
    actor: i64,
    entity: &str,
    entity_id: i64,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO catalog_audit (actor_id, entity, entity_id, action, before, after) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor)
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(before)
    .bind(after)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A gallery image as catalog management sees it.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub(crate) struct ImageRow {
    pub id: i64,
    pub product_id: i64,
    pub url: String,
    pub alt: String,
    pub position: i32,
}

const IMAGE: &str = "id, product_id, url, alt, position";

/// How many of the products exist.
pub(crate) async fn products_exist(db: impl PgExecutor<'_>, ids: &[i64]) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM products WHERE id = ANY ($1)")
        .bind(ids)
        .fetch_one(db)
        .await
}

/// Adds an image after the product's last one.
pub(crate) async fn insert_image(
    tx: &mut Transaction<'_, Postgres>,
    product_id: i64,
    url: &str,
    alt: &str,
    media_key: &str,
    widths: &[i32],
) -> sqlx::Result<ImageRow> {
    sqlx::query_as(&format!(
        "INSERT INTO product_images (product_id, url, alt, position, media_key, widths) \
         SELECT $1, $2, $3, coalesce(max(position) + 1, 0), $4, $5 FROM product_images WHERE product_id = $1 \
         RETURNING {IMAGE}"
    ))
    .bind(product_id)
    .bind(url)
    .bind(alt)
    .bind(media_key)
    .bind(widths)
    .fetch_one(&mut **tx)
    .await
}

/// An image, locked.
pub(crate) async fn image_for_update(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
) -> sqlx::Result<Option<ImageRow>> {
    sqlx::query_as(&format!(
        "SELECT {IMAGE} FROM product_images WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The ids of a product's images in gallery order.
pub(crate) async fn gallery_ids(
    tx: &mut Transaction<'_, Postgres>,
    product_id: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM product_images WHERE product_id = $1 ORDER BY position, id")
        .bind(product_id)
        .fetch_all(&mut **tx)
        .await
}

/// Numbers the images 0, 1, 2, … in the order given.
pub(crate) async fn reorder_gallery(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE product_images i SET position = o.n - 1 \
           FROM UNNEST ($1::bigint[]) WITH ORDINALITY AS o (id, n) WHERE i.id = o.id",
    )
    .bind(ids)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Saves an image's alt text and position.
pub(crate) async fn update_image(
    tx: &mut Transaction<'_, Postgres>,
    image: &ImageRow,
) -> sqlx::Result<ImageRow> {
    sqlx::query_as(&format!(
        "UPDATE product_images SET alt = $2, position = $3 WHERE id = $1 RETURNING {IMAGE}"
    ))
    .bind(image.id)
    .bind(&image.alt)
    .bind(image.position)
    .fetch_one(&mut **tx)
    .await
}

/// Removes an image from its gallery.
pub(crate) async fn delete_image(tx: &mut Transaction<'_, Postgres>, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM product_images WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
