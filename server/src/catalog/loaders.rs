//! Batch loading of every nested catalog relation: one `= ANY ($1)` query per relation and request.

use std::{collections::HashMap, hash::Hash, sync::Arc};

use async_graphql::dataloader::Loader;
use sqlx::PgPool;

use crate::graphql::loading::group;

use super::model::{Brand, Category, Image, Product, ProductAttribute, Variant};
use super::store;

/// Loads catalog records in batches. One instance serves one GraphQL request.
pub(crate) struct CatalogLoader {
    pool: PgPool,
}

impl CatalogLoader {
    pub(crate) fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// The request-scoped loader: batches keys and caches what it loaded for the request's lifetime.
pub(crate) type CatalogDataLoader =
    async_graphql::dataloader::DataLoader<CatalogLoader, async_graphql::dataloader::HashMapCache>;

/// Loader errors must be `Clone`; the cause stays inside for the log.
pub(crate) type LoadError = Arc<sqlx::Error>;

/// Key: a product by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ProductId(pub i64);
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
/// `|row| parent id`.
macro_rules! grouped {
    ($key:ident, $value:ty, $query:path, $parent:expr) => {
        impl Loader<$key> for CatalogLoader {
            type Value = Vec<$value>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, LoadError> {
                let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows = $query(&self.pool, &ids).await.map_err(Arc::new)?;
                let parent: fn(&$value) -> Option<i64> = $parent;
                Ok(group(
                    keys,
                    rows.into_iter()
                        .filter_map(|row| Some(($key(parent(&row)?), row))),
                ))
            }
        }
    };
}

by_id!(ProductId, Product, store::products_by_ids);
by_id!(VariantId, Variant, store::variants_by_ids);
by_id!(CategoryId, Category, store::categories_by_ids);
by_id!(BrandId, Brand, store::brands_by_ids);
grouped!(VariantsOf, Variant, store::variants_of, |v| Some(
    v.product_id
));
grouped!(ImagesOf, Image, store::images_of, |i| Some(i.product_id));
grouped!(AttributesOf, ProductAttribute, store::attributes_of, |a| {
    Some(a.product_id)
});
grouped!(ChildrenOf, Category, store::children_of, |c| c.parent_id);

impl Loader<AncestorsOf> for CatalogLoader {
    type Value = Vec<Category>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[AncestorsOf],
    ) -> Result<HashMap<AncestorsOf, Vec<Category>>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = store::ancestors_of(&self.pool, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(group(
            keys,
            rows.into_iter()
                .map(|(of, ancestor)| (AncestorsOf(of), ancestor)),
        ))
    }
}
