//! Marketplace feeds: `/feeds/heureka.xml` and `/feeds/zbozi.xml` in the element lists those
//! sites publish (ITEM_ID, PRODUCTNAME, DESCRIPTION, URL, IMGURL, PRICE_VAT, CATEGORYTEXT, EAN,
//! MANUFACTURER, ITEMGROUP_ID, PARAM, DELIVERY_DATE, DELIVERY per carrier with its price and cash
//! on delivery price). One item per variant, grouped by product. Built in batches of products
//! (memory stays flat), stored with the catalog version it reflects, served with an `ETag`.

use std::collections::HashMap;
use std::fmt::Write;

use sqlx::PgPool;

use super::model::{Category, Variant};
use super::store;
use crate::delivery::{CASH_ON_DELIVERY_FEE, ShippingMethod};
use crate::money::Money;

/// Products read per batch.
const BATCH: i64 = 500;
/// A stored feed older than this is rebuilt even when the catalog did not change (stock moves).
pub(crate) const MAX_AGE_SECS: i64 = 3600;

/// Which marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marketplace {
    /// Heureka.cz.
    Heureka,
    /// Zboží.cz (Seznam).
    Zbozi,
}

impl Marketplace {
    /// Both.
    pub(crate) const ALL: [Self; 2] = [Self::Heureka, Self::Zbozi];

    /// The feed's name (and file name without `.xml`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Heureka => "heureka",
            Self::Zbozi => "zbozi",
        }
    }

    /// The marketplace of a file name, e.g. `heureka.xml`.
    pub(crate) fn of_file(file: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| file.strip_suffix(".xml") == Some(m.name()))
    }

    fn root(self) -> &'static str {
        match self {
            Self::Heureka => "<SHOP>",
            Self::Zbozi => "<SHOP xmlns=\"http://www.zbozi.cz/ns/offer/1.0\">",
        }
    }

    /// The carrier's id in the marketplace's list.
    fn carrier(self, method: ShippingMethod) -> Option<&'static str> {
        match method {
            ShippingMethod::Zasilkovna => Some("ZASILKOVNA"),
            ShippingMethod::Ppl => Some("PPL"),
            ShippingMethod::CeskaPosta => Some("CESKA_POSTA"),
            ShippingMethod::PersonalPickup => None,
        }
    }
}

/// A stored feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct StoredFeed {
    pub catalog_version: i64,
    pub etag: String,
    pub body: Vec<u8>,
    pub fresh: bool,
}

/// The stored feed of `marketplace`, if any.
pub(crate) async fn stored(
    pool: &PgPool,
    marketplace: Marketplace,
) -> sqlx::Result<Option<StoredFeed>> {
    sqlx::query_as(
        "SELECT catalog_version, etag, body, built_at > now() - make_interval(secs => $2) AS fresh FROM feeds WHERE name = $1",
    )
    .bind(marketplace.name())
    .bind(MAX_AGE_SECS as f64)
    .fetch_optional(pool)
    .await
}

/// Builds the feed for catalog `version` and stores it; one builder at a time across instances,
/// and a request that waited for another's build takes that one.
pub(crate) async fn rebuild(
    pool: &PgPool,
    marketplace: Marketplace,
    version: i64,
    shop_url: &str,
) -> sqlx::Result<StoredFeed> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('feed:' || $1))")
        .bind(marketplace.name())
        .execute(&mut *tx)
        .await?;
    if let Some(feed) = stored(pool, marketplace).await?
        && feed.catalog_version == version
        && feed.fresh
    {
        return Ok(feed);
    }
    let body = build(pool, marketplace, shop_url).await?;
    let etag = format!("\"{}-{version}-{:x}\"", marketplace.name(), body.len());
    sqlx::query(
        "INSERT INTO feeds (name, catalog_version, etag, body) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO UPDATE SET catalog_version = $2, etag = $3, body = $4, built_at = now()",
    )
    .bind(marketplace.name())
    .bind(version)
    .bind(&etag)
    .bind(&body)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StoredFeed {
        catalog_version: version,
        etag,
        body,
        fresh: true,
    })
}

