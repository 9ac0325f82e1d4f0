//! The watchdog in the schema: setting up a watch (shoppers and apps), confirming and cancelling
//! it by the e-mailed link, and a customer's own watches.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::service::{self, WatchRequest, Watcher};
use super::{Watch as Row, WatchError, WatchKind};
use crate::cache::Redis;
use crate::catalog::graphql::{ProductVariant, catalog_loader};
use crate::catalog::loaders::VariantId;
use crate::graphql::domain_errors::{
    ClientError, ToClient, internal, invalid_field, not_found, payload_parts,
};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};
use crate::money::Money;
use crate::shop::PublicUrl;

/// A watch on a variant (hlídací pes).
pub(crate) struct Watch(Row);

/// A watch on a variant (hlídací pes).
#[Object]
impl Watch {
    /// Global ID (for `watchCancel`).
    async fn id(&self) -> ID {
        ids::encode(NodeType::Watch, self.0.id)
    }

    /// What it waits for.
    async fn kind(&self) -> WatchKind {
        self.0.kind
    }

    /// The price it waits for, for `PRICE_BELOW`.
    async fn price_below(&self) -> Option<Money> {
        self.0.price_below.map(Money::czk)
    }

    /// Whether it is running (a guest's starts once the e-mailed link is opened).
    async fn confirmed(&self) -> bool {
        self.0.confirmed_at.is_some()
    }

    /// Where the notice goes.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// When it was set up.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The variant watched.
    async fn variant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ProductVariant>> {
        Ok(catalog_loader(ctx)
            .load_one(VariantId(self.0.variant_id))
            .await?
            .map(ProductVariant::from))
    }
}

impl ToClient for WatchError {
    fn to_client(self) -> ClientError {
        match self {
            Self::UnknownVariant => invalid_field("variantId", &self.to_string()),
            Self::Invalid(field, message) => invalid_field(field, message),
            Self::UnknownToken => invalid_field("token", &self.to_string()),
            Self::UnknownWatch => not_found(&self),
            Self::RateLimited(limited) => limited.to_client(),
            Self::Database(error) => internal(error),
        }
    }
}

/// A watch to set up.
#[derive(InputObject)]
pub(crate) struct WatchCreateInput {
    /// The variant to watch.
    variant_id: ID,
    /// Price drop or back in stock.
    kind: WatchKind,
    /// For `PRICE_BELOW`: notify at this price (haléře, VAT included) or lower.
    price_below: Option<i64>,
    /// Where to write: required for guests (who confirm it by a link); customers get the notice
    /// at their account's address.
    email: Option<String>,
}

/// A link's secret (from the e-mail).
#[derive(InputObject)]
pub(crate) struct WatchTokenInput {
    /// The `klic` of the e-mailed link.
    token: String,
}

/// The answer to setting up or confirming a watch.
#[derive(SimpleObject)]
pub(crate) struct WatchPayload {
    /// The watch as it is now.
    watch: Option<Watch>,
    /// Why not.
    user_errors: Vec<UserError>,
}

impl WatchPayload {
    fn from(result: Result<Row, WatchError>) -> async_graphql::Result<Self> {
        let (watch, user_errors) = payload_parts(result)?;
        Ok(Self {
            watch: watch.map(Watch),
            user_errors,
        })
    }
}

/// The answer to cancelling a watch.
#[derive(SimpleObject)]
pub(crate) struct WatchCancelPayload {
    /// Whether a watch ended.
    cancelled: bool,
    /// Why not.
    user_errors: Vec<UserError>,
}

impl WatchCancelPayload {
    fn from(result: Result<(), WatchError>) -> async_graphql::Result<Self> {
        let (done, user_errors) = payload_parts(result)?;
        Ok(Self {
            cancelled: done.is_some(),
            user_errors,
        })
    }
}

#[derive(Default)]
pub(crate) struct WatchdogQuery;

#[Object]
impl WatchdogQuery {
    /// The signed-in customer's running and unconfirmed watches, newest first.
    async fn my_watches(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Watch>> {
        let customer = crate::auth::require_signed_in(ctx)?.customer_id;
        let rows = super::store::of_customer(ctx.data_unchecked::<PgPool>(), customer).await?;
        Ok(rows.into_iter().map(Watch).collect())
    }
}

#[derive(Default)]
pub(crate) struct WatchdogMutation;

#[Object]
impl WatchdogMutation {
    /// Watches a variant's price or stock. A customer's watch runs at once; a guest gets an
    /// e-mail with a link that starts it (`watch.confirmed` is false until then).
    async fn watch_create(
        &self,
        ctx: &Context<'_>,
        input: WatchCreateInput,
    ) -> async_graphql::Result<WatchPayload> {
        let pool = ctx.data_unchecked::<PgPool>();
        let customer = match crate::auth::customer_id(ctx) {
            Some(id) => crate::accounts::store::customer_by_id(pool, id)
                .await?
                .map(|c| (c.id, c.email)),
            None => None,
        };
        let watcher = Watcher {
            customer,
            email: input.email,
            ip: crate::auth::request_info(ctx).ip.as_deref(),
        };
        let request = WatchRequest {
            variant_id: ids::decode_as(NodeType::ProductVariant, &input.variant_id)?,
            kind: input.kind,
            price_below: input.price_below,
        };
        let (redis, url) = (
            ctx.data_unchecked::<Redis>(),
            ctx.data_unchecked::<PublicUrl>(),
        );
        WatchPayload::from(service::create(pool, redis, &url.0, watcher, request).await)
    }

    /// Starts a guest's watch with the secret from the e-mailed link.
    async fn watch_confirm(
        &self,
        ctx: &Context<'_>,
        input: WatchTokenInput,
    ) -> async_graphql::Result<WatchPayload> {
        WatchPayload::from(service::confirm(ctx.data_unchecked::<PgPool>(), &input.token).await)
    }

    /// Ends a watch: by the secret from an e-mailed link, or a signed-in customer's by its id.
    async fn watch_cancel(
        &self,
        ctx: &Context<'_>,
        token: Option<String>,
        id: Option<ID>,
    ) -> async_graphql::Result<WatchCancelPayload> {
        let pool = ctx.data_unchecked::<PgPool>();
        let result = match (token, id) {
            (Some(token), _) => service::cancel_by_token(pool, &token).await,
            (None, Some(id)) => {
                let customer = crate::auth::require_signed_in(ctx)?.customer_id;
                let id = ids::decode_as(NodeType::Watch, &id)?;
                service::cancel_own(pool, customer, id).await
            }
            (None, None) => return Err(crate::error::bad_input("Give `token` or `id`.")),
        };
        WatchCancelPayload::from(result)
    }
}
