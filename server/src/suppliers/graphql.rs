//! The supplier part of the schema (admins only): suppliers with their mappings, imports of an
//! uploaded file (`POST /graphql/upload`, GraphQL multipart request) or of the feed URL, and
//! the import jobs with progress, counts and per-row errors.

use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Upload};
use sqlx::PgPool;

use super::mapping::Mapping;
use super::service::{self, SupplierError, SupplierSettings};
use super::status::JobStatus;
use super::store::{self, JobRow, SupplierRow};
use crate::auth::{AdminGuard, require_admin};
use crate::catalog::admin::graphql::PriceRounding;
use crate::graphql::domain_errors::{
    ClientError, ToClient, internal, invalid_field, not_found, uploaded,
};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};
use crate::media::Media;

/// How a supplier's file maps onto the catalog. Field names are CSV column headers, or for XML
/// the child elements of `SHOPITEM` (nested ones as `STOCK/QUANTITY`).
#[derive(InputObject, SimpleObject, Clone)]
#[graphql(input_name = "SupplierMappingInput")]
pub(crate) struct SupplierMapping {
    /// The field with the supplier's code (the key of the import), e.g. `ITEM_ID`.
    code: String,
    /// The field with the product name.
    name: String,
    /// The field with the price.
    price: String,
    /// Whether that price includes VAT (false: VAT is added).
    price_includes_vat: bool,
    /// The margin added to the supplier's price, in percent (e.g. 15.5).
    #[graphql(default)]
    margin_percent: f64,
    /// How the resulting price is rounded.
    #[graphql(default_with = "PriceRounding::Crowns")]
    rounding: PriceRounding,
    /// The field with the VAT rate, if any.
    vat_rate: Option<String>,
    /// The VAT rate of items without one (21, 12 or 0).
    #[graphql(default = 21)]
    default_vat_rate: i32,
    /// The field with the description, if any.
    description: Option<String>,
    /// The field with the EAN, if any.
    ean: Option<String>,
    /// The field with the units in stock, if any.
    stock: Option<String>,
    /// The field with the brand, if any.
    brand: Option<String>,
    /// The field with the supplier's category, if any.
    category: Option<String>,
    /// The supplier's categories and the shop categories they go to.
    #[graphql(default)]
    categories: Vec<CategoryRule>,
    /// The shop category of items whose category is not mapped.
    default_category_id: Option<ID>,
    /// Put before the supplier's code to make the SKU, e.g. `ACME-`.
    #[graphql(default)]
    sku_prefix: String,
}

/// A supplier's category and the shop category it goes to.
#[derive(InputObject, SimpleObject, Clone)]
#[graphql(input_name = "CategoryRuleInput")]
pub(crate) struct CategoryRule {
    /// The supplier's category text, exactly as in the file (e.g. `Nábytek | Židle`).
    supplier_category: String,
    /// The shop category.
    category_id: ID,
}

impl SupplierMapping {
    fn to_mapping(&self) -> Result<Mapping, SupplierError> {
        let category = |id: &ID| {
            ids::decode_as(NodeType::Category, id).map_err(|_| SupplierError::Invalid {
                field: "mapping",
                message: format!("„{}“ není ID kategorie.", id.as_str()),
            })
        };
        let categories = self
            .categories
            .iter()
            .map(|rule| Ok((rule.supplier_category.clone(), category(&rule.category_id)?)))
            .collect::<Result<HashMap<_, _>, SupplierError>>()?;
        let margin = self.margin_percent * 100.0;
        let default_vat_rate = u8::try_from(self.default_vat_rate).unwrap_or(u8::MAX);
        Ok(Mapping {
            code: self.code.clone(),
            name: self.name.clone(),
            price: self.price.clone(),
            price_includes_vat: self.price_includes_vat,
            margin_basis_points: if margin.is_finite() {
                margin.round().clamp(-1e6, 1e6) as i32
            } else {
                i32::MAX
            },
            rounding: self.rounding.into(),
            vat_rate: self.vat_rate.clone(),
            default_vat_rate,
            description: self.description.clone(),
            ean: self.ean.clone(),
            stock: self.stock.clone(),
            brand: self.brand.clone(),
            category: self.category.clone(),
            categories,
            default_category_id: self
                .default_category_id
                .as_ref()
                .map(category)
                .transpose()?,
            sku_prefix: self.sku_prefix.clone(),
        })
    }

