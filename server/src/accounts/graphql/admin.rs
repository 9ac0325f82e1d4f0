//! Admin-only parts of accounts: the customer list, role changes, disabling, the audit log.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::types::{Customer, CustomerPayload};
use super::{ip, pool};
use crate::accounts::{service, store};
use crate::audit;
use crate::auth::{AdminGuard, Role, require_admin};
use crate::error::bad_input;
use crate::graphql::domain_errors::ServiceResult;
use crate::graphql::pagination::{PageInfo, PageRequest};
use crate::ids::{self, NodeType};

#[derive(Default)]
pub(crate) struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Customers, newest first, optionally matching `search` (e-mail or name). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<CustomerConnection> {
        let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
        let search = search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if search.as_ref().is_some_and(|s| s.chars().count() > 100) {
            return Err(bad_input("search has at most 100 characters"));
        }
        let mut rows =
            store::search_customers(pool(ctx), search.as_deref(), page.offset, page.limit + 1)
                .await?;
        let more = rows.len() as i64 > page.limit;
        rows.truncate(page.limit as usize);
        Ok(CustomerConnection {
            page_info: PageInfo::new(page, rows.len(), more),
            nodes: rows.into_iter().map(Customer).collect(),
        })
    }

    /// Security events, newest first, optionally of one customer. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Vec<AuditLogEntry>> {
        let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
        let customer = customer_id
            .map(|id| ids::decode_as(NodeType::Customer, &id))
            .transpose()?;
        let rows = audit::list(pool(ctx), customer, page.offset, page.limit).await?;
        Ok(rows.into_iter().map(AuditLogEntry::from).collect())
    }
}

/// A page of customers.
#[derive(SimpleObject)]
pub(super) struct CustomerConnection {
    pub nodes: Vec<Customer>,
    pub page_info: PageInfo,
}

/// A recorded security event.
#[derive(SimpleObject)]
pub(super) struct AuditLogEntry {
    pub occurred_at: DateTime<Utc>,
    /// What happened, e.g. `LOGIN_FAILED`, `REFRESH_TOKEN_REUSED`.
    pub event: String,
    /// The account concerned.
    pub customer_id: Option<ID>,
    /// Who did it, when someone other than the customer (an admin).
    pub actor_id: Option<ID>,
    /// Client address.
    pub ip: Option<String>,
    /// Details as JSON text.
    pub details: String,
}

impl From<audit::Row> for AuditLogEntry {
    fn from(row: audit::Row) -> Self {
        Self {
            occurred_at: row.occurred_at,
            event: row.event,
            customer_id: row
                .customer_id
                .map(|id| ids::encode(NodeType::Customer, id)),
            actor_id: row.actor_id.map(|id| ids::encode(NodeType::Customer, id)),
            ip: row.ip,
            details: row.details.to_string(),
        }
    }
}

/// A role change.
#[derive(InputObject)]
pub(super) struct CustomerRoleUpdateInput {
    pub customer_id: ID,
    pub role: Role,
}

/// Disabling or enabling an account.
#[derive(InputObject)]
pub(super) struct CustomerDisableInput {
    pub customer_id: ID,
    pub disabled: bool,
}

#[derive(Default)]
pub(crate) struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Gives an account another role. Admins only; recorded in the audit log.
    #[graphql(guard = "AdminGuard")]
    async fn customer_role_update(
        &self,
        ctx: &Context<'_>,
        input: CustomerRoleUpdateInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let admin = require_admin(ctx)?;
        let id = ids::decode_as(NodeType::Customer, &input.customer_id)?;
        let actor = service::Actor {
            id: admin.customer_id,
            ip: ip(ctx),
        };
        let customer = service::set_role(pool(ctx), actor, id, input.role)
            .await
            .or_error()?;
        Ok(CustomerPayload::saved(customer))
    }

    /// Disables an account (it cannot sign in; its sessions end) or enables it again. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn customer_disable(
        &self,
        ctx: &Context<'_>,
        input: CustomerDisableInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let admin = require_admin(ctx)?;
        let id = ids::decode_as(NodeType::Customer, &input.customer_id)?;
        let actor = service::Actor {
            id: admin.customer_id,
            ip: ip(ctx),
        };
        let customer = service::set_disabled(pool(ctx), actor, id, input.disabled)
            .await
            .or_error()?;
        Ok(CustomerPayload::saved(customer))
    }
}
