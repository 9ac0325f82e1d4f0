//! Product listings: filter and sort inputs, the Relay connection and its facets.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::OnceCell;

use super::{Brand, Product, prefetch_relations};
use crate::cache::Redis;
use crate::catalog::filter::{AttributeCondition, ProductFilter};
use crate::catalog::model::AttributeKind;
use crate::catalog::store::{self, ProductOrder};
use crate::catalog::tree::CategoryTree;
use crate::catalog::{CATALOG_VERSION_KEY, LISTING_AGGREGATES_TTL};
use crate::error::{bad_input, not_found};
use crate::graphql::one_pass::OnePass;
use crate::graphql::pagination::{PageInfo, PageRequest, encode_cursor};
use crate::money::Money;

/// Most values one filter list (brands, attribute values, attributes) may hold.
const MAX_FILTER_VALUES: usize = 50;

/// Which products to list. All given conditions must hold.
#[derive(InputObject, Default)]
#[graphql(name = "ProductFilter")]
pub(crate) struct ProductFilterInput {
    /// Category slug; products of its subcategories are included.
    pub category: Option<String>,
    /// Brand slugs; a product of any of them matches.
    pub brands: Option<Vec<String>>,
    /// Price bounds (VAT included) on the product's lowest variant price.
    pub price: Option<PriceFilterInput>,
    /// Only products that can be bought now.
    pub in_stock: Option<bool>,
    /// Attribute conditions, e.g. colour is red or blue, power between 500 and 1000 W.
    pub attributes: Option<Vec<AttributeFilterInput>>,
}

/// Price bounds in minor units (haléř), both inclusive.
#[derive(InputObject)]
#[graphql(name = "PriceFilter")]
pub(crate) struct PriceFilterInput {
    /// Lowest price in haléř, e.g. `50000` for 500 Kč.
    pub min: Option<i64>,
    /// Highest price in haléř.
    pub max: Option<i64>,
}

/// A condition on one attribute: `values` for select attributes, `min`/`max` for numbers.
#[derive(InputObject)]
#[graphql(name = "AttributeFilter")]
pub(crate) struct AttributeFilterInput {
    /// Attribute slug, e.g. `barva`.
    pub slug: String,
    /// Value slugs; a product with any of them matches.
    pub values: Option<Vec<String>>,
    /// Lower bound of a number attribute, inclusive.
    pub min: Option<f64>,
    /// Upper bound of a number attribute, inclusive.
    pub max: Option<f64>,
}

/// The order of a product listing.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSort {
    /// Best match for searches; featured products first otherwise.
    #[default]
    Relevance,
    /// Cheapest first.
    PriceAsc,
    /// Most expensive first.
    PriceDesc,
    /// Alphabetical, in Czech order.
    NameAsc,
    /// Newest in the catalog first.
    Newest,
}

impl From<ProductSort> for ProductOrder {
    fn from(sort: ProductSort) -> Self {
        match sort {
            ProductSort::Relevance => Self::Relevance,
            ProductSort::PriceAsc => Self::PriceAsc,
            ProductSort::PriceDesc => Self::PriceDesc,
            ProductSort::NameAsc => Self::NameAsc,
            ProductSort::Newest => Self::Newest,
        }
    }
}

impl ProductFilterInput {
    /// Validates the input into a domain filter; bad values are `BAD_USER_INPUT` errors, a
    /// category `tree` does not hold is `NOT_FOUND`.
    pub(crate) fn into_filter(self, tree: &CategoryTree) -> async_graphql::Result<ProductFilter> {
        let category = match self.category {
            Some(slug) => {
                let slug = checked_slug("category", slug)?;
                Some(
                    tree.scope(&slug)
                        .ok_or_else(|| not_found("Category", &slug))?,
                )
            }
            None => None,
        };
        let brands = checked_slugs("brands", self.brands.unwrap_or_default())?;
        let (price_min, price_max) = match self.price {
            Some(PriceFilterInput { min, max }) => {
                if min.is_some_and(|m| m < 0) || max.is_some_and(|m| m < 0) {
                    return Err(bad_input("price bounds must not be negative"));
                }
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    return Err(bad_input("price.min must not exceed price.max"));
                }
                (min, max)
            }
            None => (None, None),
        };
        let attributes = self.attributes.unwrap_or_default();
        if attributes.len() > MAX_FILTER_VALUES {
            return Err(bad_input(format!(
                "at most {MAX_FILTER_VALUES} attribute filters"
            )));
        }
        let attributes = attributes
            .into_iter()
            .map(AttributeFilterInput::into_condition)
            .collect::<Result<_, _>>()?;
        Ok(ProductFilter {
            category,
            brands,
            price_min,
            price_max,
            in_stock: self.in_stock.unwrap_or(false),
            attributes,
            text_query: None,
        })
    }
}

