//! GraphQL types of accounts: the customer, addresses and mutation payloads.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use async_graphql::dataloader::DataLoader;

use crate::accounts::loaders::{AccountsLoader, AddressesOf};
use crate::accounts::model;
use crate::address::{Address, MailingAddress};
use crate::auth::Role;
use crate::graphql::user_error::{Errors, UserError};
use crate::ids::{self, NodeType};

/// A customer or staff account. Visible to its owner and to admins.
pub(crate) struct Customer(pub model::Customer);

/// A customer or staff account. Visible to its owner and to admins.
#[Object]
impl Customer {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Customer, self.0.id)
    }

    /// Sign-in e-mail.
    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn first_name(&self) -> &str {
        &self.0.first_name
    }

    async fn last_name(&self) -> &str {
        &self.0.last_name
    }

    /// Phone number, digits with an optional leading `+`.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// Whether the customer agreed to receive marketing e-mail.
    async fn marketing_consent(&self) -> bool {
        self.0.marketing_consent
    }

    /// What the account may do.
    async fn role(&self) -> Role {
        self.0.role
    }

    /// Whether an admin disabled the account (it cannot sign in).
    async fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The customer's orders, newest first.
    async fn orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<crate::orders::graphql::OrderConnection> {
        let page = crate::graphql::pagination::PageRequest::from_args(
            first,
            after.as_deref(),
            None,
            None,
        )?;
        let filter = crate::orders::store::OrderFilter {
            customer_id: Some(self.0.id),
            ..Default::default()
        };
        crate::orders::graphql::order_page(ctx.data_unchecked::<sqlx::PgPool>(), &filter, page)
            .await
    }

    /// Saved addresses.
    async fn addresses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MailingAddress>> {
        Ok(self
            .load_addresses(ctx)
            .await?
            .into_iter()
            .map(MailingAddress)
            .collect())
    }

    /// The address used for shipping unless the customer picks another.
    async fn default_shipping_address(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<MailingAddress>> {
        self.address(ctx, self.0.default_shipping_address_id).await
    }

    /// The address used on invoices unless the customer picks another.
    async fn default_billing_address(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<MailingAddress>> {
        self.address(ctx, self.0.default_billing_address_id).await
    }
}

impl Customer {
    async fn load_addresses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Address>> {
        let loader = ctx.data_unchecked::<DataLoader<AccountsLoader>>();
        Ok(loader
            .load_one(AddressesOf(self.0.id))
            .await?
            .unwrap_or_default())
    }

    async fn address(
        &self,
        ctx: &Context<'_>,
        id: Option<i64>,
    ) -> async_graphql::Result<Option<MailingAddress>> {
        let Some(id) = id else { return Ok(None) };
        Ok(self
            .load_addresses(ctx)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .map(MailingAddress))
    }
}

/// The answer to sign-in and token refresh. Browsers on the shop's own site get the tokens as
/// HttpOnly cookies instead, and `accessToken`/`refreshToken` are null for them.
#[derive(SimpleObject, Default)]
pub(super) struct CustomerAccessTokenPayload {
    /// The signed-in customer.
    pub customer: Option<Customer>,
    /// Bearer token for `Authorization`, valid `accessTokenExpiresIn` seconds.
    pub access_token: Option<String>,
    /// Exchange it with `customerTokenRefresh` for new tokens; it is single use.
    pub refresh_token: Option<String>,
    /// Seconds the access token stays valid.
    pub access_token_expires_in: Option<i32>,
    pub user_errors: Vec<UserError>,
}

/// The answer to a request whose outcome is not disclosed (registration, password reset
/// request) or that changes nothing visible (sign-out).
#[derive(SimpleObject, Default)]
pub(super) struct AcceptedPayload {
    /// True when the request was valid and accepted.
    pub accepted: bool,
    pub user_errors: Vec<UserError>,
}

/// The answer to a change of the customer's account.
#[derive(SimpleObject, Default)]
pub(super) struct CustomerPayload {
    /// The customer after the change.
    pub customer: Option<Customer>,
    pub user_errors: Vec<UserError>,
}

/// The answer to a change of an address.
#[derive(SimpleObject, Default)]
pub(super) struct MailingAddressPayload {
    /// The address after the change (null after deleting it).
    pub address: Option<MailingAddress>,
    pub user_errors: Vec<UserError>,
}

impl AcceptedPayload {
    pub(super) fn yes() -> Self {
        Self {
            accepted: true,
            user_errors: vec![],
        }
    }

    pub(super) fn refused(errors: Errors) -> Self {
        Self {
            accepted: false,
            user_errors: errors.0,
        }
    }
}

impl CustomerPayload {
    pub(super) fn saved(customer: model::Customer) -> Self {
        Self {
            customer: Some(Customer(customer)),
            user_errors: vec![],
        }
    }

    pub(super) fn refused(errors: Errors) -> Self {
        Self {
            customer: None,
            user_errors: errors.0,
        }
    }
}

impl MailingAddressPayload {
    pub(super) fn saved(address: Address) -> Self {
        Self {
            address: Some(MailingAddress(address)),
            user_errors: vec![],
        }
    }

    pub(super) fn refused(errors: Errors) -> Self {
        Self {
            address: None,
            user_errors: errors.0,
        }
    }
}
