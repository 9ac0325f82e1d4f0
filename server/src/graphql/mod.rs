//! The one GraphQL schema: every domain's queries merged, with limits and error hygiene.

pub mod errors;
pub mod loading;
pub mod node;
pub mod pagination;
pub mod user_error;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::{MergedObject, MergedSubscription, Schema};
use sqlx::PgPool;

use crate::accounts::graphql::{
    AccountsMutation, AccountsQuery, AccountsSettings, AdminMutation, AdminQuery,
};
use crate::accounts::loaders::AccountsLoader;
use crate::auth::jwt::TokenKeys;
use crate::auth::{RequestInfo, Role, Viewer};
use crate::cache::Redis;
use crate::cart::graphql::{CartMutation, CartQuery};
use crate::catalog::graphql::CatalogQuery;
use crate::catalog::loaders::{CatalogDataLoader, CatalogLoader};
use crate::checkout::graphql::{CheckoutMutation, CheckoutQuery};
use crate::config::{Config, Mode};
use crate::inventory::graphql::{InventoryMutation, InventoryQuery};
use crate::orders::graphql::{OrdersAdminQuery, OrdersMutation, OrdersQuery, OrdersSubscription};
use crate::orders::live::LiveOrders;
use crate::orders::loaders::OrdersLoader;

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
);

/// The root subscription type.
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct Subscription(OrdersSubscription);

/// The shop's schema type.
pub type ShopSchema = Schema<Query, Mutation, Subscription>;

/// The signing keys of access tokens.
pub fn token_keys(config: &Config) -> TokenKeys {
    TokenKeys::new(config.jwt_secret.as_bytes(), "lipa", "lipa-api")
}

/// Builds the schema with its limits; `pool` and `redis` are shared by every request.
pub fn build_schema(pool: PgPool, redis: Redis, live: LiveOrders, config: &Config) -> ShopSchema {
    let limits = config.graphql_limits;
    let settings = AccountsSettings {
        public_url: config.public_url.clone(),
        cookie_secure: config.mode == Mode::Production,
    };
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .data(pool)
    .data(live)
    .data(redis)
    .data(token_keys(config))
    .data(settings)
    .data(config.mode)
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(32)
    .limit_directives(8)
    .finish()
}

/// Who asks and how: what every request brings besides its operation.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub viewer: Viewer,
    pub info: RequestInfo,
}

/// Executes one request for `caller` with its own loaders and returns the response with safe
/// errors. Every way into the schema (HTTP, the storefront's server rendering) goes through here.
/// In production, introspection is for admins only.
pub async fn execute(
    schema: &ShopSchema,
    pool: &PgPool,
    caller: Caller,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let is_admin = caller.viewer.0.is_some_and(|v| v.role == Role::Admin);
    let production = schema
        .data::<Mode>()
        .is_some_and(|mode| *mode == Mode::Production);
    let mut request = with_request_data(request, pool)
        .data(caller.viewer)
        .data(caller.info);
    if production && !is_admin {
        request = request.disable_introspection();
    }
    let mut response = schema.execute(request).await;
    errors::sanitize(&mut response);
    response
}

/// Adds what one request needs of its own: fresh batch loaders (their cache lives one request).
fn with_request_data(request: async_graphql::Request, pool: &PgPool) -> async_graphql::Request {
    let catalog: CatalogDataLoader = DataLoader::with_cache(
        CatalogLoader::new(pool.clone()),
        tokio::spawn,
        HashMapCache::default(),
    );
    let accounts = DataLoader::new(AccountsLoader::new(pool.clone()), tokio::spawn);
    let orders = DataLoader::new(OrdersLoader::new(pool.clone()), tokio::spawn);
    request.data(catalog).data(accounts).data(orders)
}
