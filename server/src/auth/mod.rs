//! Who is asking: the viewer of a request, from a bearer token (mobile apps) or the storefront's
//! cookies, and the guards that fields and mutations check.

pub(crate) mod cookies;
pub mod jwt;
pub mod secret;

use async_graphql::{Context, Enum};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, api_error};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// A shopper.
    Customer,
    /// Shop staff: may manage customers and see the audit log.
    Admin,
}

impl Role {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "CUSTOMER",
            Self::Admin => "ADMIN",
        }
    }
}

crate::db::text_enum!(Role, "role", [Self::Customer, Self::Admin]);

/// How the credentials of a request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `Authorization: Bearer` (mobile apps, scripts).
    Bearer,
    /// The storefront's HttpOnly cookies.
    Cookie,
}

/// The signed-in account of a request, if any. Put into every GraphQL request's data.
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<SignedIn>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// A signed-in account and how its credentials came.
pub struct SignedIn {
    /// The account.
    pub customer_id: i64,
    /// Its role, confirmed against the database for admins.
    pub role: Role,
    /// Whether the token came in a header or a cookie.
    pub via: Via,
}

/// Facts about the HTTP request that resolvers need: client address and whether the caller is
/// a browser on the shop's own origin (which gets cookies instead of tokens in the body).
#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    /// The client's address (see `TRUSTED_PROXY_HOPS`).
    pub ip: Option<String>,
    /// A browser on the shop's own pages (cookies count, tokens stay out of bodies).
    pub same_origin_browser: bool,
    /// The refresh token from the storefront's cookie, if one came.
    pub refresh_cookie: Option<String>,
    /// The guest cart named by the storefront's cart cookie, if one came.
    pub cart_cookie: Option<uuid::Uuid>,
}

/// Facts about the current request (none for requests made without HTTP, e.g. in tests).
pub fn request_info<'a>(ctx: &Context<'a>) -> &'a RequestInfo {
    static NONE: RequestInfo = RequestInfo {
        ip: None,
        same_origin_browser: false,
        refresh_cookie: None,
        cart_cookie: None,
    };
    ctx.data_opt::<RequestInfo>().unwrap_or(&NONE)
}

/// The signed-in customer's id, if anyone is signed in.
pub fn customer_id(ctx: &Context<'_>) -> Option<i64> {
    ctx.data_opt::<Viewer>()
        .and_then(|viewer| viewer.0)
        .map(|signed_in| signed_in.customer_id)
}

/// The signed-in account, or `UNAUTHENTICATED`.
pub fn require_signed_in(ctx: &Context<'_>) -> async_graphql::Result<SignedIn> {
    ctx.data_opt::<Viewer>()
        .and_then(|viewer| viewer.0)
        .ok_or_else(|| api_error(ErrorCode::Unauthenticated, "Sign in first."))
}

/// The signed-in admin, or `UNAUTHENTICATED` / `FORBIDDEN`.
pub fn require_admin(ctx: &Context<'_>) -> async_graphql::Result<SignedIn> {
    let viewer = require_signed_in(ctx)?;
    if viewer.role == Role::Admin {
        Ok(viewer)
    } else {
        Err(api_error(
            ErrorCode::Forbidden,
            "Only shop staff may do this.",
        ))
    }
}

/// A guard for fields and mutations only admins may use.
pub struct AdminGuard;

impl async_graphql::Guard for AdminGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        require_admin(ctx).map(|_| ())
    }
}

/// A guard for fields and mutations of signed-in accounts.
pub struct SignedInGuard;

impl async_graphql::Guard for SignedInGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        require_signed_in(ctx).map(|_| ())
    }
}
