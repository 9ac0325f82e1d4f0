//! Batch loading of every nested catalog relation: one `= ANY ($1)` query per relation and request.

use std::{collections::HashMap, hash::Hash, sync::Arc};

use async_graphql::dataloader::Loader;
use sqlx::PgPool;

use tokio::sync::OnceCell;

use crate::graphql::loading::{SharedRow, group};

use super::model::{Brand, Category, Image, Product, ProductAttribute, Variant};
use super::snapshot::{CatalogSnapshot, CatalogSnapshots};
use super::store;
use super::tree::CategoryTree;

/// Loads catalog records in batches. One instance serves one GraphQL request.
pub(crate) struct CatalogLoader {
    pool: PgPool,
    snapshots: Arc<CatalogSnapshots>,
    /// The instance's catalog snapshot as this request first read it.
    snapshot: OnceCell<Arc<CatalogSnapshot>>,
}

impl CatalogLoader {
    pub(crate) fn new(pool: PgPool, snapshots: Arc<CatalogSnapshots>) -> Self {
        Self {
            pool,
            snapshots,
            snapshot: OnceCell::new(),
        }
    }

    /// The category tree and the brands, the same for the whole request.
    pub(crate) async fn snapshot(&self) -> Result<&CatalogSnapshot, LoadError> {
        let snapshot = self
            .snapshot
            .get_or_try_init(|| self.snapshots.current())
            .await
            .map_err(Arc::new)?;
        Ok(snapshot)
    }

    /// The category tree, the same for the whole request.
    pub(crate) async fn category_tree(&self) -> Result<&CategoryTree, LoadError> {
        Ok(&self.snapshot().await?.tree)
    }
}

/// The request-scoped loader: batches keys and caches what it loaded for the request's lifetime.
/// Its keys are ids, hashed with Fx: SipHash's resistance to chosen keys buys nothing for a
/// request's own few hundred ids (a hundredth of a listing's instructions).
pub(crate) type CatalogDataLoader = async_graphql::dataloader::DataLoader<
    CatalogLoader,
    async_graphql::dataloader::HashMapCache<rustc_hash::FxBuildHasher>,
>;

/// Loader errors must be `Clone`; the cause stays inside for the log.
pub(crate) type LoadError = Arc<sqlx::Error>;

/// Key: a product by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ProductId(pub i64);
/// Key: a product's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DescriptionOf(pub i64);
/// Key: a variant by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct VariantId(pub i64);
/// Key: a category by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CategoryId(pub i64);
/// Key: a brand by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct BrandId(pub i64);
/// Key: all variants of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct VariantsOf(pub i64);
/// Key: all images of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ImagesOf(pub i64);
/// Key: the first image of a product (`None` without one), for cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FeaturedImageOf(pub i64);
/// Key: all attribute values of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AttributesOf(pub i64);
/// Key: the child categories of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ChildrenOf(pub i64);
/// Key: the ancestors of a category, root first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AncestorsOf(pub i64);

/// Implements `Loader` for a key that maps to one record with an `id`.
macro_rules! by_id {
    ($key:ident, $value:ty, $query:path) => {
        impl Loader<$key> for CatalogLoader {
            type Value = $value;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, LoadError> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $query(&self.pool, &ids).await.map_err(Arc::new)?;
                Ok(rows.into_iter().map(|row| ($key(row.id), row)).collect())
            }
        }
    };
}

/// Implements `Loader` for a key that maps to the records sharing a parent, given as
/// `|row| parent id`. The records are shared: a product's fields (`variants`, `priceRange`,
/// `inStock`…) each read them from the request's cache, which hands out clones.
macro_rules! grouped {
    ($key:ident, $value:ty, $query:path, $parent:expr) => {
        impl Loader<$key> for CatalogLoader {
            type Value = Arc<[$value]>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Arc<[$value]>>, LoadError> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $query(&self.pool, &ids).await.map_err(Arc::new)?;
                let parent: fn(&$value) -> Option<i64> = $parent;
                let groups = group(
                    keys,
                    rows.into_iter()
                        .filter_map(|row| Some(($key(parent(&row)?), row))),
                );
                Ok(groups.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    };
}

by_id!(ProductId, Product, store::products_by_ids);
by_id!(VariantId, Variant, store::variants_by_ids);
impl Loader<DescriptionOf> for CatalogLoader {
    type Value = String;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[DescriptionOf],
    ) -> Result<HashMap<DescriptionOf, String>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = store::descriptions_of(&self.pool, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(rows
            .into_iter()
            .map(|(id, description)| (DescriptionOf(id), description))
            .collect())
    }
}
grouped!(VariantsOf, Variant, store::variants_of, |v| Some(
    v.product_id
));
grouped!(ImagesOf, Image, store::images_of, |i| Some(i.product_id));
impl Loader<FeaturedImageOf> for CatalogLoader {
    type Value = Option<SharedRow<Image>>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FeaturedImageOf],
    ) -> Result<HashMap<FeaturedImageOf, Option<SharedRow<Image>>>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let images: Arc<[Image]> = store::featured_images_of(&self.pool, &ids)
            .await
            .map_err(Arc::new)?
            .into();
        let mut first: HashMap<FeaturedImageOf, Option<SharedRow<Image>>> =
            keys.iter().map(|&key| (key, None)).collect();
        for image in SharedRow::each(&images) {
            first.insert(FeaturedImageOf(image.product_id), Some(image));
        }
        Ok(first)
    }
}
grouped!(AttributesOf, ProductAttribute, store::attributes_of, |a| {
    Some(a.product_id)
});

/// Implements `Loader` for a key answered from the request's catalog snapshot, given as
/// `|snapshot, id| value` (`None`: no such record).
macro_rules! from_snapshot {
    ($key:ident, $value:ty, $read:expr) => {
        impl Loader<$key> for CatalogLoader {
            type Value = $value;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, $value>, LoadError> {
                let snapshot = self.snapshot().await?;
                let read: fn(&CatalogSnapshot, i64) -> Option<$value> = $read;
                Ok(keys
                    .iter()
                    .filter_map(|&key| Some((key, read(snapshot, key.0)?)))
                    .collect())
            }
        }
    };
}

from_snapshot!(BrandId, Brand, |snapshot, id| snapshot.brand(id).cloned());
from_snapshot!(CategoryId, Category, |snapshot, id| snapshot
    .tree
    .get(id)
    .cloned());
from_snapshot!(ChildrenOf, Arc<[Category]>, |snapshot, id| Some(
    snapshot.tree.children(Some(id)).cloned().collect()
));
from_snapshot!(AncestorsOf, Arc<[Category]>, |snapshot, id| Some(
    snapshot.tree.ancestors(id).into_iter().cloned().collect()
));
