//! GraphQL types of the category tree and brands.

use async_graphql::{Context, ID, Object};

use super::catalog_loader;
use crate::catalog::loaders::{AncestorsOf, CategoryId, ChildrenOf};
use crate::catalog::model;
use crate::ids::{self, NodeType};

/// A category of the catalog tree (three levels: department, category, subcategory).
pub(crate) struct Category(pub model::Category);

/// A category of the catalog tree (three levels: department, category, subcategory).
#[Object]
impl Category {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Category, self.0.id)
    }

    /// URL-safe unique name, used in storefront links (`/c/<slug>`) and product filters.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name shown to shoppers.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Introductory text of the category page.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Level in the tree: 0 for top-level categories.
    async fn level(&self) -> i32 {
        i32::from(self.0.depth)
    }

    /// Whether the home page features this category.
    async fn featured(&self) -> bool {
        self.0.featured
    }

    /// The category one level up; none for top-level categories.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(catalog_loader(ctx)
            .load_one(CategoryId(parent_id))
            .await?
            .map(Category))
    }

    /// Subcategories in display order.
    #[graphql(complexity = "10 * child_complexity")]
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        let children = catalog_loader(ctx)
            .load_one(ChildrenOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(children.iter().cloned().map(Category).collect())
    }

    /// The path from the top-level category down to this one, both included.
    #[graphql(complexity = "3 * child_complexity")]
    async fn breadcrumbs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        let ancestors = catalog_loader(ctx)
            .load_one(AncestorsOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(ancestors
            .iter()
            .cloned()
            .chain([self.0.clone()])
            .map(Category)
            .collect())
    }
}

/// A brand (manufacturer) of products.
pub(crate) struct Brand(pub model::Brand);

/// A brand (manufacturer) of products.
#[Object(serial)]
impl Brand {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Brand, self.0.id)
    }

    /// URL-safe unique name, used in product filters.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name shown to shoppers.
    async fn name(&self) -> &str {
        &self.0.name
    }
}
