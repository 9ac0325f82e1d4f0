//! The catalog management part of the schema (admins only): products, variants, categories,
//! brands and bulk price changes. Each answers with the changed object or `userErrors`.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Upload};
use sqlx::PgPool;

use super::images;
use super::service::{self, CatalogError, Change, ProductFields, Rounding, VariantFields};
use crate::auth::{AdminGuard, require_admin};
use crate::catalog::graphql::{Brand, Category, Product, ProductVariant};
use crate::catalog::model::ProductStatus;
use crate::catalog::store;
use crate::graphql::domain_errors::{
    ClientError, ServiceResult, ToClient, internal, invalid_field, not_found, uploaded,
};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};
use crate::media::Media;
use crate::money::Money;

/// A new product.
#[derive(InputObject)]
pub(crate) struct ProductCreateInput {
    /// Its name; the URL slug is made from it (diacritics removed, unique).
    name: String,
    /// Its category.
    category_id: ID,
    /// Its brand.
    brand_id: Option<ID>,
    /// Its description.
    description: Option<String>,
    /// EAN (8 or 13 digits).
    ean: Option<String>,
    /// Weight in grams.
    weight_grams: Option<i32>,
    /// Draft (the default) until published.
    #[graphql(default_with = "ProductStatus::Draft")]
    status: ProductStatus,
}

/// Changes of a product; absent fields stay. A new name gets a new slug; the old one redirects.
#[derive(InputObject)]
pub(crate) struct ProductUpdateInput {
    /// The product.
    id: ID,
    name: Option<String>,
    category_id: Option<ID>,
    brand_id: Option<ID>,
    description: Option<String>,
    ean: Option<String>,
    weight_grams: Option<i32>,
    /// Publish, unpublish (draft) or archive.
    status: Option<ProductStatus>,
}

/// An option that tells variants apart, e.g. Barva: Černá.
#[derive(InputObject)]
pub(crate) struct OptionInput {
    name: String,
    value: String,
}

/// A new variant of a product.
#[derive(InputObject)]
pub(crate) struct VariantCreateInput {
    /// The product.
    product_id: ID,
    /// Unique stock-keeping code.
    sku: String,
    /// Price with VAT, in haléře.
    price: i64,
    /// A stored "was" price in haléře (shown only as the Omnibus rule allows).
    compare_at_price: Option<i64>,
    /// 21, 12 or 0.
    #[graphql(default = 21)]
    vat_rate: i32,
    /// Options, e.g. `[{name: "Barva", value: "Černá"}]`.
    #[graphql(default)]
    options: Vec<OptionInput>,
}

/// Changes of a variant; absent fields stay. A new price enters the price history.
#[derive(InputObject)]
pub(crate) struct VariantUpdateInput {
    /// The variant.
    id: ID,
    sku: Option<String>,
    /// Price with VAT, in haléře.
    price: Option<i64>,
    compare_at_price: Option<i64>,
    vat_rate: Option<i32>,
    options: Option<Vec<OptionInput>>,
}

/// A bulk price change of a category's and/or a brand's variants.
#[derive(InputObject)]
pub(crate) struct ProductsPriceChangeInput {
    /// Category slug (its subcategories too).
    category: Option<String>,
    /// Brand slug.
    brand: Option<String>,
    /// Change by percent (negative lowers), e.g. -10.
    percent: Option<f64>,
    /// Or by an amount in haléře (negative lowers).
    amount: Option<i64>,
    /// How new prices are rounded.
    #[graphql(default_with = "PriceRounding::None")]
    rounding: PriceRounding,
    /// Only show what would change (the default); false applies it.
    #[graphql(default = true)]
    dry_run: bool,
}

/// How bulk-changed prices are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub(crate) enum PriceRounding {
    /// To the haléř.
    None,
    /// To whole crowns.
    Crowns,
    /// Up to a price ending in 9 crowns.
    Nine,
}

impl From<PriceRounding> for Rounding {
    fn from(rounding: PriceRounding) -> Self {
        match rounding {
            PriceRounding::None => Self::None,
            PriceRounding::Crowns => Self::Crowns,
            PriceRounding::Nine => Self::Nine,
        }
    }
}