/// The whole feed.
async fn build(pool: &PgPool, marketplace: Marketplace, shop_url: &str) -> sqlx::Result<Vec<u8>> {
    let categories: HashMap<i64, Category> = store::category_tree(pool)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut out = String::with_capacity(1 << 20);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(marketplace.root());
    out.push('\n');
    let mut after = 0;
    loop {
        let products = store::published_after(pool, after, BATCH).await?;
        let Some(last) = products.last() else { break };
        after = last.id;
        let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
        let variants = store::variants_of(pool, &ids).await?;
        let images = store::images_of(pool, &ids).await?;
        let descriptions: HashMap<i64, String> = store::descriptions_of(pool, &ids)
            .await?
            .into_iter()
            .collect();
        let brand_ids: Vec<i64> = products.iter().filter_map(|p| p.brand_id).collect();
        let brands: HashMap<i64, String> = store::brands_by_ids(pool, &brand_ids)
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        for product in &products {
            let image = images
                .iter()
                .find(|i| i.product_id == product.id)
                .map(|i| absolute(shop_url, &i.url));
            let path = category_path(&categories, product.category_id);
            let brand = product.brand_id.and_then(|id| brands.get(&id));
            for variant in variants.iter().filter(|v| v.product_id == product.id) {
                let item = Item {
                    product_name: &product.name,
                    slug: &product.slug,
                    description: descriptions.get(&product.id).map_or("", String::as_str),
                    ean: product.ean.as_deref(),
                    group: product.id,
                    brand: brand.map(String::as_str),
                    category: &path,
                    image: image.as_deref(),
                };
                item.write(&mut out, marketplace, variant, shop_url);
            }
        }
    }
    out.push_str("</SHOP>\n");
    Ok(out.into_bytes())
}

struct Item<'a> {
    product_name: &'a str,
    slug: &'a str,
    description: &'a str,
    ean: Option<&'a str>,
    group: i64,
    brand: Option<&'a str>,
    category: &'a str,
    image: Option<&'a str>,
}

impl Item<'_> {
    fn write(&self, out: &mut String, marketplace: Marketplace, variant: &Variant, shop_url: &str) {
        let options: Vec<&str> = variant.options.0.iter().map(|o| o.value.as_str()).collect();
        let name = if options.is_empty() {
            self.product_name.to_owned()
        } else {
            format!("{} {}", self.product_name, options.join(" "))
        };
        let element = |out: &mut String, tag: &str, value: &str| {
            let _ = writeln!(out, "    <{tag}>{}</{tag}>", xml(value));
        };
        out.push_str("  <SHOPITEM>\n");
        element(out, "ITEM_ID", &variant.sku);
        element(out, "PRODUCTNAME", &name);
        element(out, "PRODUCT", &name);
        element(out, "DESCRIPTION", self.description);
        element(out, "URL", &format!("{}/p/{}", shop_url, self.slug));
        if let Some(image) = self.image {
            element(out, "IMGURL", image);
        }
        element(out, "PRICE_VAT", &Money::czk(variant.price_gross).decimal());
        element(out, "CATEGORYTEXT", self.category);
        if let Some(ean) = self.ean {
            element(out, "EAN", ean);
        }
        if let Some(brand) = self.brand {
            element(out, "MANUFACTURER", brand);
        }
        element(out, "ITEMGROUP_ID", &self.group.to_string());
        for option in &variant.options.0 {
            let _ = writeln!(
                out,
                "    <PARAM><PARAM_NAME>{}</PARAM_NAME><VAL>{}</VAL></PARAM>",
                xml(&option.name),
                xml(&option.value)
            );
        }
        // Days until dispatch: 0 from stock.
        element(
            out,
            "DELIVERY_DATE",
            if variant.stock_quantity > 0 { "0" } else { "7" },
        );
        for method in ShippingMethod::ALL {
            let Some(id) = marketplace.carrier(method) else {
                continue;
            };
            let price = Money::czk(method.price()).decimal();
            let cod = Money::czk(method.price() + CASH_ON_DELIVERY_FEE).decimal();
            let _ = writeln!(
                out,
                "    <DELIVERY><DELIVERY_ID>{id}</DELIVERY_ID><DELIVERY_PRICE>{price}</DELIVERY_PRICE><DELIVERY_PRICE_COD>{cod}</DELIVERY_PRICE_COD></DELIVERY>"
            );
        }
        out.push_str("  </SHOPITEM>\n");
    }
}

/// "Nábytek | Židle a křesla | Kancelářské židle".
fn category_path(categories: &HashMap<i64, Category>, id: i64) -> String {
    let mut names = Vec::new();
    let mut next = Some(id);
    while let Some(current) = next.and_then(|id| categories.get(&id)) {
        names.push(current.name.as_str());
        next = current.parent_id;
        if names.len() > 5 {
            break;
        }
    }
    names.reverse();
    names.join(" | ")
}

fn absolute(shop_url: &str, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_owned()
    } else {
        format!("{shop_url}{url}")
    }
}

/// Text as XML element content: markup characters escaped, control characters XML forbids
/// dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_cannot_break_the_xml() {
        assert_eq!(
            super::xml("Židle <b>\"A&B\"</b>'\u{1}"),
            "Židle &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;&apos;"
        );
    }
}
