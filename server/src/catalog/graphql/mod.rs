//! The catalog's part of the GraphQL schema: public queries, no sign-in needed.

mod category;
mod listing;
mod product;

use async_graphql::{Context, Object, SimpleObject};
use sqlx::PgPool;

pub(crate) use category::{Brand, Category};
pub(crate) use listing::{ProductConnection, ProductFilterInput, ProductSort};
pub(crate) use product::{PriceRange, Product, ProductVariant, prefetch_relations};

use super::loaders::CatalogDataLoader;
use super::{model, search, store};
use crate::error::{bad_input, not_found};
use crate::graphql::one_pass::OnePass;
use crate::graphql::pagination::PageRequest;

/// The request's batch loader of catalog records.
pub(crate) fn catalog_loader<'a>(ctx: &Context<'a>) -> &'a CatalogDataLoader {
    ctx.data_unchecked::<CatalogDataLoader>()
}

/// Most suggestions of each kind `searchSuggestions` returns.
const MAX_SUGGESTIONS: i32 = 20;
/// What one search costs on top of its results: typo correction against the lexicon and a
/// full-text query. With the request limit of 20 000, a request holds at most about twenty
/// searches, however many aliases it tries.
const SEARCH_COMPLEXITY: usize = 1_000;

#[derive(Default)]
pub(crate) struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Products, filtered and sorted, as a Relay connection (at most 100 a page). Root fields are
    /// nullable so that an error in one leaves the others of the same request intact.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn products(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<ProductFilterInput>,
        #[graphql(default)] sort: ProductSort,
    ) -> async_graphql::Result<Option<ProductConnection>> {
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let tree = catalog_loader(ctx).loader().category_tree().await?;
        let filter = filter.unwrap_or_default().into_filter(tree)?;
        ProductConnection::load(ctx, filter, sort, page, None)
            .await
            .map(Some)
    }

    /// Full-text search over names, brands and descriptions. Diacritics do not matter
    /// ("zidle" finds "Židle") and small typos are corrected ("zidel").
    #[graphql(complexity = "SEARCH_COMPLEXITY + page_complexity(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<ProductFilterInput>,
        #[graphql(default)] sort: ProductSort,
    ) -> async_graphql::Result<Option<ProductConnection>> {
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let tree = catalog_loader(ctx).loader().category_tree().await?;
        let mut filter = filter.unwrap_or_default().into_filter(tree)?;
        let pool = ctx.data_unchecked::<PgPool>();
        let prepared = search::prepare(pool, &query).await?;
        filter.text_query = Some(prepared.ts_query);
        ProductConnection::load(ctx, filter, sort, page, prepared.corrected)
            .await
            .map(Some)
    }

    /// Type-ahead suggestions for what a shopper has typed so far.
    #[graphql(
        complexity = "SEARCH_COMPLEXITY + first.clamp(1, MAX_SUGGESTIONS) as usize * child_complexity"
    )]
    async fn search_suggestions(
        &self,
        ctx: &Context<'_>,
        prefix: String,
        #[graphql(default = 6)] first: i32,
    ) -> async_graphql::Result<SearchSuggestions> {
        if !(1..=MAX_SUGGESTIONS).contains(&first) {
            return Err(bad_input(format!(
                "`first` must be between 1 and {MAX_SUGGESTIONS}"
            )));
        }
        let pool = ctx.data_unchecked::<PgPool>();
        let prepared = search::prepare(pool, &prefix).await?;
        let filter = crate::catalog::filter::ProductFilter {
            text_query: Some(prepared.ts_query),
            ..Default::default()
        };
        let limit = i64::from(first);
        let (products, categories) = tokio::try_join!(
            store::list_products(pool, &filter, store::ProductOrder::Relevance, 0, limit),
            store::categories_matching(pool, &prepared.words, limit),
        )?;
        let selection = ctx.look_ahead().field("products");
        prefetch_relations(ctx, selection, &products).await?;
        Ok(SearchSuggestions {
            products: products.into_iter().map(|p| OnePass(Product(p))).collect(),
            categories: categories.into_iter().map(Category).collect(),
            corrected_query: prepared.corrected,
        })
    }

    /// A product by its slug; `NOT_FOUND` when there is none.
    async fn product(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<Option<Product>> {
        let product = store::product_by_slug(ctx.data_unchecked::<PgPool>(), &slug).await?;
        product
            .map(|p| Some(Product(p)))
            .ok_or_else(|| not_found("Product", &slug))
    }

    /// The category tree's top level; descend through `children`.
    async fn categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] featured_only: bool,
    ) -> async_graphql::Result<Vec<Category>> {
        let tree = catalog_loader(ctx).loader().category_tree().await?;
        let categories: Vec<&model::Category> = if featured_only {
            tree.featured().collect()
        } else {
            tree.children(None).collect()
        };
        Ok(categories.into_iter().cloned().map(Category).collect())
    }

    /// A category by its slug; `NOT_FOUND` when there is none.
    async fn category(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<Option<Category>> {
        let tree = catalog_loader(ctx).loader().category_tree().await?;
        tree.by_slug(&slug)
            .map(|c| Some(Category(c.clone())))
            .ok_or_else(|| not_found("Category", &slug))
    }

    /// All brands, alphabetically.
    async fn brands(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Brand>> {
        let snapshot = catalog_loader(ctx).loader().snapshot().await?;
        Ok(snapshot.brands().iter().cloned().map(Brand).collect())
    }
}

/// What to suggest while a shopper types a search query.
#[derive(SimpleObject)]
pub(crate) struct SearchSuggestions {
    /// Best-matching products.
    pub products: Vec<OnePass<Product>>,
    /// Categories whose name matches.
    pub categories: Vec<Category>,
    /// The query as corrected for typos, when it differs from what was typed.
    pub corrected_query: Option<String>,
}

/// Complexity of a page: its size times the complexity of one item.
fn page_complexity(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .unwrap_or(crate::graphql::pagination::DEFAULT_PAGE_SIZE)
        .clamp(1, 100);
    size as usize * child_complexity
}
