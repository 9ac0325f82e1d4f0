//! GraphQL types of products, their variants, images and attributes.

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::{Brand, Category, catalog_loader};
use crate::catalog::loaders::{
    AttributesOf, BrandId, CatalogDataLoader, CatalogLoader, CategoryId, DescriptionOf,
    FeaturedImageOf, ImagesOf, LoadError, ProductId, VariantsOf,
};
use crate::catalog::model::{self, AttributeKind};
use crate::delivery::calendar;
use crate::error::{ErrorCode, api_error};
use crate::graphql::loading::SharedRow;
use crate::graphql::one_pass::OnePass;
use crate::ids::{self, NodeType};
use crate::money::Money;

/// A product of the catalog; what a shopper buys is one of its variants.
pub(crate) struct Product(pub model::Product);

/// A product of the catalog; what a shopper buys is one of its variants.
#[Object]
impl Product {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Product, self.0.id)
    }

    /// URL-safe unique name, used in storefront links (`/p/<slug>`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name shown to shoppers.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Description in plain text; paragraphs are separated by blank lines.
    async fn description(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(catalog_loader(ctx)
            .load_one(DescriptionOf(self.0.id))
            .await?
            .unwrap_or_default())
    }

    /// European Article Number (barcode), 8 or 13 digits.
    async fn ean(&self) -> Option<&str> {
        self.0.ean.as_deref()
    }

    /// Shipping weight in grams.
    async fn weight_grams(&self) -> Option<i32> {
        self.0.weight_grams
    }

    /// Package dimensions, when known.
    async fn dimensions(&self) -> Option<Dimensions> {
        Some(Dimensions {
            length_mm: self.0.length_mm?,
            width_mm: self.0.width_mm?,
            height_mm: self.0.height_mm?,
        })
    }

    /// Whether the shop features the product on its home page.
    async fn featured(&self) -> bool {
        self.0.featured
    }

    /// When the product was added to the catalog.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The product's brand.
    async fn brand(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OnePass<Brand>>> {
        let Some(id) = self.0.brand_id else {
            return Ok(None);
        };
        Ok(catalog_loader(ctx)
            .load_one(BrandId(id))
            .await?
            .map(|b| OnePass(Brand(b))))
    }

    /// The category the product is listed in.
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Category> {
        catalog_loader(ctx)
            .load_one(CategoryId(self.0.category_id))
            .await?
            .map(Category)
            .ok_or_else(|| api_error(ErrorCode::Internal, "category missing"))
    }

    /// Variants (colours, sizes…) in display order.
    #[graphql(complexity = "5 * child_complexity")]
    async fn variants(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<OnePass<ProductVariant>>> {
        let variants = self.load_variants(ctx).await?;
        Ok(SharedRow::each(&variants)
            .map(|v| OnePass(ProductVariant(v)))
            .collect())
    }

    /// Gallery images in display order.
    #[graphql(complexity = "5 * child_complexity")]
    async fn images(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OnePass<ProductImage>>> {
        let images = catalog_loader(ctx)
            .load_one(ImagesOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(SharedRow::each(&images)
            .map(|i| OnePass(ProductImage(i)))
            .collect())
    }

    /// The first gallery image, for listings.
    async fn featured_image(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<OnePass<ProductImage>>> {
        let image = catalog_loader(ctx)
            .load_one(FeaturedImageOf(self.0.id))
            .await?
            .flatten();
        Ok(image.map(|i| OnePass(ProductImage(i))))
    }

    /// Typed attributes (material, power, colour…) with their values on this product.
    #[graphql(complexity = "5 * child_complexity")]
    async fn attributes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProductAttribute>> {
        let rows = catalog_loader(ctx)
            .load_one(AttributesOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.iter().cloned().map(ProductAttribute).collect())
    }

    /// Lowest and highest variant price (gross, VAT included).
    async fn price_range(&self, ctx: &Context<'_>) -> async_graphql::Result<OnePass<PriceRange>> {
        let variants = self.load_variants(ctx).await?;
        let prices = variants.iter().map(|v| v.price_gross);
        let (min, max) = (prices.clone().min().unwrap_or(0), prices.max().unwrap_or(0));
        Ok(OnePass(PriceRange {
            min: OnePass(Money::czk(min)),
            max: OnePass(Money::czk(max)),
        }))
    }

    /// Whether any variant can be bought now.
    async fn in_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self
            .load_variants(ctx)
            .await?
            .iter()
            .any(|v| v.stock_quantity > 0))
    }

    /// The largest discount of its variants in whole percent (for a badge); `null` without one.
    async fn discount_percent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i32>> {
        let variants = self.load_variants(ctx).await?;
        Ok(variants
            .iter()
            .filter_map(model::Variant::discount_percent)
            .max()
            .map(|p| p as i32))
    }

    /// What verified buyers think of it: the average of the approved reviews' stars and how
    /// many there are (the reviews themselves: `productReviews`).
    async fn rating(&self) -> ProductRating {
        ProductRating {
            average: (self.0.rating_count > 0)
                .then(|| f64::from(self.0.rating_total) / f64::from(self.0.rating_count)),
            count: self.0.rating_count,
        }
    }
}

/// The stars of a product's approved reviews.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct ProductRating {
    /// Average stars, 1 to 5; `null` without reviews.
    average: Option<f64>,
    /// Approved reviews.
    count: i32,
}

impl Product {
    async fn load_variants(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<std::sync::Arc<[model::Variant]>> {
        Ok(catalog_loader(ctx)
            .load_one(VariantsOf(self.0.id))
            .await?
            .unwrap_or_default())
    }
}

/// Package dimensions in millimetres.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct Dimensions {
    /// Length in millimetres.
    pub length_mm: i32,
    /// Width in millimetres.
    pub width_mm: i32,
    /// Height in millimetres.
    pub height_mm: i32,
}

/// A price range; `min` equals `max` when all variants cost the same.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(crate) struct PriceRange {
    /// The lowest price.
    pub min: OnePass<Money>,
    /// The highest price.
    pub max: OnePass<Money>,
}