impl From<Rounding> for PriceRounding {
    fn from(rounding: Rounding) -> Self {
        match rounding {
            Rounding::None => Self::None,
            Rounding::Crowns => Self::Crowns,
            Rounding::Nine => Self::Nine,
        }
    }
}

/// The answer to a product change.
#[derive(SimpleObject, Default)]
pub(crate) struct ProductPayload {
    product: Option<Product>,
    user_errors: Vec<UserError>,
}

/// The answer to a variant change.
#[derive(SimpleObject, Default)]
pub(crate) struct VariantPayload {
    variant: Option<ProductVariant>,
    user_errors: Vec<UserError>,
}

/// The answer to a category change.
#[derive(SimpleObject, Default)]
pub(crate) struct CategoryPayload {
    category: Option<Category>,
    user_errors: Vec<UserError>,
}

/// The answer to a new brand.
#[derive(SimpleObject, Default)]
pub(crate) struct BrandPayload {
    brand: Option<Brand>,
    user_errors: Vec<UserError>,
}

/// One price a bulk change sets (or would set).
#[derive(SimpleObject)]
pub(crate) struct PriceChangePreview {
    /// The variant.
    variant_id: ID,
    sku: String,
    old_price: Money,
    new_price: Money,
}

/// The answer to a bulk price change.
#[derive(SimpleObject, Default)]
pub(crate) struct ProductsPriceChangePayload {
    /// Every price that changes (or would).
    changes: Vec<PriceChangePreview>,
    /// Whether the prices were set (false for a dry run).
    applied: bool,
    user_errors: Vec<UserError>,
}

#[derive(Default)]
pub(crate) struct CatalogAdminMutation;

