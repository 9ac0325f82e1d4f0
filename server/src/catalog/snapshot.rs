//! The small, slowly changing part of the catalog as each instance holds it: the category tree
//! and the brands. Every catalog page and listing reads them (navigation, breadcrumbs, a
//! listing's category scope, each card's brand): a few dozen rows that change when an admin
//! edits them, and a statement or more per request when read from PostgreSQL. An instance keeps
//! them under the catalog version (the Redis counter every catalog change bumps), reads them
//! again when the version moves on, and at least every [`MAX_AGE`] should Redis miss a change.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use sqlx::PgPool;

use super::CATALOG_VERSION_KEY;
use super::model::Brand;
use super::store;
use super::tree::CategoryTree;
use crate::cache::Redis;

/// The longest an instance uses a snapshot without reading it again.
const MAX_AGE: Duration = Duration::from_secs(60);

/// The category tree and the brands as one catalog version has them.
pub(crate) struct CatalogSnapshot {
    pub tree: CategoryTree,
    /// Alphabetically (Czech collation).
    brands: Vec<Brand>,
    brand_by_id: HashMap<i64, usize>,
}

impl CatalogSnapshot {
    /// The snapshot of `tree` and `brands`, given alphabetically.
    pub(crate) fn new(tree: CategoryTree, brands: Vec<Brand>) -> Self {
        let brand_by_id = brands.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        Self {
            tree,
            brands,
            brand_by_id,
        }
    }

    /// The brand `id`.
    pub(crate) fn brand(&self, id: i64) -> Option<&Brand> {
        self.brand_by_id.get(&id).map(|&i| &self.brands[i])
    }

    /// Every brand, alphabetically.
    pub(crate) fn brands(&self) -> &[Brand] {
        &self.brands
    }
}

/// The snapshot of one instance, read again when the catalog changes.
pub(crate) struct CatalogSnapshots {
    pool: PgPool,
    redis: Redis,
    current: RwLock<Option<Held>>,
    /// Held while a snapshot is read from PostgreSQL: one read per change and instance.
    reading: tokio::sync::Mutex<()>,
}

struct Held {
    version: i64,
    read_at: Instant,
    snapshot: Arc<CatalogSnapshot>,
}

impl CatalogSnapshots {
    /// Snapshots read from `pool`, kept under the catalog version in `redis`.
    pub(crate) fn new(pool: PgPool, redis: Redis) -> Self {
        Self {
            pool,
            redis,
            current: RwLock::new(None),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    /// The snapshot of the current catalog version.
    pub(crate) async fn current(&self) -> sqlx::Result<Arc<CatalogSnapshot>> {
        let version = self.redis.counter(CATALOG_VERSION_KEY).await;
        if let Some(snapshot) = self.held(version) {
            return Ok(snapshot);
        }
        let _reading = self.reading.lock().await;
        if let Some(snapshot) = self.held(version) {
            return Ok(snapshot);
        }
        let (categories, brands) = tokio::try_join!(
            store::category_tree(&self.pool),
            store::all_brands(&self.pool)
        )?;
        let snapshot = Arc::new(CatalogSnapshot::new(CategoryTree::new(categories), brands));
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Held {
            version,
            read_at: Instant::now(),
            snapshot: snapshot.clone(),
        });
        Ok(snapshot)
    }

    fn held(&self, version: i64) -> Option<Arc<CatalogSnapshot>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|held| held.version == version && held.read_at.elapsed() < MAX_AGE)
            .map(|held| held.snapshot.clone())
    }
}