/// One buyable version of a product, e.g. the red one in size M.
pub(crate) struct ProductVariant(pub SharedRow<model::Variant>);

impl From<model::Variant> for ProductVariant {
    fn from(variant: model::Variant) -> Self {
        Self(SharedRow::single(variant))
    }
}

/// One buyable version of a product, e.g. the red one in size M.
#[Object(serial)]
impl ProductVariant {
    /// Global ID; carts refer to variants by it.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::ProductVariant, self.0.id)
    }

    /// Stock keeping unit, unique in the shop.
    async fn sku(&self) -> &str {
        &self.0.sku
    }

    /// The option values joined for display, e.g. `Červená / M`; empty for a single variant.
    async fn title(&self) -> String {
        self.0
            .options
            .iter()
            .map(|o| o.value.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// The option values that tell this variant apart from its siblings.
    async fn options(&self) -> Vec<SelectedOption> {
        self.0
            .options
            .iter()
            .map(|o| SelectedOption {
                name: o.name.clone(),
                value: o.value.clone(),
            })
            .collect()
    }

    /// Price to pay, VAT included.
    async fn price(&self) -> OnePass<Money> {
        OnePass(Money::czk(self.0.price_gross))
    }

    /// The price a discount is measured against, VAT included: the lowest price of the 30 days
    /// before the current price (§ 12a of the Czech consumer protection act), present only when
    /// the current price is lower. A stored "compare-at" price higher than that is never shown.
    async fn compare_at_price(&self) -> Option<OnePass<Money>> {
        let reference = self.0.lowest_price_30d;
        (reference > self.0.price_gross).then(|| OnePass(Money::czk(reference)))
    }

    /// The discount against `compareAtPrice` in whole percent, rounded down; `null` without one.
    async fn discount_percent(&self) -> Option<i32> {
        self.0.discount_percent().map(|p| p as i32)
    }

    /// The lowest price in effect during the 30 days before the current price took effect.
    async fn lowest_price_30_days(&self) -> Money {
        Money::czk(self.0.lowest_price_30d)
    }

    /// VAT rate in percent: 21, 12 or 0.
    async fn vat_rate(&self) -> i32 {
        self.0.vat_rate.as_i32()
    }

    /// Price without VAT.
    async fn price_without_vat(&self) -> Money {
        self.0.vat_rate.net_of_gross(Money::czk(self.0.price_gross))
    }

    /// The VAT contained in the price.
    async fn vat(&self) -> Money {
        self.0.vat_rate.vat_in_gross(Money::czk(self.0.price_gross))
    }

    /// Units that can be ordered now.
    async fn quantity_available(&self) -> i32 {
        self.0.stock_quantity
    }

    /// Whether at least one unit can be ordered now.
    async fn available_for_sale(&self) -> bool {
        self.0.stock_quantity > 0
    }

    /// The earliest day a unit ordered now arrives (the fastest carrier; weekends and Czech
    /// public holidays skipped, Prague time); `null` when none is in stock.
    async fn delivery_date(&self) -> Option<NaiveDate> {
        (self.0.stock_quantity > 0).then(|| calendar::earliest_delivery(Utc::now()))
    }

    /// The product this variant belongs to.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        Ok(catalog_loader(ctx)
            .load_one(ProductId(self.0.product_id))
            .await?
            .map(Product))
    }
}

