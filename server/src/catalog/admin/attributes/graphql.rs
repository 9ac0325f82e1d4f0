//! Attribute management in the schema (admins only): definitions with their values, and a
//! product's values. Attributes and values are named by their slugs, as filters name them.

use async_graphql::{Context, Object, SimpleObject};
use sqlx::PgPool;

use super::{Definition, Value, store};
use crate::auth::{AdminGuard, require_admin};
use crate::catalog::admin::graphql::{ProductPayload, product_payload};
use crate::catalog::admin::service::{self, CatalogError};
use crate::catalog::model::AttributeKind;
use crate::graphql::domain_errors::ServiceResult;
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};

/// An attribute as admins define it.
pub(crate) struct AttributeDefinition(Definition);

/// One value of a select attribute.
#[derive(SimpleObject)]
pub(crate) struct AttributeValue {
    /// For `AttributeFilter.values` and `productAttributeSet(value:)`.
    slug: String,
    name: String,
}

#[Object]
impl AttributeDefinition {
    /// For filters and the mutations below.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> AttributeKind {
        self.0.kind
    }
    /// A number attribute's unit, e.g. `cm`.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }
    /// A select attribute's values, in order.
    async fn values(&self) -> Vec<AttributeValue> {
        self.0
            .values
            .iter()
            .map(|v| AttributeValue {
                slug: v.slug.clone(),
                name: v.name.clone(),
            })
            .collect()
    }
}

/// The answer to an attribute change.
#[derive(SimpleObject, Default)]
pub(crate) struct AttributePayload {
    attribute: Option<AttributeDefinition>,
    user_errors: Vec<UserError>,
}

#[derive(Default)]
pub(crate) struct AttributesAdminQuery;

#[Object]
impl AttributesAdminQuery {
    /// Every attribute with its values, by name. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn attribute_definitions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AttributeDefinition>> {
        let rows = store::definitions(ctx.data_unchecked::<PgPool>(), None).await?;
        Ok(rows.into_iter().map(AttributeDefinition).collect())
    }
}

#[derive(Default)]
pub(crate) struct AttributesAdminMutation;

#[Object]
impl AttributesAdminMutation {
    /// Defines an attribute: `TEXT`, `NUMBER` (with an optional unit) or `SELECT` (then add its
    /// values). Its slug is made from the name. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn attribute_create(
        &self,
        ctx: &Context<'_>,
        name: String,
        kind: AttributeKind,
        unit: Option<String>,
    ) -> async_graphql::Result<AttributePayload> {
        let admin = require_admin(ctx)?.customer_id;
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(super::create(tx, admin, name, kind, unit))
        })
        .await;
        attribute_payload(outcome)
    }

    /// Adds a value to a select attribute (`attribute` is its slug). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn attribute_value_create(
        &self,
        ctx: &Context<'_>,
        attribute: String,
        name: String,
    ) -> async_graphql::Result<AttributePayload> {
        let admin = require_admin(ctx)?.customer_id;
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(super::add_value(tx, admin, attribute, name))
        })
        .await;
        attribute_payload(outcome)
    }

    /// Sets a product's value of an attribute: `value` (a slug) for a select attribute, `text`
    /// or `number` for the others. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_attribute_set(
        &self,
        ctx: &Context<'_>,
        product_id: async_graphql::ID,
        attribute: String,
        value: Option<String>,
        text: Option<String>,
        number: Option<f64>,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let product = ids::decode_as(NodeType::Product, &product_id)?;
        let value = Value {
            choice: value,
            text,
            number,
        };
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(super::set_on_product(tx, admin, product, attribute, value))
        })
        .await;
        product_payload(ctx, outcome.or_user_errors()?).await
    }

    /// Removes a product's value of an attribute. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_attribute_remove(
        &self,
        ctx: &Context<'_>,
        product_id: async_graphql::ID,
        attribute: String,
    ) -> async_graphql::Result<ProductPayload> {
        let admin = require_admin(ctx)?.customer_id;
        let product = ids::decode_as(NodeType::Product, &product_id)?;
        let outcome = service::in_transaction(pool(ctx), |tx| {
            Box::pin(super::remove_from_product(tx, admin, product, attribute))
        })
        .await;
        product_payload(ctx, outcome.or_user_errors()?).await
    }
}

fn attribute_payload(
    outcome: Result<Definition, CatalogError>,
) -> async_graphql::Result<AttributePayload> {
    Ok(match outcome.or_user_errors()? {
        Ok(definition) => AttributePayload {
            attribute: Some(AttributeDefinition(definition)),
            user_errors: vec![],
        },
        Err(user_errors) => AttributePayload {
            attribute: None,
            user_errors,
        },
    })
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}
