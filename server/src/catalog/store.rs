//! All SQL of the catalog. Other domains call these functions, never the tables.

use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder, Transaction};

use super::filter::{ATTRIBUTE_MATCH, Except, ProductFilter, push_selection_rows};
use super::model::{AttributeKind, Brand, Category, Image, Product, ProductAttribute, Variant};

const PRODUCT_COLUMNS: &str = Product::COLUMNS;
const VARIANT_COLUMNS: &str = Variant::COLUMNS;
const IMAGE_COLUMNS: &str = Image::COLUMNS;

/// The order of a product listing. Every order ends with the id, so pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProductOrder {
    /// Search rank when searching; otherwise featured products first.
    Relevance,
    PriceAsc,
    PriceDesc,
    NameAsc,
    Newest,
}

impl ProductOrder {
    fn sql(self, searching: bool) -> &'static str {
        match self {
            Self::Relevance if searching => {
                " ORDER BY ts_rank_cd(p.search_vector, to_tsquery('simple', $Q)) DESC, p.id"
            }
            Self::Relevance => " ORDER BY p.featured DESC, p.id",
            Self::PriceAsc => " ORDER BY p.price_min, p.id",
            Self::PriceDesc => " ORDER BY p.price_min DESC, p.id DESC",
            Self::NameAsc => " ORDER BY p.name COLLATE \"cs-x-icu\", p.id",
            Self::Newest => " ORDER BY p.created_at DESC, p.id DESC",
        }
    }
}

/// One page of the products that pass `filter`, in `order`.
pub(crate) async fn list_products(
    pool: &PgPool,
    filter: &ProductFilter,
    order: ProductOrder,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Product>> {
    let mut qb = QueryBuilder::<Postgres>::new(format!("SELECT {PRODUCT_COLUMNS} FROM products p"));
    filter.push_where(&mut qb, Except::Nothing);
    match (
        order.sql(filter.text_query.is_some()).split_once("$Q"),
        &filter.text_query,
    ) {
        (Some((before, after)), Some(query)) => {
            qb.push(before).push_bind(query.clone()).push(after);
        }
        _ => {
            qb.push(order.sql(false));
        }
    }
    qb.push(" LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    qb.build_query_as().fetch_all(pool).await
}

/// How many products pass `filter`.
pub(crate) async fn count_products(pool: &PgPool, filter: &ProductFilter) -> sqlx::Result<i64> {
    let mut qb = QueryBuilder::<Postgres>::new("SELECT count(*) FROM products p");
    filter.push_where(&mut qb, Except::Nothing);
    qb.build_query_scalar().fetch_one(pool).await
}

/// Brands of the products that pass `filter` (ignoring its brand condition), with counts.
pub(crate) async fn brand_facets(
    pool: &PgPool,
    filter: &ProductFilter,
) -> sqlx::Result<Vec<(Brand, i64)>> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT b.id, b.slug, b.name, count(*) AS count FROM products p JOIN brands b ON b.id = p.brand_id",
    );
    filter.push_where(&mut qb, Except::Brands);
    qb.push(" GROUP BY b.id ORDER BY b.name COLLATE \"cs-x-icu\"");
    let rows: Vec<(i64, String, String, i64)> = qb.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, count)| (Brand { id, slug, name }, count))
        .collect())
}

/// Lowest and highest product price among products that pass `filter` (ignoring its price bounds).
pub(crate) async fn price_range(
    pool: &PgPool,
    filter: &ProductFilter,
) -> sqlx::Result<Option<(i64, i64)>> {
    let mut qb =
        QueryBuilder::<Postgres>::new("SELECT min(p.price_min), max(p.price_min) FROM products p");
    filter.push_where(&mut qb, Except::Price);
    let (min, max): (Option<i64>, Option<i64>) = qb.build_query_as().fetch_one(pool).await?;
    Ok(min.zip(max))
}

/// A facet row: a select attribute's value with its count, or a number attribute's range.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub(crate) struct AttributeFacetRow {
    pub attribute_slug: String,
    pub attribute_name: String,
    pub kind: AttributeKind,
    pub unit: Option<String>,
    pub value_slug: Option<String>,
    pub value_name: Option<String>,
    pub count: i64,
    pub number_min: Option<f64>,
    pub number_max: Option<f64>,
}