#[Object]
impl CatalogAdminMutation {
    /// Creates a product (a draft unless `status` says otherwise). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_create(
        &self,
        ctx: &Context<'_>,
        input: ProductCreateInput,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let fields = ProductFields {
            name: Some(input.name),
            description: input.description,
            ean: input.ean,
            brand_id: Some(
                input
                    .brand_id
                    .as_ref()
                    .map(|id| ids::decode_as(NodeType::Brand, id))
                    .transpose()?,
            ),
            category_id: Some(ids::decode_as(NodeType::Category, &input.category_id)?),
            weight_grams: input.weight_grams,
            status: Some(input.status),
        };
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(service::create_product(tx, admin, fields))
        })
        .await;
        product_payload(ctx, outcome.or_user_errors()?.map(|p| p.id)).await
    }

    /// Changes a product: fields, publishing, archiving. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_update(
        &self,
        ctx: &Context<'_>,
        input: ProductUpdateInput,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let id = ids::decode_as(NodeType::Product, &input.id)?;
        let fields = ProductFields {
            name: input.name,
            description: input.description,
            ean: input.ean,
            brand_id: input
                .brand_id
                .as_ref()
                .map(|id| ids::decode_as(NodeType::Brand, id).map(Some))
                .transpose()?,
            category_id: input
                .category_id
                .as_ref()
                .map(|id| ids::decode_as(NodeType::Category, id))
                .transpose()?,
            weight_grams: input.weight_grams,
            status: input.status,
        };
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(service::update_product(tx, admin, id, fields))
        })
        .await;
        product_payload(ctx, outcome.or_user_errors()?.map(|p| p.id)).await
    }

    /// Adds a variant to a product. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn variant_create(
        &self,
        ctx: &Context<'_>,
        input: VariantCreateInput,
    ) -> async_graphql::Result<VariantPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let product = ids::decode_as(NodeType::Product, &input.product_id)?;
        let fields = VariantFields {
            sku: Some(input.sku),
            options: Some(options(input.options)),
            price: Some(input.price),
            compare_at_price: Some(input.compare_at_price),
            vat_rate: Some(input.vat_rate),
        };
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(service::create_variant(tx, admin, product, fields))
        })
        .await;
        variant_payload(ctx, outcome.or_user_errors()?.map(|v| v.id)).await
    }

    /// Changes a variant (SKU, price, VAT, options). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn variant_update(
        &self,
        ctx: &Context<'_>,
        input: VariantUpdateInput,
    ) -> async_graphql::Result<VariantPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let id = ids::decode_as(NodeType::ProductVariant, &input.id)?;
        let fields = VariantFields {
            sku: input.sku,
            options: input.options.map(options),
            price: input.price,
            compare_at_price: input.compare_at_price.map(Some),
            vat_rate: input.vat_rate,
        };
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(service::update_variant(tx, admin, id, fields))
        })
        .await;
        variant_payload(ctx, outcome.or_user_errors()?.map(|v| v.id)).await
    }

    /// Adds a picture (JPEG, PNG or WebP, at most 15 MB) at the end of a product's gallery: send
    /// it to `POST /graphql/upload` as a GraphQL multipart request. The shop serves it as JPEG
    /// in widths of 320, 640 and 1 280 px (`ProductImage.url(width:)`, `srcSet`), cached for a
    /// year. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_image_add(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        file: Upload,
        alt: Option<String>,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let product = ids::decode_as(NodeType::Product, &product_id)?;
        let upload = uploaded(ctx, &file)?;
        let media = ctx.data_unchecked::<Media>();
        let outcome = images::add_image(
            pool(ctx),
            media,
            admin,
            product,
            upload.content.to_vec(),
            alt.as_deref().unwrap_or_default(),
        )
        .await;
        product_payload(ctx, outcome.or_user_errors()?.map(|i| i.product_id)).await
    }

    /// Changes an image's alt text and/or its place in the gallery (0 is first). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_image_update(
        &self,
        ctx: &Context<'_>,
        id: ID,
        alt: Option<String>,
        position: Option<i32>,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let id = ids::decode_as(NodeType::ProductImage, &id)?;
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(images::update_image(tx, admin, id, alt, position))
        })
        .await;
        product_payload(ctx, outcome.or_user_errors()?.map(|i| i.product_id)).await
    }

    /// Takes an image out of its product's gallery. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_image_delete(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let id = ids::decode_as(NodeType::ProductImage, &id)?;
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(images::delete_image(tx, admin, id))
        })
        .await;
        product_payload(ctx, outcome.or_user_errors()?).await
    }

    /// Adds a category under another (or at the top). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn category_create(
        &self,
        ctx: &Context<'_>,
        name: String,
        parent_id: Option<ID>,
    ) -> async_graphql::Result<CategoryPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let parent = parent_id
            .as_ref()
            .map(|id| ids::decode_as(NodeType::Category, id))
            .transpose()?;
        let outcome = service::create_category(pool(ctx), admin, &name, parent).await;
        category_payload(ctx, outcome.or_user_errors()?.map(|c| c.id)).await
    }

    /// Moves a category within the tree (never under itself or its own subcategory) and sets
    /// its order among its siblings. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn category_move(
        &self,
        ctx: &Context<'_>,
        id: ID,
        parent_id: Option<ID>,
        #[graphql(default)] position: i32,
    ) -> async_graphql::Result<CategoryPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let id = ids::decode_as(NodeType::Category, &id)?;
        let parent = parent_id
            .as_ref()
            .map(|id| ids::decode_as(NodeType::Category, id))
            .transpose()?;
        let outcome = service::move_category(pool(ctx), admin, id, parent, position).await;
        category_payload(ctx, outcome.or_user_errors()?.map(|c| c.id)).await
    }

    /// Adds a brand. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn brand_create(
        &self,
        ctx: &Context<'_>,
        name: String,
    ) -> async_graphql::Result<BrandPayload> {
        let admin = require_admin(ctx)?.customer_id;
        match service::in_transaction(pool(ctx), |tx| {
            Box::pin(service::create_brand(tx, admin, name))
        })
        .await
        .or_user_errors()?
        {
            Ok((id, ..)) => {
                changed(ctx).await;
                let brand = store::brands_by_ids(pool(ctx), &[id])
                    .await?
                    .into_iter()
                    .next();
                Ok(BrandPayload {
                    brand: brand.map(Brand),
                    user_errors: vec![],
                })
            }
            Err(user_errors) => Ok(BrandPayload {
                brand: None,
                user_errors,
            }),
        }
    }

    /// Changes the prices of a category's and/or a brand's variants by a percentage or an
    /// amount, rounded; a dry run (the default) only shows the new prices. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn products_price_change(
        &self,
        ctx: &Context<'_>,
        input: ProductsPriceChangeInput,
    ) -> async_graphql::Result<ProductsPriceChangePayload> {
        let admin = require_admin(ctx)?.customer_id;
        let change = match (input.percent, input.amount) {
            (Some(percent), None)
                if percent.is_finite() && percent > -100.0 && percent < 1000.0 =>
            {
                Change::Percent(percent)
            }
            (None, Some(amount)) => Change::Amount(amount),
            _ => {
                let error = UserError::on(
                    "percent",
                    "INVALID",
                    "Zadejte buď procenta (víc než -100), nebo částku.",
                );
                return Ok(ProductsPriceChangePayload {
                    user_errors: vec![error],
                    ..Default::default()
                });
            }
        };
        let rounding = input.rounding.into();
        let outcome = service::change_prices(
            pool(ctx),
            admin,
            input.category.as_deref(),
            input.brand.as_deref(),
            change,
            rounding,
            input.dry_run,
        )
        .await;
        match outcome.or_user_errors()? {
            Ok(changes) => {
                if !input.dry_run {
                    changed(ctx).await;
                }
                Ok(ProductsPriceChangePayload {
                    changes: changes
                        .into_iter()
                        .map(|c| PriceChangePreview {
                            variant_id: ids::encode(NodeType::ProductVariant, c.variant_id),
                            sku: c.sku,
                            old_price: Money::czk(c.old_price),
                            new_price: Money::czk(c.new_price),
                        })
                        .collect(),
                    applied: !input.dry_run,
                    user_errors: vec![],
                })
            }
            Err(user_errors) => Ok(ProductsPriceChangePayload {
                user_errors,
                ..Default::default()
            }),
        }
    }
}

