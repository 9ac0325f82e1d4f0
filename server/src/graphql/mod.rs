//! The one GraphQL schema: every domain's queries merged, with limits and error hygiene.

pub(crate) mod domain_errors;
pub(crate) mod errors;
pub mod executor;
pub(crate) mod json;
pub(crate) mod loading;
pub(crate) mod node;
pub(crate) mod one_pass;
pub(crate) mod pagination;
pub(crate) mod parsed;
pub(crate) mod user_error;

use async_graphql::{MergedObject, MergedSubscription, Schema, ValidationMode};
use sqlx::PgPool;

pub use executor::ShopExecutor;

use crate::accounts::graphql::{
    AccountsMutation, AccountsQuery, AccountsSettings, AdminMutation, AdminQuery,
};
use crate::assistant::graphql::{AssistantMutation, AssistantQuery, AssistantSubscription};
use crate::assistant::service::Assistant;
use crate::auth::cookies::CookiePolicy;
use crate::auth::jwt::TokenKeys;
use crate::auth::{RequestInfo, Viewer};
use crate::cache::Redis;
use crate::cart::graphql::{CartMutation, CartQuery};
use crate::catalog::admin::attributes::graphql::{AttributesAdminMutation, AttributesAdminQuery};
use crate::catalog::admin::graphql::CatalogAdminMutation;
use crate::catalog::graphql::CatalogQuery;
use crate::checkout::graphql::{CheckoutMutation, CheckoutQuery};
use crate::config::{Config, Mode};
use crate::inventory::graphql::{InventoryMutation, InventoryQuery};
use crate::invoices::graphql::InvoicesQuery;
use crate::orders::graphql::{OrdersAdminQuery, OrdersMutation, OrdersQuery, OrdersSubscription};
use crate::orders::live::LiveOrders;
use crate::payments::Payments;
use crate::payments::graphql::{PaymentsMutation, PaymentsQuery};
use crate::pickup_points::graphql::PickupPointsQuery;
use crate::reports::graphql::ReportsQuery;
use crate::reviews::graphql::{ReviewsMutation, ReviewsQuery};
use crate::shop::ShopQuery;
use crate::suppliers::graphql::{SuppliersMutation, SuppliersQuery};
use crate::watchdog::graphql::{WatchdogMutation, WatchdogQuery};

/// The root query type: the merged queries of every domain.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct Query(
    CatalogQuery,
    node::NodeQuery,
    AccountsQuery,
    AdminQuery,
    CartQuery,
    InventoryQuery,
    CheckoutQuery,
    OrdersQuery,
    OrdersAdminQuery,
    PaymentsQuery,
    AssistantQuery,
    ReportsQuery,
    SuppliersQuery,
    InvoicesQuery,
    AttributesAdminQuery,
    ShopQuery,
    PickupPointsQuery,
    ReviewsQuery,
    WatchdogQuery,
);

/// The root mutation type: the merged mutations of every domain.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct Mutation(
    AccountsMutation,
    AdminMutation,
    CartMutation,
    InventoryMutation,
    CheckoutMutation,
    OrdersMutation,
    PaymentsMutation,
    AssistantMutation,
    CatalogAdminMutation,
    SuppliersMutation,
    AttributesAdminMutation,
    ReviewsMutation,
    WatchdogMutation,
);

/// The root subscription type.
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct Subscription(OrdersSubscription, AssistantSubscription);

/// The shop's schema type.
pub type ShopSchema = Schema<Query, Mutation, Subscription>;

/// The signing keys of access tokens: the configured secret, or (a process given none, such as
/// a test or `export-schema`) a random one it forgets at exit.
pub fn token_keys(config: &Config) -> TokenKeys {
    let secret = config
        .jwt_secret
        .clone()
        .unwrap_or_else(crate::auth::secret::random);
    TokenKeys::new(secret.as_bytes(), "lipa", "lipa-api")
}

/// The schema twice over, sharing its data: `public` validates every document fully (any
/// client may send anything), `trusted` validates only what depends on the request (the
/// variables' complexity and depth limits, fragment cycles). `trusted` runs the storefront's own
/// operations, which were checked against `schema.graphql` when the storefront was compiled (and
/// a test keeps that file equal to this schema), and operations that passed full validation
/// before on this instance (see `parsed.rs`). Full validation was a seventh of a server-rendered
/// category page's CPU.
pub struct Schemas {
    /// For requests from outside.
    pub public: ShopSchema,
    /// For the storefront's server-side rendering and operations known to be valid.
    pub trusted: ShopSchema,
}

/// Builds the schemas with their limits; `pool` and `redis` are shared by every request.
pub fn build_schemas(
    pool: PgPool,
    redis: Redis,
    live: LiveOrders,
    config: &Config,
    tokens: TokenKeys,
    payments: Payments,
) -> Schemas {
    let limits = config.graphql_limits;
    let settings = AccountsSettings {
        public_url: config.public_url.clone(),
    };
    let media: crate::media::Media =
        std::sync::Arc::new(crate::media::DiskStore::new(&config.media_dir));
    let assistant = Assistant::new(config.assistant.clone(), redis.clone());
    let build = |validation| {
        Schema::build(
            Query::default(),
            Mutation::default(),
            Subscription::default(),
        )
        .data(pool.clone())
        .data(live.clone())
        .data(redis.clone())
        .data(tokens.clone())
        .data(settings.clone())
        .data(CookiePolicy {
            secure: config.mode == Mode::Production,
        })
        .data(config.mode)
        .data(payments.clone())
        .data(media.clone())
        .data(assistant.clone())
        .data(config.seller.clone())
        .data(crate::shop::PublicUrl(config.public_url.clone()))
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(8)
        .validation_mode(validation)
        .finish()
    };
    Schemas {
        public: build(ValidationMode::Strict),
        trusted: build(ValidationMode::Fast),
    }
}

/// Who asks and how: what every request brings besides its operation.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The signed-in account, if any.
    pub viewer: Viewer,
    /// The request's address, origin and cookies.
    pub info: RequestInfo,
}