/// Facets of the select and number attributes of the products that pass `filter`.
///
/// The counts for one attribute apply every condition except that attribute's own, so a shopper
/// sees how many products each further value of an attribute they already chose would add.
pub(crate) async fn attribute_facets(
    pool: &PgPool,
    filter: &ProductFilter,
) -> sqlx::Result<Vec<AttributeFacetRow>> {
    let mut qb = QueryBuilder::<Postgres>::new("WITH sel AS (SELECT * FROM ");
    push_selection_rows(&mut qb, filter);
    qb.push("), base AS (SELECT p.id FROM products p");
    filter.push_where(&mut qb, Except::Attributes);
    qb.push(
        "), matched AS (SELECT p.id, coalesce(array_agg(s.slug) FILTER (WHERE s.slug IS NOT NULL), '{}') AS slugs \
           FROM base p LEFT JOIN sel s ON ",
    );
    qb.push(ATTRIBUTE_MATCH);
    qb.push(
        " GROUP BY p.id) \
         SELECT a.slug AS attribute_slug, a.name AS attribute_name, a.kind, a.unit, \
                av.slug AS value_slug, av.name AS value_name, count(*) AS count, \
                min(pa.number_value) AS number_min, max(pa.number_value) AS number_max \
           FROM matched m \
           JOIN product_attributes pa ON pa.product_id = m.id \
           JOIN attributes a ON a.id = pa.attribute_id AND a.kind IN ('SELECT', 'NUMBER') \
           LEFT JOIN attribute_values av ON av.id = pa.value_id \
          WHERE array_remove((SELECT coalesce(array_agg(slug), '{}') FROM sel), a.slug) <@ m.slugs \
          GROUP BY a.id, av.id \
          ORDER BY a.name COLLATE \"cs-x-icu\", av.position, av.name",
    );
    qb.build_query_as().fetch_all(pool).await
}

/// A published product by its slug, or by a slug it had before (the caller sees the new one).
pub(crate) async fn product_by_slug(pool: &PgPool, slug: &str) -> sqlx::Result<Option<Product>> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p \
          WHERE p.status = 'PUBLISHED' AND (p.slug = $1 OR p.id = (SELECT product_id FROM slug_redirects WHERE old_slug = $1)) \
          ORDER BY p.slug = $1 DESC LIMIT 1"
    ))
    .bind(slug)
    .fetch_optional(pool)
    .await
}

pub(crate) async fn products_by_ids(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<Product>> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = ANY ($1)"
    ))
    .bind(ids)
    .fetch_all(pool)
    .await
}

const CATEGORY_COLUMNS: &str = "id, parent_id, slug, name, description, depth, featured";

pub(crate) async fn categories_by_ids(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories WHERE id = ANY ($1)"
    ))
    .bind(ids)
    .fetch_all(pool)
    .await
}

/// Every category in display order: by depth, then position among siblings, then name.
pub(crate) async fn category_tree(pool: &PgPool) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories ORDER BY depth, position, name"
    ))
    .fetch_all(pool)
    .await
}

pub(crate) async fn brands_by_ids(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<Brand>> {
    sqlx::query_as("SELECT id, slug, name FROM brands WHERE id = ANY ($1)")
        .bind(ids)
        .fetch_all(pool)
        .await
}

pub(crate) async fn all_brands(pool: &PgPool) -> sqlx::Result<Vec<Brand>> {
    sqlx::query_as("SELECT id, slug, name FROM brands ORDER BY name COLLATE \"cs-x-icu\"")
        .fetch_all(pool)
        .await
}

/// The descriptions of the given products, by id: read only where shown (a product's page, the
/// feeds), not with every listed product.
pub(crate) async fn descriptions_of(
    pool: &PgPool,
    ids: &[i64],
) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT id, description FROM products WHERE id = ANY ($1)")
        .bind(ids)
        .fetch_all(pool)
        .await
}

/// Variants of the given products, in display order.
pub(crate) async fn variants_of(pool: &PgPool, product_ids: &[i64]) -> sqlx::Result<Vec<Variant>> {
    let mut variants: Vec<Variant> = sqlx::query_as(&format!(
        "SELECT {VARIANT_COLUMNS} FROM product_variants WHERE product_id = ANY ($1)"
    ))
    .bind(product_ids)
    .fetch_all(pool)
    .await?;
    in_display_order(&mut variants, |v| (v.position, v.id));
    Ok(variants)
}