impl AttributeFilterInput {
    fn into_condition(self) -> async_graphql::Result<AttributeCondition> {
        let slug = checked_slug("attributes.slug", self.slug)?;
        let values = self
            .values
            .map(|v| checked_slugs("attributes.values", v))
            .transpose()?;
        let number_given = self.min.is_some() || self.max.is_some();
        match (&values, number_given) {
            (None, false) => {
                return Err(bad_input(format!(
                    "attribute filter \"{slug}\" needs values or min/max"
                )));
            }
            (Some(_), true) => {
                return Err(bad_input(format!(
                    "attribute filter \"{slug}\" takes values or min/max, not both"
                )));
            }
            _ => {}
        }
        if [self.min, self.max]
            .iter()
            .flatten()
            .any(|n| !n.is_finite())
        {
            return Err(bad_input("attribute bounds must be finite numbers"));
        }
        if let (Some(min), Some(max)) = (self.min, self.max)
            && min > max
        {
            return Err(bad_input(format!(
                "attribute filter \"{slug}\": min must not exceed max"
            )));
        }
        Ok(AttributeCondition {
            slug,
            values,
            min: self.min,
            max: self.max,
        })
    }
}

fn checked_slug(field: &str, slug: String) -> async_graphql::Result<String> {
    let valid = !slug.is_empty()
        && slug.len() <= 200
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(slug)
    } else {
        Err(bad_input(format!(
            "{field}: \"{slug}\" is not a valid slug"
        )))
    }
}

fn checked_slugs(field: &str, slugs: Vec<String>) -> async_graphql::Result<Vec<String>> {
    if slugs.len() > MAX_FILTER_VALUES {
        return Err(bad_input(format!(
            "{field}: at most {MAX_FILTER_VALUES} values"
        )));
    }
    slugs
        .into_iter()
        .map(|slug| checked_slug(field, slug))
        .collect()
}

/// A page of products with the facets of the whole selection.
pub(crate) struct ProductConnection {
    aggregates: Aggregates,
    page: PageRequest,
    products: Vec<crate::catalog::model::Product>,
    more: bool,
    corrected_query: Option<String>,
}

impl ProductConnection {
    /// Loads one page of the products that pass `filter`.
    pub(crate) async fn load(
        ctx: &Context<'_>,
        filter: ProductFilter,
        sort: ProductSort,
        page: PageRequest,
        corrected_query: Option<String>,
    ) -> async_graphql::Result<Self> {
        let pool = ctx.data_unchecked::<PgPool>();
        let mut products =
            store::list_products(pool, &filter, sort.into(), page.offset, page.limit + 1).await?;
        let more = products.len() as i64 > page.limit;
        products.truncate(page.limit as usize);
        Ok(Self {
            aggregates: Aggregates {
                filter,
                catalog_version: Default::default(),
            },
            page,
            products,
            more,
            corrected_query,
        })
    }
}

/// An item of a product page and its cursor.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct ProductEdge {
    /// Cursor for `after`/`before`.
    pub cursor: String,
    /// The product.
    pub node: OnePass<Product>,
}

/// A page of products (Relay connection) with the facets of the whole listing.
#[Object]
impl ProductConnection {
    /// The products of the page, each with its cursor.
    async fn edges(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProductEdge>> {
        prefetch_relations(ctx, ctx.look_ahead().field("node"), &self.products).await?;
        let offset = self.page.offset;
        Ok((self.products.iter().cloned().enumerate())
            .map(|(i, p)| ProductEdge {
                cursor: encode_cursor(offset + i as i64),
                node: OnePass(Product(p)),
            })
            .collect())
    }

    /// The products of the page, without cursors.
    async fn nodes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OnePass<Product>>> {
        prefetch_relations(ctx, ctx.look_ahead(), &self.products).await?;
        Ok(self
            .products
            .iter()
            .map(|p| OnePass(Product(p.clone())))
            .collect())
    }

    /// Where the page stands in the listing.
    async fn page_info(&self) -> PageInfo {
        PageInfo::new(self.page, self.products.len(), self.more)
    }

    /// How many products the whole listing holds.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        self.aggregates
            .get(ctx, "count", store::count_products)
            .await
    }

    /// Counts per brand, attribute value and the price range of the whole listing, for filters.
    async fn facets(&self) -> ProductFacets {
        ProductFacets {
            aggregates: self.aggregates.clone(),
        }
    }