    fn of(mapping: &Mapping) -> Self {
        let mut categories: Vec<CategoryRule> = mapping
            .categories
            .iter()
            .map(|(text, id)| CategoryRule {
                supplier_category: text.clone(),
                category_id: ids::encode(NodeType::Category, *id),
            })
            .collect();
        categories.sort_by(|a, b| a.supplier_category.cmp(&b.supplier_category));
        Self {
            code: mapping.code.clone(),
            name: mapping.name.clone(),
            price: mapping.price.clone(),
            price_includes_vat: mapping.price_includes_vat,
            margin_percent: f64::from(mapping.margin_basis_points) / 100.0,
            rounding: mapping.rounding.into(),
            vat_rate: mapping.vat_rate.clone(),
            default_vat_rate: i32::from(mapping.default_vat_rate),
            description: mapping.description.clone(),
            ean: mapping.ean.clone(),
            stock: mapping.stock.clone(),
            brand: mapping.brand.clone(),
            category: mapping.category.clone(),
            categories,
            default_category_id: mapping
                .default_category_id
                .map(|id| ids::encode(NodeType::Category, id)),
            sku_prefix: mapping.sku_prefix.clone(),
        }
    }
}

/// A supplier: a new one, or new settings of one.
#[derive(InputObject)]
pub(crate) struct SupplierInput {
    /// The supplier's name (cannot be changed later).
    name: String,
    /// How its files map onto the catalog.
    mapping: SupplierMapping,
    /// Where its feed is fetched from (http or https), if anywhere.
    feed_url: Option<String>,
    /// How often the feed is fetched, in hours (1–720); without it, only on request.
    fetch_every_hours: Option<i32>,
}

impl SupplierInput {
    fn settings(self) -> Result<SupplierSettings, SupplierError> {
        Ok(SupplierSettings {
            mapping: self.mapping.to_mapping()?,
            name: self.name,
            feed_url: self.feed_url,
            fetch_every_hours: self.fetch_every_hours,
        })
    }
}

/// A supplier whose files the shop imports.
pub(crate) struct Supplier(SupplierRow);

#[Object]
impl Supplier {
    async fn id(&self) -> ID {
        ids::encode(NodeType::Supplier, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn mapping(&self) -> SupplierMapping {
        SupplierMapping::of(&self.0.mapping)
    }
    async fn feed_url(&self) -> Option<&str> {
        self.0.feed_url.as_deref()
    }
    async fn fetch_every_hours(&self) -> Option<i32> {
        self.0.fetch_every_hours
    }
    /// When the feed is fetched next.
    async fn next_fetch_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.next_fetch_at
    }
    /// The newest imports, newest first.
    async fn imports(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, validator(minimum = 1, maximum = 100))] first: i64,
    ) -> async_graphql::Result<Vec<SupplierImport>> {
        let rows = store::jobs_of(pool(ctx), self.0.id, first).await?;
        Ok(rows.into_iter().map(SupplierImport).collect())
    }
}

/// One import of a supplier's file: where it stands, what it did, and the rows it refused.
pub(crate) struct SupplierImport(JobRow);

/// A row an import refused, and why (in Czech).
#[derive(SimpleObject)]
pub(crate) struct ImportRowError {
    /// The row's number among the data rows (XML: the `SHOPITEM`'s number), from 1.
    row: i64,
    /// The supplier's code of the row, when it was read.
    code: Option<String>,
    message: String,
}

#[Object]
impl SupplierImport {
    async fn id(&self) -> ID {
        ids::encode(NodeType::SupplierImport, self.0.id)
    }
    async fn status(&self) -> JobStatus {
        self.0.status
    }
    /// A dry run changes nothing; its counts say what the import would do.
    async fn dry_run(&self) -> bool {
        self.0.dry_run
    }
    /// Rows read so far (the progress; a resumed import continues after it).
    async fn rows_read(&self) -> i64 {
        self.0.rows_done
    }
    async fn created_count(&self) -> i32 {
        self.0.created
    }
    async fn updated_count(&self) -> i32 {
        self.0.updated
    }
    async fn unchanged_count(&self) -> i32 {
        self.0.unchanged
    }
    async fn failed_count(&self) -> i32 {
        self.0.failed
    }
    /// Products no longer in the supplier's file that orders refer to: archived.
    async fn archived_count(&self) -> i32 {
        self.0.archived
    }
    /// Products no longer in the supplier's file that no order has: deleted.
    async fn deleted_count(&self) -> i32 {
        self.0.deleted
    }
    /// Why the whole import stopped, in Czech (a failed import).
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    async fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.created_at
    }
    async fn finished_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.finished_at
    }
    /// The first refused rows (the first 1 000 of an import are kept).
    async fn errors(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, validator(minimum = 1, maximum = 1000))] first: i64,
    ) -> async_graphql::Result<Vec<ImportRowError>> {
        let rows = store::errors_of(pool(ctx), self.0.id, first).await?;
        Ok(rows
            .into_iter()
            .map(|(row, code, message)| ImportRowError { row, code, message })
            .collect())
    }
}