fn options(options: Vec<OptionInput>) -> serde_json::Value {
    serde_json::Value::Array(
        options
            .into_iter()
            .map(|o| serde_json::json!({ "name": o.name.trim(), "value": o.value.trim() }))
            .collect(),
    )
}

/// Bumps the catalog version: caches, facets and search follow on every instance.
async fn changed(ctx: &Context<'_>) {
    crate::catalog::catalog_changed(ctx.data_unchecked::<crate::cache::Redis>()).await;
}

/// After a change: the catalog version moves on and the changed object is read back by `load`;
/// refused input comes back as `userErrors`.
async fn read_back<T>(
    ctx: &Context<'_>,
    outcome: Result<i64, Vec<UserError>>,
    load: impl AsyncFnOnce(&PgPool, i64) -> sqlx::Result<Vec<T>>,
) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    match outcome {
        Ok(id) => {
            changed(ctx).await;
            Ok((load(pool(ctx), id).await?.into_iter().next(), vec![]))
        }
        Err(user_errors) => Ok((None, user_errors)),
    }
}

pub(crate) async fn product_payload(
    ctx: &Context<'_>,
    outcome: Result<i64, Vec<UserError>>,
) -> async_graphql::Result<ProductPayload> {
    let load = async |pool: &PgPool, id| store::products_by_ids(pool, &[id]).await;
    let (product, user_errors) = read_back(ctx, outcome, load).await?;
    Ok(ProductPayload {
        product: product.map(Product),
        user_errors,
    })
}

async fn variant_payload(
    ctx: &Context<'_>,
    outcome: Result<i64, Vec<UserError>>,
) -> async_graphql::Result<VariantPayload> {
    let load = async |pool: &PgPool, id| store::variants_by_ids(pool, &[id]).await;
    let (variant, user_errors) = read_back(ctx, outcome, load).await?;
    Ok(VariantPayload {
        variant: variant.map(ProductVariant::from),
        user_errors,
    })
}

async fn category_payload(
    ctx: &Context<'_>,
    outcome: Result<i64, Vec<UserError>>,
) -> async_graphql::Result<CategoryPayload> {
    let load = async |pool: &PgPool, id| store::categories_by_ids(pool, &[id]).await;
    let (category, user_errors) = read_back(ctx, outcome, load).await?;
    Ok(CategoryPayload {
        category: category.map(Category),
        user_errors,
    })
}

impl ToClient for CatalogError {
    fn to_client(self) -> ClientError {
        match self {
            Self::NotFound(..) => not_found(self),
            Self::Invalid { field, message } => invalid_field(field, &message),
            Self::Database(error) => internal(error),
            Self::Storage(error) => internal(error),
        }
    }
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}