    /// For searches: the query as corrected for typos, when it differs from what was typed.
    async fn corrected_query(&self) -> Option<&str> {
        self.corrected_query.as_deref()
    }
}

/// Facets of a listing. Each facet ignores its own condition, so it shows the alternatives.
pub(super) struct ProductFacets {
    aggregates: Aggregates,
}

/// Facets of a listing. Each facet ignores its own condition, so it shows the alternatives.
#[Object]
impl ProductFacets {
    /// Brands with how many products of the listing each has.
    async fn brands(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OnePass<BrandFacet>>> {
        let rows = self
            .aggregates
            .get(ctx, "brands", store::brand_facets)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(brand, count)| {
                OnePass(BrandFacet {
                    brand: OnePass(Brand(brand)),
                    count,
                })
            })
            .collect())
    }

    /// Lowest and highest product price; none when the listing is empty.
    async fn price_range(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::PriceRange>> {
        let range = self
            .aggregates
            .get(ctx, "prices", store::price_range)
            .await?;
        Ok(range.map(|(min, max)| super::PriceRange {
            min: OnePass(Money::czk(min)),
            max: OnePass(Money::czk(max)),
        }))
    }

    /// Select attributes with counts per value, and number attributes with their range.
    async fn attributes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<OnePass<AttributeFacet>>> {
        let rows = self
            .aggregates
            .get(ctx, "attributes", store::attribute_facets)
            .await?;
        let mut facets: Vec<AttributeFacet> = Vec::new();
        for row in rows {
            if facets.last().is_none_or(|f| f.slug != row.attribute_slug) {
                facets.push(AttributeFacet {
                    slug: row.attribute_slug.clone(),
                    name: row.attribute_name.clone(),
                    kind: row.kind,
                    unit: row.unit.clone(),
                    values: Vec::new(),
                    min: row.number_min,
                    max: row.number_max,
                });
            }
            let facet = facets.last_mut().expect("pushed above");
            if let (Some(slug), Some(name)) = (row.value_slug, row.value_name) {
                facet.values.push(OnePass(AttributeValueFacet {
                    slug,
                    name,
                    count: row.count,
                }));
            }
        }
        Ok(facets.into_iter().map(OnePass).collect())
    }
}

/// The aggregates (count, facets) of one listing: the same for every shopper and the costliest
/// part of a category page, so they come from the Redis cache under the catalog's version, which
/// is read once per listing.
#[derive(Clone)]
struct Aggregates {
    filter: ProductFilter,
    catalog_version: Arc<OnceCell<i64>>,
}

impl Aggregates {
    /// The aggregate `kind` from the cache, or computed by `query` and cached.
    async fn get<T, F>(&self, ctx: &Context<'_>, kind: &str, query: F) -> async_graphql::Result<T>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
        F: AsyncFnOnce(&PgPool, &ProductFilter) -> sqlx::Result<T>,
    {
        let redis = ctx.data_unchecked::<Redis>();
        let version = self
            .catalog_version
            .get_or_init(|| redis.counter(CATALOG_VERSION_KEY))
            .await;
        let key = format!(
            "{CATALOG_VERSION_KEY}:{version}:{kind}:{}",
            serde_json::to_string(&self.filter)?
        );
        let pool = ctx.data_unchecked::<PgPool>();
        Ok(redis
            .cached(&key, LISTING_AGGREGATES_TTL, || query(pool, &self.filter))
            .await?)
    }
}

/// A brand and how many products of the listing it has.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct BrandFacet {
    /// The brand.
    pub brand: OnePass<Brand>,
    /// Products of the listing with this brand.
    pub count: i64,
}

/// An attribute of the listing's products.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct AttributeFacet {
    /// Attribute slug, for `AttributeFilter.slug`.
    pub slug: String,
    /// Attribute name, e.g. `Barva`.
    pub name: String,
    /// Select attributes have `values`, number attributes `min` and `max`.
    pub kind: AttributeKind,
    /// Unit of a number attribute, e.g. `W`.
    pub unit: Option<String>,
    /// Values of a select attribute with their counts.
    pub values: Vec<OnePass<AttributeValueFacet>>,
    /// Lowest value of a number attribute.
    pub min: Option<f64>,
    /// Highest value of a number attribute.
    pub max: Option<f64>,
}

/// A value of a select attribute and how many products of the listing have it.
#[derive(SimpleObject)]
#[graphql(serial)]
pub(super) struct AttributeValueFacet {
    /// Value slug, for `AttributeFilter.values`.
    pub slug: String,
    /// Value name, e.g. `Dub`.
    pub name: String,
    /// Products of the listing with this value.
    pub count: i64,
}