/// The answer to a supplier change.
#[derive(SimpleObject, Default)]
pub(crate) struct SupplierPayload {
    supplier: Option<Supplier>,
    user_errors: Vec<UserError>,
}

/// The answer to an import request: the queued import (its progress is read with
/// `supplierImport`).
#[derive(SimpleObject, Default)]
pub(crate) struct SupplierImportPayload {
    import: Option<SupplierImport>,
    user_errors: Vec<UserError>,
}

#[derive(Default)]
pub(crate) struct SuppliersQuery;

#[Object]
impl SuppliersQuery {
    /// Every supplier, by name. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn suppliers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Supplier>> {
        Ok(store::suppliers(pool(ctx), None)
            .await?
            .into_iter()
            .map(Supplier)
            .collect())
    }

    /// One import job, to follow its progress. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn supplier_import(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<SupplierImport>> {
        let id = ids::decode_as(NodeType::SupplierImport, &id)?;
        Ok(store::jobs(pool(ctx), &[id])
            .await?
            .pop()
            .map(SupplierImport))
    }
}

#[derive(Default)]
pub(crate) struct SuppliersMutation;

#[Object]
impl SuppliersMutation {
    /// Adds a supplier with its mapping (and optionally a feed fetched on a schedule). Admins
    /// only.
    #[graphql(guard = "AdminGuard")]
    async fn supplier_create(
        &self,
        ctx: &Context<'_>,
        input: SupplierInput,
    ) -> async_graphql::Result<SupplierPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let outcome = match input.settings() {
            Ok(settings) => service::create_supplier(pool(ctx), admin, settings).await,
            Err(error) => Err(error),
        };
        supplier_payload(outcome)
    }

    /// Changes a supplier's mapping and feed. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn supplier_update(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: SupplierInput,
    ) -> async_graphql::Result<SupplierPayload> {
        require_admin(ctx)?;
        let id = ids::decode_as(NodeType::Supplier, &id)?;
        let outcome = match input.settings() {
            Ok(settings) => service::update_supplier(pool(ctx), id, settings).await,
            Err(error) => Err(error),
        };
        supplier_payload(outcome)
    }

    /// Queues the import of an uploaded CSV or XML file (send it to `POST /graphql/upload` as
    /// a GraphQL multipart request). `dryRun` counts what would change and changes nothing.
    /// Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn supplier_import_upload(
        &self,
        ctx: &Context<'_>,
        supplier_id: ID,
        file: Upload,
        #[graphql(default)] dry_run: bool,
    ) -> async_graphql::Result<SupplierImportPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let supplier = ids::decode_as(NodeType::Supplier, &supplier_id)?;
        let upload = uploaded(ctx, &file)?;
        let media = ctx.data_unchecked::<Media>();
        let outcome =
            service::import_file(pool(ctx), media, admin, supplier, &upload.content, dry_run).await;
        import_payload(outcome)
    }

    /// Queues an import of the supplier's feed URL now. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn supplier_import_feed(
        &self,
        ctx: &Context<'_>,
        supplier_id: ID,
        #[graphql(default)] dry_run: bool,
    ) -> async_graphql::Result<SupplierImportPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let supplier = ids::decode_as(NodeType::Supplier, &supplier_id)?;
        import_payload(service::import_feed(pool(ctx), admin, supplier, dry_run).await)
    }
}

fn supplier_payload(
    outcome: Result<SupplierRow, SupplierError>,
) -> async_graphql::Result<SupplierPayload> {
    Ok(
        match crate::graphql::domain_errors::ServiceResult::or_user_errors(outcome)? {
            Ok(row) => SupplierPayload {
                supplier: Some(Supplier(row)),
                user_errors: vec![],
            },
            Err(user_errors) => SupplierPayload {
                supplier: None,
                user_errors,
            },
        },
    )
}

fn import_payload(
    outcome: Result<JobRow, SupplierError>,
) -> async_graphql::Result<SupplierImportPayload> {
    Ok(
        match crate::graphql::domain_errors::ServiceResult::or_user_errors(outcome)? {
            Ok(row) => SupplierImportPayload {
                import: Some(SupplierImport(row)),
                user_errors: vec![],
            },
            Err(user_errors) => SupplierImportPayload {
                import: None,
                user_errors,
            },
        },
    )
}

impl ToClient for SupplierError {
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
