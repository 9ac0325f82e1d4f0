//! The demo catalog: a believable Czech shop, generated deterministically in any size.

mod data;

use std::collections::HashMap;

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use crate::catalog::store::refresh_search_lexicon;
use data::{ATTRIBUTES, DEPARTMENTS, Department, Leaf, MODELS};

/// How many products the demo shop gets unless told otherwise.
pub const DEMO_PRODUCTS: usize = 240;
/// Products inserted per statement.
const CHUNK: usize = 500;

/// Loads the demo catalog when the database has no products yet. Returns whether it did.
pub async fn seed_if_empty(pool: &PgPool, products: usize) -> sqlx::Result<bool> {
    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM products)")
        .fetch_one(pool)
        .await?;
    if empty {
        seed(pool, products).await?;
    }
    Ok(empty)
}

/// Loads the demo catalog with `products` products into an empty catalog, in one transaction.
pub async fn seed(pool: &PgPool, products: usize) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    // Concurrent starts of several instances: only one seeds, the others wait and find it done.
    sqlx::query("SELECT pg_advisory_xact_lock(7474)")
        .execute(&mut *tx)
        .await?;
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM products)")
        .fetch_one(&mut *tx)
        .await?;
    if taken {
        return tx.commit().await;
    }
    let leaves = insert_categories(&mut tx).await?;
    let brands = insert_brands(&mut tx).await?;
    let attributes = insert_attributes(&mut tx).await?;
    let mut rng = Rng(0x5EED_CAFE);
    let plans: Vec<ProductPlan> = (0..products)
        .map(|i| ProductPlan::new(i, &leaves, &mut rng))
        .collect();
    for chunk in plans.chunks(CHUNK) {
        insert_products(&mut tx, chunk, &brands, &attributes, &mut rng).await?;
    }
    crate::inventory::store::receive_initial_stock(&mut tx).await?;
    insert_discount_codes(&mut tx).await?;
    tx.commit().await?;
    crate::pickup_points::demo::load_if_empty(pool).await?;
    refresh_search_lexicon(pool).await?;
    // The price trigger rewrote every product row: reclaim the dead rows, refresh statistics.
    sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    tracing::info!(products, "loaded the demo catalog");
    Ok(())
}

/// Demo discount codes: 10 % off anything, and 200 Kč off from 1 000 Kč.
async fn insert_discount_codes(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO discount_codes (code, kind, value, min_order) \
         VALUES ('VITEJTE10', 'PERCENT', 10, 0), ('SLEVA200', 'FIXED', 20000, 100000) \
         ON CONFLICT (code) DO NOTHING",
    )
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A leaf category with its database id and department.
struct PlacedLeaf {
    id: i64,
    leaf: &'static Leaf,
    department: &'static Department,
}

async fn insert_categories(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<Vec<PlacedLeaf>> {
    let mut leaves = Vec::new();
    for (d, department) in DEPARTMENTS.iter().enumerate() {
        let dept_id = insert_category(
            tx,
            None,
            department.slug,
            department.name,
            department.description,
            0,
            d,
            true,
        )
        .await?;
        for (c, category) in department.categories.iter().enumerate() {
            let text = format!("{} v kategorii {}.", category.name, department.name);
            let cat_id = insert_category(
                tx,
                Some(dept_id),
                category.slug,
                category.name,
                &text,
                1,
                c,
                false,
            )
            .await?;
            for (l, leaf) in category.leaves.iter().enumerate() {
                let text = format!(
                    "{} – vybírejte z nabídky značkových výrobků se zárukou.",
                    leaf.name
                );
                let featured = c == 0 && l == 0;
                let id = insert_category(
                    tx,
                    Some(cat_id),
                    leaf.slug,
                    leaf.name,
                    &text,
                    2,
                    l,
                    featured,
                )
                .await?;
                leaves.push(PlacedLeaf {
                    id,
                    leaf,
                    department,
                });
            }
        }
    }
    Ok(leaves)
}

#[allow(clippy::too_many_arguments)]
async fn insert_category(
    tx: &mut Transaction<'_, Postgres>,
    parent: Option<i64>,
    slug: &str,
    name: &str,
    description: &str,
    depth: i16,
    position: usize,
    featured: bool,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO categories (parent_id, slug, name, description, depth, position, featured) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(parent)
    .bind(slug)
    .bind(name)
    .bind(description)
    .bind(depth)
    .bind(position as i32)
    .bind(featured)
    .fetch_one(&mut **tx)
    .await
}

async fn insert_brands(
    tx: &mut Transaction<'_, Postgres>,
) -> sqlx::Result<HashMap<&'static str, i64>> {
    let mut names: Vec<&'static str> = DEPARTMENTS
        .iter()
        .flat_map(|d| d.brands.iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    let slugs: Vec<String> = names.iter().map(|n| slugify(n)).collect();
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO brands (slug, name) SELECT s, n FROM UNNEST($1::text[], $2::text[]) WITH ORDINALITY AS t(s, n, o) \
         ORDER BY o RETURNING id",
    )
    .bind(&slugs)
    .bind(&names)
    .fetch_all(&mut **tx)
    .await?;
    Ok(names.into_iter().zip(ids).collect())
}