/// An option and its value on a variant, e.g. `Barva: Červená`.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct SelectedOption {
    /// Option name, e.g. `Barva`.
    pub name: String,
    /// Option value, e.g. `Červená`.
    pub value: String,
}

/// An image of a product.
pub(super) struct ProductImage(pub SharedRow<model::Image>);

/// An image of a product.
#[Object(serial)]
impl ProductImage {
    /// The image's ID (to change or remove it).
    async fn id(&self) -> ID {
        ids::encode(NodeType::ProductImage, self.0.id)
    }

    /// Where to load the image from (served by the shop). With `width`, the narrowest
    /// rendition at least that wide (or the widest there is) of an uploaded image.
    async fn url(
        &self,
        #[graphql(validator(minimum = 1, maximum = 4000))] width: Option<i32>,
    ) -> String {
        match (&self.0.media_key, width) {
            (Some(key), Some(width)) => {
                let fitting = self.0.widths.iter().copied().find(|w| *w >= width);
                let chosen = fitting.or(self.0.widths.last().copied()).unwrap_or(width);
                crate::catalog::admin::images::rendition_url(key, chosen)
            }
            _ => self.0.url.clone(),
        }
    }

    /// Every rendition of an uploaded image for `<img srcset>` (`… 320w, … 640w`); null for
    /// other images.
    async fn src_set(&self) -> Option<String> {
        let key = self.0.media_key.as_deref()?;
        let set: Vec<String> = self
            .0
            .widths
            .iter()
            .map(|w| {
                format!(
                    "{} {w}w",
                    crate::catalog::admin::images::rendition_url(key, *w)
                )
            })
            .collect();
        Some(set.join(", "))
    }

    /// Text alternative for screen readers and search engines.
    async fn alt_text(&self) -> &str {
        &self.0.alt
    }
}

/// An attribute's value on a product.
pub(super) struct ProductAttribute(pub model::ProductAttribute);

/// An attribute's value on a product.
#[Object(serial)]
impl ProductAttribute {
    /// Attribute identifier, as used in filters.
    async fn slug(&self) -> &str {
        &self.0.attribute_slug
    }

    /// Attribute name, e.g. `Materiál`.
    async fn name(&self) -> &str {
        &self.0.attribute_name
    }

    /// How the value is typed.
    async fn kind(&self) -> AttributeKind {
        self.0.kind
    }

    /// Unit of a number value, e.g. `W`.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// The value for display, e.g. `Dub`, `1200 W`.
    async fn value(&self) -> String {
        let a = &self.0;
        match (&a.value_name, &a.text_value, a.number_value) {
            (Some(name), _, _) | (None, Some(name), _) => name.clone(),
            (None, None, Some(number)) => match &a.unit {
                Some(unit) => format!("{} {unit}", format_number(number)),
                None => format_number(number),
            },
            (None, None, None) => String::new(),
        }
    }

