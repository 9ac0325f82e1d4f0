//! The inventory part of the schema (admins only): stock adjustments and the ledger.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::store;
use crate::auth::{AdminGuard, require_admin};
use crate::cache::Redis;
use crate::catalog::catalog_changed;
use crate::error::bad_input;
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};

/// A change of the units on hand, with the reason for the ledger.
#[derive(InputObject)]
pub(crate) struct StockAdjustInput {
    pub variant_id: ID,
    /// Units to add (a receipt, a found unit) or, negative, to take away (damage, loss).
    pub delta: i32,
    /// Why, for the ledger (required).
    pub reason: String,
}

/// A variant's stock in the default warehouse.
#[derive(SimpleObject)]
pub(crate) struct StockLevel {
    pub variant_id: ID,
    pub on_hand: i32,
    /// Units held by unpaid orders.
    pub reserved: i32,
    /// On hand less reserved: what can be sold.
    pub available: i32,
}

/// The answer to a stock adjustment.
#[derive(SimpleObject, Default)]
pub(crate) struct StockAdjustPayload {
    pub stock_level: Option<StockLevel>,
    pub user_errors: Vec<UserError>,
}

/// A ledger entry: every change of stock, who made it and why.
#[derive(SimpleObject)]
pub(crate) struct StockMovement {
    /// `RECEIPT`, `SALE`, `RESERVATION`, `RELEASE` or `ADJUSTMENT`.
    pub kind: String,
    pub quantity: i32,
    pub reason: String,
    pub actor_id: Option<ID>,
    pub created_at: DateTime<Utc>,
}

#[derive(Default)]
pub(crate) struct InventoryQuery;

#[Object]
impl InventoryQuery {
    /// The newest stock movements of a variant (at most 100). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn stock_movements(
        &self,
        ctx: &Context<'_>,
        variant_id: ID,
        #[graphql(default = 20)] first: i32,
    ) -> async_graphql::Result<Vec<StockMovement>> {
        if !(1..=100).contains(&first) {
            return Err(bad_input("`first` must be between 1 and 100"));
        }
        let id = ids::decode_as(NodeType::ProductVariant, &variant_id)?;
        let rows = store::movements(ctx.data_unchecked::<PgPool>(), id, i64::from(first)).await?;
        Ok(rows
            .into_iter()
            .map(|m| StockMovement {
                kind: m.kind,
                quantity: m.quantity,
                reason: m.reason,
                actor_id: m.actor_id.map(|id| ids::encode(NodeType::Customer, id)),
                created_at: m.created_at,
            })
            .collect())
    }
}

#[derive(Default)]
pub(crate) struct InventoryMutation;

#[Object]
impl InventoryMutation {
    /// Changes the units on hand in the default warehouse and records it in the ledger. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn stock_adjust(
        &self,
        ctx: &Context<'_>,
        input: StockAdjustInput,
    ) -> async_graphql::Result<StockAdjustPayload> {
        let admin = require_admin(ctx)?;
        let variant_id = ids::decode_as(NodeType::ProductVariant, &input.variant_id)?;
        let reason = input.reason.trim();
        let refuse = |field: &str, code: &str, message: &str| StockAdjustPayload {
            stock_level: None,
            user_errors: vec![UserError::on(field, code, message)],
        };
        if reason.is_empty() || reason.chars().count() > 200 {
            return Ok(refuse(
                "reason",
                "INVALID",
                "Uveďte důvod (nejvýš 200 znaků).",
            ));
        }
        if input.delta == 0 {
            return Ok(refuse("delta", "INVALID", "Změna musí být nenulová."));
        }
        let pool = ctx.data_unchecked::<PgPool>();
        let Some(level) =
            store::adjust(pool, variant_id, input.delta, reason, admin.customer_id).await?
        else {
            return Ok(refuse(
                "delta",
                "INSUFFICIENT_STOCK",
                "Na skladě by zbylo méně kusů, než je rezervováno.",
            ));
        };
        catalog_changed(ctx.data_unchecked::<Redis>()).await;
        Ok(StockAdjustPayload {
            stock_level: Some(StockLevel {
                variant_id: input.variant_id,
                on_hand: level.on_hand,
                reserved: level.reserved,
                available: level.on_hand - level.reserved,
            }),
            user_errors: vec![],
        })
    }
}