/// Attribute ids by slug, and value ids by (attribute slug, value name).
struct AttributeIds {
    attributes: HashMap<&'static str, i64>,
    values: HashMap<(&'static str, &'static str), i64>,
}

async fn insert_attributes(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<AttributeIds> {
    let mut ids = AttributeIds {
        attributes: HashMap::new(),
        values: HashMap::new(),
    };
    for (slug, name, kind, unit) in ATTRIBUTES {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attributes (slug, name, kind, unit) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(kind)
        .bind(unit)
        .fetch_one(&mut **tx)
        .await?;
        ids.attributes.insert(slug, id);
    }
    for department in DEPARTMENTS {
        for (attribute, values) in department.selects {
            for (position, value) in values.iter().enumerate() {
                if ids.values.contains_key(&(*attribute, *value)) {
                    continue;
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO attribute_values (attribute_id, slug, name, position) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (attribute_id, slug) DO UPDATE SET name = EXCLUDED.name RETURNING id",
                )
                .bind(ids.attributes[attribute])
                .bind(slugify(value))
                .bind(value)
                .bind(position as i32)
                .fetch_one(&mut **tx)
                .await?;
                ids.values.insert((attribute, value), id);
            }
        }
    }
    Ok(ids)
}

/// What one generated product will be.
struct ProductPlan {
    index: usize,
    leaf_id: i64,
    leaf: &'static Leaf,
    department: &'static Department,
    brand: &'static str,
    name: String,
    slug: String,
}

impl ProductPlan {
    fn new(index: usize, leaves: &[PlacedLeaf], rng: &mut Rng) -> Self {
        let placed = &leaves[index % leaves.len()];
        let round = index / leaves.len();
        let model = MODELS[round % MODELS.len()];
        let series = round / MODELS.len();
        let brand = placed.department.brands[rng.below(placed.department.brands.len())];
        let mut name = format!("{} {brand} {model}", placed.leaf.noun);
        if series > 0 {
            name.push_str(&format!(" {}", series + 1));
        }
        let slug = slugify(&format!("{} {model} {}", placed.leaf.noun, series + 1));
        Self {
            index,
            leaf_id: placed.id,
            leaf: placed.leaf,
            department: placed.department,
            brand,
            name,
            slug,
        }
    }
}

/// Column vectors for one `INSERT … SELECT FROM UNNEST(…)` per table.
#[derive(Default)]
struct Rows {
    variant_product: Vec<i64>,
    variant_sku: Vec<String>,
    variant_options: Vec<serde_json::Value>,
    variant_price: Vec<i64>,
    variant_compare: Vec<Option<i64>>,
    variant_vat: Vec<i16>,
    variant_stock: Vec<i32>,
    variant_position: Vec<i32>,
    image_product: Vec<i64>,
    image_url: Vec<String>,
    image_alt: Vec<String>,
    image_position: Vec<i32>,
    attr_product: Vec<i64>,
    attr_id: Vec<i64>,
    attr_value: Vec<Option<i64>>,
    attr_text: Vec<Option<String>>,
    attr_number: Vec<Option<f64>>,
}

async fn insert_products(
    tx: &mut Transaction<'_, Postgres>,
    plans: &[ProductPlan],
    brands: &HashMap<&'static str, i64>,
    attributes: &AttributeIds,
    rng: &mut Rng,
) -> sqlx::Result<()> {
    let descriptions: Vec<String> = plans.iter().map(description).collect();
    let eans: Vec<String> = plans.iter().map(|p| ean(p.index)).collect();
    let ages: Vec<i32> = plans.iter().map(|_| rng.below(365) as i32).collect();
    let weights: Vec<i32> = plans
        .iter()
        .map(|_| 200 + rng.below(15_000) as i32)
        .collect();
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO products (slug, name, description, ean, brand_id, category_id, weight_grams, \
                               length_mm, width_mm, height_mm, featured, created_at) \
         SELECT slug, name, descr, ean, brand, cat, w, 300 + w % 500, 200 + w % 300, 100 + w % 400, feat, \
                now() - make_interval(days => age) \
           FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::int4[], \
                       $8::bool[], $9::int4[]) WITH ORDINALITY \
                AS t(slug, name, descr, ean, brand, cat, w, feat, age, o) \
          ORDER BY o RETURNING id",
    )
    .bind(plans.iter().map(|p| p.slug.clone()).collect::<Vec<_>>())
    .bind(plans.iter().map(|p| p.name.clone()).collect::<Vec<_>>())
    .bind(&descriptions)
    .bind(&eans)
    .bind(plans.iter().map(|p| brands[p.brand]).collect::<Vec<_>>())
    .bind(plans.iter().map(|p| p.leaf_id).collect::<Vec<_>>())
    .bind(&weights)
    .bind(plans.iter().map(|p| p.index < 60 && p.index % 3 == 0).collect::<Vec<_>>())
    .bind(&ages)
    .fetch_all(&mut **tx)
    .await?;

    let mut rows = Rows::default();
    for (plan, id) in plans.iter().zip(ids) {
        plan_variants(&mut rows, plan, id, rng);
        plan_images(&mut rows, plan, id);
        plan_attributes(&mut rows, plan, id, attributes, rng);
    }
    sqlx::query(
        "INSERT INTO product_variants (product_id, sku, options, price_gross, compare_at_gross, vat_rate, \
                                       stock_quantity, position) \
         SELECT * FROM UNNEST($1::int8[], $2::text[], $3::jsonb[], $4::int8[], $5::int8[], $6::int2[], \
                              $7::int4[], $8::int4[])",
    )
    .bind(&rows.variant_product)
    .bind(&rows.variant_sku)
    .bind(&rows.variant_options)
    .bind(&rows.variant_price)
    .bind(&rows.variant_compare)
    .bind(&rows.variant_vat)
    .bind(&rows.variant_stock)
    .bind(&rows.variant_position)
    .execute(&mut **tx)
    .await?;
    // A demo discount is real: the higher price was in effect for the 30 days before it.
    sqlx::query(
        "WITH discounted AS ( \
           UPDATE product_variants SET lowest_price_30d = compare_at_gross \
            WHERE compare_at_gross > price_gross AND lowest_price_30d = price_gross RETURNING id, compare_at_gross) \
         INSERT INTO price_history (variant_id, price_gross, changed_at) \
         SELECT id, compare_at_gross, now() - interval '40 days' FROM discounted",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO product_images (product_id, url, alt, position) \
         SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::int4[])",
    )
    .bind(&rows.image_product)
    .bind(&rows.image_url)
    .bind(&rows.image_alt)
    .bind(&rows.image_position)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO product_attributes (product_id, attribute_id, value_id, text_value, number_value) \
         SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::float8[])",
    )
    .bind(&rows.attr_product)
    .bind(&rows.attr_id)
    .bind(&rows.attr_value)
    .bind(&rows.attr_text)
    .bind(&rows.attr_number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn plan_variants(rows: &mut Rows, plan: &ProductPlan, product_id: i64, rng: &mut Rng) {
    let (option_name, values) = plan.department.option;
    let (from, to) = plan.department.variants;
    let count = (from + rng.below(to - from + 1)).min(values.len());
    let (low, high) = plan.leaf.price;
    // Prices end in 9 or 90 haléř-free crowns, as shops price: 1 290 Kč, 349 Kč.
    let base = (low + rng.below((high - low) as usize + 1) as i64) / 10 * 10 + 9;
    let discounted = rng.below(5) == 0;
    for (position, value) in values.iter().take(count).enumerate() {
        let price = (base + position as i64 * base / 10) / 10 * 10 + 9;
        rows.variant_product.push(product_id);
        rows.variant_sku.push(format!(
            "{}-{:05}-{}",
            &plan.department.slug[..3].to_uppercase(),
            plan.index,
            position + 1
        ));
        let options = if count > 1 || values.len() > 1 {
            json!([{ "name": option_name, "value": value }])
        } else {
            json!([])
        };
        rows.variant_options.push(options);
        rows.variant_price.push(price * 100);
        rows.variant_compare
            .push(discounted.then(|| (price + price / 5) / 10 * 10 * 100 + 900));
        rows.variant_vat.push(plan.department.vat_rate);
        rows.variant_stock.push(if rng.below(10) == 0 {
            0
        } else {
            rng.below(60) as i32 + 1
        });
        rows.variant_position.push(position as i32);
    }
}

fn plan_images(rows: &mut Rows, plan: &ProductPlan, product_id: i64) {
    let hue = (plan.leaf_id as usize * 47 + plan.index * 7) % 360;
    for (position, shift) in [0, 40, 200].into_iter().enumerate() {
        rows.image_product.push(product_id);
        rows.image_url.push(format!(
            "/media/placeholder/{}/{}.svg",
            (hue + shift) % 360,
            percent_encode(plan.leaf.noun)
        ));
        rows.image_alt.push(if position == 0 {
            plan.name.clone()
        } else {
            format!("{} – pohled {}", plan.name, position + 1)
        });
        rows.image_position.push(position as i32);
    }
}

fn plan_attributes(
    rows: &mut Rows,
    plan: &ProductPlan,
    product_id: i64,
    ids: &AttributeIds,
    rng: &mut Rng,
) {
    let department = plan.department;
    let mut push =
        |attribute: &str, value: Option<i64>, text: Option<String>, number: Option<f64>| {
            rows.attr_product.push(product_id);
            rows.attr_id.push(ids.attributes[attribute]);
            rows.attr_value.push(value);
            rows.attr_text.push(text);
            rows.attr_number.push(number);
        };
    for (attribute, values) in department.selects {
        let value = values[rng.below(values.len())];
        push(
            attribute,
            Some(ids.values[&(*attribute, value)]),
            None,
            None,
        );
    }
    for (attribute, low, high, step) in department.numbers {
        let steps = ((high - low) / step) as usize;
        push(
            attribute,
            None,
            None,
            Some(f64::from(low + step * rng.below(steps + 1) as i32)),
        );
    }
    for (attribute, values) in department.texts {
        push(
            attribute,
            None,
            Some(values[rng.below(values.len())].to_owned()),
            None,
        );
    }
}

fn description(plan: &ProductPlan) -> String {
    format!(
        "{name} od značky {brand} z naší nabídky {category}. {department}\n\n\
         Kvalitní zpracování, pečlivá kontrola a rychlé dodání po celé České republice. \
         Nejste spokojeni? Do 30 dnů zboží vrátíte bez udání důvodu.",
        name = plan.name,
        brand = plan.brand,
        category = plan.leaf.name.to_lowercase(),
        department = plan.department.description,
    )
}

/// A valid EAN-13 with the Czech prefix 859.
fn ean(index: usize) -> String {
    let body = format!("859{:09}", 100_000 + index);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// A URL slug: lower case ASCII without diacritics, words joined by dashes.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        let ascii = match ch {
            'á' => 'a',
            'č' => 'c',
            'ď' => 'd',
            'é' | 'ě' => 'e',
            'í' => 'i',
            'ň' => 'n',
            'ó' => 'o',
            'ř' => 'r',
            'š' => 's',
            'ť' => 't',
            'ú' | 'ů' => 'u',
            'ý' => 'y',
            'ž' => 'z',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if ascii != '-' || !slug.ends_with('-') {
            slug.push(ascii);
        }
    }
    slug.trim_matches('-').to_owned()
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// SplitMix64: a small deterministic generator, so every demo shop is the same.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % bound.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_czech_diacritics() {
        assert_eq!(
            slugify("Jídelní židle Ton Říp 2"),
            "jidelni-zidle-ton-rip-2"
        );
        assert_eq!(slugify("  Dům & zahrada "), "dum-zahrada");
    }

    #[test]
    fn eans_have_a_valid_check_digit() {
        // 8590000000001 style: recompute independently.
        let code = ean(7);
        assert_eq!(code.len(), 13);
        let digits: Vec<u32> = code.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| d * if i % 2 == 0 { 1 } else { 3 })
            .sum();
        assert_eq!(sum % 10, 0);
    }
}