/// Sorts a page's rows by `key` (position, then id). Done here, not with `ORDER BY`:
/// PostgreSQL's sort of a page's few dozen rows cost it more than finding them (a third more
/// variant lookups and two fifths more image lookups a second without it).
fn in_display_order<T>(rows: &mut [T], key: fn(&T) -> (i32, i64)) {
    rows.sort_unstable_by_key(key);
}

pub(crate) async fn variants_by_ids(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<Variant>> {
    sqlx::query_as(&format!(
        "SELECT {VARIANT_COLUMNS} FROM product_variants WHERE id = ANY ($1)"
    ))
    .bind(ids)
    .fetch_all(pool)
    .await
}

/// Images of the given products, in gallery order.
pub(crate) async fn images_of(pool: &PgPool, product_ids: &[i64]) -> sqlx::Result<Vec<Image>> {
    let mut images: Vec<Image> = sqlx::query_as(&format!(
        "SELECT {IMAGE_COLUMNS} FROM product_images WHERE product_id = ANY ($1)"
    ))
    .bind(product_ids)
    .fetch_all(pool)
    .await?;
    in_display_order(&mut images, |i| (i.position, i.id));
    Ok(images)
}

/// The first image (in gallery order) of each of the given products that has one.
pub(crate) async fn featured_images_of(
    pool: &PgPool,
    product_ids: &[i64],
) -> sqlx::Result<Vec<Image>> {
    sqlx::query_as(&format!(
        "SELECT DISTINCT ON (product_id) {IMAGE_COLUMNS} FROM product_images \
         WHERE product_id = ANY ($1) ORDER BY product_id, position, id"
    ))
    .bind(product_ids)
    .fetch_all(pool)
    .await
}

/// Attribute values of the given products, ordered by attribute name.
pub(crate) async fn attributes_of(
    pool: &PgPool,
    product_ids: &[i64],
) -> sqlx::Result<Vec<ProductAttribute>> {
    sqlx::query_as(
        "SELECT pa.product_id, a.slug AS attribute_slug, a.name AS attribute_name, a.kind, a.unit, \
                av.slug AS value_slug, av.name AS value_name, pa.text_value, pa.number_value \
           FROM product_attributes pa \
           JOIN attributes a ON a.id = pa.attribute_id \
           LEFT JOIN attribute_values av ON av.id = pa.value_id \
          WHERE pa.product_id = ANY ($1) \
          ORDER BY a.name COLLATE \"cs-x-icu\"",
    )
    .bind(product_ids)
    .fetch_all(pool)
    .await
}

/// Each word of a search query (lower case, without diacritics) with the catalog word it stands for:
/// itself when the catalog has it or a word starting with it, else the closest word within a typo
/// or two, else `None`.
pub(crate) async fn correct_words(
    pool: &PgPool,
    query: &str,
) -> sqlx::Result<Vec<(String, Option<String>)>> {
    sqlx::query_as(
        "SELECT w.word, CASE \
             WHEN EXISTS (SELECT 1 FROM search_lexicon l WHERE l.word LIKE w.word || '%') THEN w.word \
             ELSE (SELECT l.word FROM search_lexicon l \
                    WHERE abs(length(l.word) - length(w.word)) <= 2 \
                      AND levenshtein(l.word, w.word) <= CASE WHEN length(w.word) <= 4 THEN 1 ELSE 2 END \
                    ORDER BY levenshtein(l.word, w.word), similarity(l.word, w.word) DESC, l.word \
                    LIMIT 1) \
           END \
           FROM unnest(regexp_split_to_array(shop_search_text($1), '[^a-z0-9]+')) WITH ORDINALITY AS w(word, n) \
          WHERE w.word <> '' \
          ORDER BY w.n",
    )
    .bind(query)
    .fetch_all(pool)
    .await
}

/// Categories with a word starting with each of the given normalised words.
pub(crate) async fn categories_matching(
    pool: &PgPool,
    words: &[String],
    limit: i64,
) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories \
          WHERE (SELECT bool_and(' ' || shop_search_text(name) LIKE '% ' || w || '%') FROM unnest($1::text[]) AS w) \
          ORDER BY depth, position LIMIT $2"
    ))
    .bind(words)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Rebuilds the word list used for typo correction; call after changing product texts.
pub(crate) async fn refresh_search_lexicon(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query("REFRESH MATERIALIZED VIEW search_lexicon")
        .execute(pool)
        .await
        .map(|_| ())
}