    /// Value identifier of a select attribute, as used in filters.
    async fn value_slug(&self) -> Option<&str> {
        self.0.value_slug.as_deref()
    }

    /// The number of a number attribute.
    async fn number(&self) -> Option<f64> {
        self.0.number_value
    }
}

/// A number as Czech readers write it: decimal comma, no trailing zeros.
pub(super) fn format_number(number: f64) -> String {
    let text = format!("{number:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.replace('.', ",")
}

/// Loads, in one query per relation, the relations of `products` that the selection asks for,
/// straight into the request's loader cache. List resolvers call it so that a page costs the same
/// few statements however large it is: left to the loader's batching window, item futures polled
/// in several rounds (a round may outlast the window) would split a page into several batches.
pub(crate) async fn prefetch_relations(
    ctx: &Context<'_>,
    selection: async_graphql::Lookahead<'_>,
    products: &[model::Product],
) -> async_graphql::Result<()> {
    let loader = catalog_loader(ctx);
    let wants = |fields: &[&str]| fields.iter().any(|f| selection.field(f).exists());
    let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let mut brands: Vec<BrandId> = products
        .iter()
        .filter_map(|p| p.brand_id)
        .map(BrandId)
        .collect();
    brands.sort_unstable_by_key(|b| b.0);
    brands.dedup();
    let mut categories: Vec<CategoryId> =
        products.iter().map(|p| CategoryId(p.category_id)).collect();
    categories.sort_unstable_by_key(|c| c.0);
    categories.dedup();
    futures_util::try_join!(
        prefetch(
            loader,
            wants(&["variants", "priceRange", "inStock", "discountPercent"]),
            ids.iter().copied().map(VariantsOf).collect()
        ),
        prefetch_images(loader, &selection, &ids),
        prefetch(
            loader,
            wants(&["description"]),
            ids.iter().copied().map(DescriptionOf).collect()
        ),
        prefetch(
            loader,
            wants(&["attributes"]),
            ids.iter().copied().map(AttributesOf).collect()
        ),
        prefetch(loader, wants(&["brand"]), brands),
        prefetch(loader, wants(&["category"]), categories),
    )?;
    Ok(())
}

/// Prefetches a page's gallery images when asked for, and its first images from them; only
/// the first images (a row per product) when they alone are asked for, as on cards.
async fn prefetch_images(
    loader: &CatalogDataLoader,
    selection: &async_graphql::Lookahead<'_>,
    ids: &[i64],
) -> Result<(), LoadError> {
    if !selection.field("images").exists() {
        let wanted = selection.field("featuredImage").exists();
        return prefetch(
            loader,
            wanted,
            ids.iter().copied().map(FeaturedImageOf).collect(),
        )
        .await;
    }
    if ids.is_empty() {
        return Ok(());
    }
    let keys: Vec<ImagesOf> = ids.iter().copied().map(ImagesOf).collect();
    let galleries = loader.loader().load(&keys).await?;
    let first: Vec<(FeaturedImageOf, Option<SharedRow<model::Image>>)> = keys
        .iter()
        .map(|key| {
            let gallery = galleries.get(key);
            (
                FeaturedImageOf(key.0),
                gallery.and_then(|g| SharedRow::each(g).next()),
            )
        })
        .collect();
    loader.feed_many(galleries).await;
    loader.feed_many(first).await;
    Ok(())
}

/// Runs the loader for `keys` now (no batching delay) and puts the results in the cache.
async fn prefetch<K>(
    loader: &CatalogDataLoader,
    wanted: bool,
    keys: Vec<K>,
) -> Result<(), LoadError>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    CatalogLoader: Loader<K, Error = LoadError>,
{
    if wanted && !keys.is_empty() {
        let values = loader.loader().load(&keys).await?;
        loader.feed_many(values).await;
    }
    Ok(())
}
