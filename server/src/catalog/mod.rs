//! The catalog: categories, brands, products, variants, images, attributes, search.

pub(crate) mod admin;
pub(crate) mod feeds;
pub(crate) mod filter;
pub(crate) mod graphql;
pub(crate) mod loaders;
pub(crate) mod model;
pub(crate) mod search;
pub(crate) mod store;
pub(crate) mod tree;

use std::time::Duration;

use crate::cache::Redis;

/// Counts and facets of listings are cached in Redis this long at most (stock changes may make
/// "in stock" counts stale for up to this long); catalog changes invalidate them at once.
pub const LISTING_AGGREGATES_TTL: Duration = Duration::from_secs(60);
/// The Redis counter whose value is part of every cached listing aggregate's key.
pub const CATALOG_VERSION_KEY: &str = "catalog:version";

/// Makes every cached listing count and facet stale; call after changing the catalog.
pub async fn invalidate_listing_aggregates(redis: &Redis) {
    redis.bump(CATALOG_VERSION_KEY).await;
}
