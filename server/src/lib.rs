//! The shop's server: GraphQL API, GraphiQL and the server-rendered storefront in one process.

// The storefront's views are deeply nested types; laying them out needs a deeper query limit.
#![recursion_limit = "256"]

pub mod accounts;
pub(crate) mod address;
pub mod assistant;
pub(crate) mod audit;
pub mod auth;
pub mod cache;
pub mod cart;
pub mod catalog;
pub(crate) mod checkout;
pub mod config;
pub mod db;
pub(crate) mod delivery;
pub(crate) mod error;
pub mod graphql;
pub mod http;
pub mod ids;
pub(crate) mod inventory;
pub mod invoices;
pub mod jobs;
pub mod mail;
pub mod media;
pub(crate) mod money;
pub mod orders;
pub mod payments;
pub mod pickup_points;
pub mod pubsub;
pub(crate) mod qr_platba;
pub mod rate_limit;
pub(crate) mod reports;
pub(crate) mod reviews;
pub mod seed;
pub mod shop;
mod ssr;
pub mod suppliers;
pub mod telemetry;
pub mod watchdog;

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

use crate::config::Config;
use crate::graphql::ShopExecutor;
pub use crate::ssr::storefront_routes;

/// What every request handler can reach: one [`Shared`] behind an `Arc`, so the router's many
/// clones per request cost a counter each. Holds no per-user state.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for media::Media {
    fn from_ref(state: &AppState) -> Self {
        state.media.clone()
    }
}

/// The settings, connections and services every instance shares between its requests.
pub struct Shared {
    /// The settings.
    pub config: Arc<Config>,
    /// The serving database pool.
    pub pool: PgPool,
    /// Shared state of every instance.
    pub redis: cache::Redis,
    /// The schema behind every way in (HTTP, SSR, WebSocket).
    pub executor: ShopExecutor,
    /// Open WebSockets per client address on this instance.
    pub sockets: http::sockets::SocketCounter,
    /// The storefront's settings (site root, package name).
    pub leptos_options: LeptosOptions,
    /// Request counters for `/metrics`.
    pub metrics: Arc<http::metrics::Metrics>,
    /// Signs and checks access tokens.
    pub tokens: auth::jwt::TokenKeys,
    /// Live order updates shared with the background jobs.
    pub live: orders::live::LiveOrders,
    /// The payment gateway and the bank.
    pub payments: payments::Payments,
    /// Uploaded files: supplier files, image renditions.
    pub media: media::Media,
    /// The seller and the fonts of tax documents.
    pub invoices: invoices::InvoiceSettings,
    /// Catalog pages this instance served lately (see `http::page_cache`).
    pub pages: Arc<http::page_cache::LocalPages>,
}

impl AppState {
    /// Wires the state from configuration and open connections.
    pub fn new(config: Config, pool: PgPool, redis: cache::Redis) -> Self {
        let live = orders::live::LiveOrders::start(redis.clone());
        let tokens = graphql::token_keys(&config);
        let payments = payments::Payments::new(&config.payments, &config.public_url);
        let schemas = graphql::build_schemas(
            pool.clone(),
            redis.clone(),
            live.clone(),
            &config,
            tokens.clone(),
            payments.clone(),
        );
        let leptos_options = leptos_options(&config);
        let executor =
            ShopExecutor::new(schemas, pool.clone(), redis.clone(), config.request_timeout);
        Self(Arc::new(Shared {
            pages: Default::default(),
            invoices: config.invoice_settings(),
            media: Arc::new(media::DiskStore::new(&config.media_dir)),
            payments,
            tokens,
            live,
            config: Arc::new(config),
            pool,
            redis,
            executor,
            sockets: Default::default(),
            leptos_options,
            metrics: Default::default(),
        }))
    }
}

/// Leptos settings: the built site lives in `config.site_root` (`LEPTOS_SITE_ROOT`). When the
/// build named its files by their content (`hash.txt` beside them), pages link those names.
fn leptos_options(config: &Config) -> LeptosOptions {
    let hashes = std::path::Path::new(&config.site_root).join("hash.txt");
    let hashes = std::fs::canonicalize(&hashes).ok();
    LeptosOptions::builder()
        .output_name("shop")
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr)
        .hash_files(hashes.is_some())
        .hash_file(
            hashes
                .map(|path| std::sync::Arc::from(path.to_string_lossy().as_ref()))
                .unwrap_or_else(|| "hash.txt".into()),
        )
        .build()
}