/// What an order keeps of a variant: its SKU, its product's name and its options as one title.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct VariantLabel {
    pub id: i64,
    pub sku: String,
    pub product_name: String,
    /// The option values joined, e.g. `Černá / XL` (empty for a product without options).
    pub title: String,
}

/// The labels of variants, in any order (in the caller's transaction when given one).
pub(crate) async fn variant_labels(
    db: impl PgExecutor<'_>,
    ids: &[i64],
) -> sqlx::Result<Vec<VariantLabel>> {
    sqlx::query_as(
        "SELECT v.id, v.sku, p.name AS product_name, \
                coalesce((SELECT string_agg(o->>'value', ' / ') FROM jsonb_array_elements(v.options) o), '') AS title \
           FROM product_variants v JOIN products p ON p.id = v.product_id \
          WHERE v.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(db)
    .await
}

/// What a shopping assistant shows and checks of a product.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub(crate) struct ProductCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The lowest variant price, haléře.
    pub price_min: i64,
    pub in_stock: bool,
    pub brand_slug: Option<String>,
    pub brand: Option<String>,
    /// The category and its ancestors' slugs, nearest first.
    pub categories: Vec<String>,
    pub category: String,
    /// Values of select attributes as `attribute:value` slugs.
    pub values: Vec<String>,
}

/// The cards of products, in any order.
pub(crate) async fn product_cards(pool: &PgPool, ids: &[i64]) -> sqlx::Result<Vec<ProductCard>> {
    sqlx::query_as(
        "WITH RECURSIVE up AS ( \
           SELECT p.id AS product_id, c.id, c.parent_id, c.slug, 0 AS level FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = ANY ($1) \
           UNION ALL SELECT up.product_id, c.id, c.parent_id, c.slug, up.level + 1 FROM up JOIN categories c ON c.id = up.parent_id) \
         SELECT p.id, p.slug, p.name, coalesce(p.price_min, 0) AS price_min, \
                EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.stock_quantity > 0) AS in_stock, \
                b.slug AS brand_slug, b.name AS brand, c.name AS category, \
                ARRAY(SELECT up.slug FROM up WHERE up.product_id = p.id ORDER BY up.level) AS categories, \
                ARRAY(SELECT a.slug || ':' || av.slug FROM product_attributes pa JOIN attributes a ON a.id = pa.attribute_id \
                      JOIN attribute_values av ON av.id = pa.value_id WHERE pa.product_id = p.id) AS values \
           FROM products p LEFT JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id \
          WHERE p.id = ANY ($1)",
    )
    .bind(ids)
    .fetch_all(pool)
    .await
}

/// The words of the catalog: categories (slug, name, depth, parent's slug), brands (slug, name)
/// and the values of select attributes (attribute slug, value slug, value name).
#[allow(clippy::type_complexity)]
pub(crate) async fn vocabulary(
    pool: &PgPool,
) -> sqlx::Result<(
    Vec<(String, String, i16, Option<String>)>,
    Vec<(String, String)>,
    Vec<(String, String, String)>,
)> {
    let categories = sqlx::query_as(
        "SELECT c.slug, c.name, c.depth, parent.slug FROM categories c \
           LEFT JOIN categories parent ON parent.id = c.parent_id ORDER BY c.depth, c.position",
    )
    .fetch_all(pool)
    .await?;
    let brands = sqlx::query_as("SELECT slug, name FROM brands ORDER BY name")
        .fetch_all(pool)
        .await?;
    let values = sqlx::query_as(
        "SELECT a.slug, av.slug, av.name FROM attribute_values av JOIN attributes a ON a.id = av.attribute_id \
          WHERE a.kind = 'SELECT' ORDER BY a.slug, av.position",
    )
    .fetch_all(pool)
    .await?;
    Ok((categories, brands, values))
}

/// Published products with an id above `after`, by id (for reading the catalog in batches).
pub(crate) async fn published_after(
    pool: &PgPool,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<Product>> {
    sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.status = 'PUBLISHED' AND p.id > $1 ORDER BY p.id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Sets a product's rating: how many approved reviews and their stars in total. Called by the
/// reviews when one is approved or withdrawn.
pub(crate) async fn set_rating(
    tx: &mut Transaction<'_, Postgres>,
    product_id: i64,
    count: i32,
    total: i32,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE products SET rating_count = $2, rating_total = $3 WHERE id = $1")
        .bind(product_id)
        .bind(count)
        .bind(total)
        .execute(&mut **tx)
        .await
        .map(drop)
}
