//! The catalog: categories, brands, products, variants, images, attributes, search.

pub(crate) mod admin;
pub(crate) mod feeds;
pub(crate) mod filter;
pub(crate) mod graphql;
pub(crate) mod loaders;
pub(crate) mod model;
pub(crate) mod search;
pub(crate) mod snapshot;
pub(crate) mod store;
pub(crate) mod tree;

use std::time::Duration;

use crate::cache::Redis;

/// Counts and facets of listings are cached in Redis this long at most (stock changes may make
/// "in stock" counts stale for up to this long); catalog changes invalidate them at once.
pub const LISTING_AGGREGATES_TTL: Duration = Duration::from_secs(60);
/// The Redis counter that names the catalog's version: part of every cached listing aggregate's,
/// page's and persisted query's key, and what each instance keeps its category tree under.
pub const CATALOG_VERSION_KEY: &str = "catalog:version";

/// Moves the catalog to a new version: cached listing counts, facets, pages and every instance's
/// category tree go stale. Call after changing the catalog.
pub async fn catalog_changed(redis: &Redis) {
    redis.bump(CATALOG_VERSION_KEY).await;
}
