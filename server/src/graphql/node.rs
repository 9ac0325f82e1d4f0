//! The Relay `Node` interface: any object with a global ID can be fetched by it.

use async_graphql::{Context, ID, Interface, Object};

use crate::catalog::graphql::{Brand, Category, Product, ProductVariant, catalog_loader};
use crate::catalog::loaders::{BrandId, CategoryId, ProductId, VariantId};
use crate::error::{bad_input, not_found};
use crate::ids::{self, NodeType};

/// An object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID, accepted by `node(id:)`."))]
pub(crate) enum Node {
    Product(Product),
    ProductVariant(ProductVariant),
    Category(Category),
    Brand(Brand),
}

/// Most IDs one `nodes` call may ask for.
const MAX_NODES: usize = 100;

#[derive(Default)]
pub(crate) struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global ID; `NOT_FOUND` when there is none.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        load_node(ctx, &id)
            .await?
            .map(Some)
            .ok_or_else(|| not_found("Node", &id))
    }

    /// The objects with these global IDs, in the same order; `null` for IDs that name nothing.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(bad_input(format!("at most {MAX_NODES} IDs at once")));
        }
        futures_util::future::try_join_all(ids.iter().map(|id| load_node(ctx, id))).await
    }
}

async fn load_node(ctx: &Context<'_>, id: &str) -> async_graphql::Result<Option<Node>> {
    let loader = catalog_loader(ctx);
    Ok(match ids::decode(id)? {
        (NodeType::Product, id) => loader
            .load_one(ProductId(id))
            .await?
            .map(|p| Node::Product(Product(p))),
        (NodeType::ProductVariant, id) => loader
            .load_one(VariantId(id))
            .await?
            .map(|v| Node::ProductVariant(v.into())),
        (NodeType::Category, id) => loader
            .load_one(CategoryId(id))
            .await?
            .map(|c| Node::Category(Category(c))),
        (NodeType::Brand, id) => loader
            .load_one(BrandId(id))
            .await?
            .map(|b| Node::Brand(Brand(b))),
        // Accounts are reached through `me` and the admin's `customers`, reviews through their
        // product, not by global ID.
        (
            NodeType::Customer
            | NodeType::MailingAddress
            | NodeType::Cart
            | NodeType::ProductImage
            | NodeType::Supplier
            | NodeType::SupplierImport
            | NodeType::Review
            | NodeType::Watch,
            _,
        ) => None,
    })
}
