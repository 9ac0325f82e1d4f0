//! The accounts part of the schema: `me`, sign-in and the customer's own mutations.

mod admin;
pub(crate) mod inputs;
mod types;

use async_graphql::{Context, Object};
use sqlx::PgPool;

pub(crate) use admin::{AdminMutation, AdminQuery};
use inputs::*;
pub(crate) use types::Customer;
use types::{AcceptedPayload, CustomerAccessTokenPayload, CustomerPayload, MailingAddressPayload};

use super::password::HashingBudget;
use super::service::{self, Login, Refresh, Registration};
use super::{AccountError, model, store, validate};
use crate::auth::cookies::{ACCESS_COOKIE, CART_COOKIE, CookiePolicy, REFRESH_COOKIE, set_cookie};
use crate::auth::jwt::{ACCESS_TOKEN_SECONDS, TokenKeys};
use crate::auth::{SignedInGuard, request_info, require_signed_in};
use crate::cache::Redis;
use crate::error::{ErrorCode, api_error};
use crate::error::{bad_input, not_found};
use crate::graphql::domain_errors::{ClientError, ServiceResult, ToClient, internal};
use crate::graphql::user_error::{Errors, UserError};
use crate::ids::{self, NodeType};

/// What accounts need to know about the shop.
#[derive(Clone)]
pub(crate) struct AccountsSettings {
    /// The shop's origin, for links in e-mails.
    pub public_url: String,
}

#[derive(Default)]
pub(crate) struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in customer; null when nobody is signed in.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Customer>> {
        let Ok(viewer) = require_signed_in(ctx) else {
            return Ok(None);
        };
        Ok(store::customer_by_id(pool(ctx), viewer.customer_id)
            .await?
            .map(Customer))
    }
}

#[derive(Default)]
pub(crate) struct AccountsMutation;

#[Object]
impl AccountsMutation {
    /// Creates an account. The answer is the same whether or not the e-mail already has one
    /// (its owner is told by e-mail); sign in afterwards.
    async fn customer_register(
        &self,
        ctx: &Context<'_>,
        input: CustomerRegisterInput,
    ) -> async_graphql::Result<AcceptedPayload> {
        let mut errors = Errors::default();
        let email = errors.check("email", validate::email(&input.email));
        new_password(&mut errors, "password", &input.password);
        let profile = profile(
            &mut errors,
            &input.first_name,
            &input.last_name,
            input.phone.as_deref(),
            input.marketing_consent,
        );
        let (Some(email), Some(profile), true) = (email, profile, errors.is_empty()) else {
            return Ok(AcceptedPayload::refused(errors));
        };
        spend_hashing(ctx)?;
        let registration = Registration {
            email,
            password: input.password,
            profile,
        };
        service::register(
            pool(ctx),
            redis(ctx),
            &settings(ctx).public_url,
            ip(ctx),
            registration,
        )
        .await
        .or_error()?;
        Ok(AcceptedPayload::yes())
    }

    /// Signs in. Wrong e-mail, wrong password and a locked or disabled account get the same
    /// answer. Limited per IP and per account (`RATE_LIMITED`).
    async fn customer_login(
        &self,
        ctx: &Context<'_>,
        input: CustomerLoginInput,
    ) -> async_graphql::Result<CustomerAccessTokenPayload> {
        let email = input.email.trim().to_lowercase();
        spend_hashing(ctx)?;
        let login = service::login(pool(ctx), redis(ctx), ip(ctx), &email, &input.password);
        match login.await.or_error()? {
            Login::Success {
                customer,
                refresh_token,
            } => {
                adopt_guest_session(ctx, &customer).await?;
                let delivery = delivery(ctx, false);
                Ok(signed_in(ctx, *customer, refresh_token, delivery))
            }
            Login::Refused => Ok(CustomerAccessTokenPayload {
                user_errors: vec![UserError::whole(
                    "INVALID_CREDENTIALS",
                    "Nesprávný e-mail nebo heslo, případně je účet dočasně zablokován.",
                )],
                ..Default::default()
            }),
        }
    }

    /// Exchanges a refresh token for new tokens. Each refresh token works once: presenting a
    /// used one again ends the whole session (it may have been stolen). A session kept in the
    /// storefront's cookies is renewed in cookies only: its tokens never appear in a body.
    async fn customer_token_refresh(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] input: CustomerTokenInput,
    ) -> async_graphql::Result<CustomerAccessTokenPayload> {
        let from_cookie = input.refresh_token.is_none();
        let Some(token) = input
            .refresh_token
            .or_else(|| request_info(ctx).refresh_cookie.clone())
        else {
            return Ok(invalid_session());
        };
        match service::refresh(pool(ctx), redis(ctx), ip(ctx), &token).await? {
            Refresh::Renewed(customer, refresh_token) => {
                let delivery = delivery(ctx, from_cookie);
                Ok(signed_in(ctx, *customer, refresh_token, delivery))
            }
            Refresh::Pending | Refresh::Ended => Ok(invalid_session()),
        }
    }

    /// Signs out: ends the session of the refresh token (or the storefront's cookie).
    async fn customer_logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] input: CustomerTokenInput,
    ) -> async_graphql::Result<AcceptedPayload> {
        if let Some(token) = input
            .refresh_token
            .or_else(|| request_info(ctx).refresh_cookie.clone())
        {
            super::sessions::close(pool(ctx), &token).await?;
        }
        if request_info(ctx).same_origin_browser {
            let secure = cookie_policy(ctx).secure;
            ctx.append_http_header("set-cookie", set_cookie(ACCESS_COOKIE, "", 0, secure));
            ctx.append_http_header("set-cookie", set_cookie(REFRESH_COOKIE, "", 0, secure));
        }
        Ok(AcceptedPayload::yes())
    }

    /// E-mails a link to choose a new password (valid one hour, once). The answer does not say
    /// whether the e-mail has an account.
    async fn customer_password_reset_request(
        &self,
        ctx: &Context<'_>,
        input: CustomerPasswordResetRequestInput,
    ) -> async_graphql::Result<AcceptedPayload> {
        let mut errors = Errors::default();
        let Some(email) = errors.check("email", validate::email(&input.email)) else {
            return Ok(AcceptedPayload::refused(errors));
        };
        service::request_password_reset(
            pool(ctx),
            redis(ctx),
            &settings(ctx).public_url,
            ip(ctx),
            &email,
        )
        .await
        .or_error()?;
        Ok(AcceptedPayload::yes())
    }

    /// Sets a new password with the token from the reset e-mail; unlocks the account and ends
    /// all its sessions.
    async fn customer_password_reset(
        &self,
        ctx: &Context<'_>,
        input: CustomerPasswordResetInput,
    ) -> async_graphql::Result<AcceptedPayload> {
        let mut errors = Errors::default();
        new_password(&mut errors, "password", &input.password);
        if !errors.is_empty() {
            return Ok(AcceptedPayload::refused(errors));
        }
        spend_hashing(ctx)?;
        let (redis, ip) = (redis(ctx), ip(ctx));
        let reset = service::reset_password(pool(ctx), redis, ip, &input.token, &input.password);
        match reset.await.or_user_errors()? {
            Ok(()) => Ok(AcceptedPayload::yes()),
            Err(user_errors) => Ok(AcceptedPayload {
                accepted: false,
                user_errors,
            }),
        }
    }

    /// Changes the signed-in customer's password; their other sessions end, the caller's stays.
    #[graphql(guard = "SignedInGuard")]
    async fn customer_password_change(
        &self,
        ctx: &Context<'_>,
        input: CustomerPasswordChangeInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let viewer = require_signed_in(ctx)?;
        let mut errors = Errors::default();
        new_password(&mut errors, "newPassword", &input.new_password);
        if !errors.is_empty() {
            return Ok(CustomerPayload::refused(errors));
        }
        spend_hashing(ctx)?;
        let current_session = input
            .refresh_token
            .as_deref()
            .or(request_info(ctx).refresh_cookie.as_deref());
        if let Err(user_errors) = service::change_password(
            pool(ctx),
            redis(ctx),
            ip(ctx),
            viewer.customer_id,
            current_session,
            &input.current_password,
            &input.new_password,
        )
        .await
        .or_user_errors()?
        {
            return Ok(CustomerPayload {
                customer: None,
                user_errors,
            });
        }
        Ok(CustomerPayload {
            customer: store::customer_by_id(pool(ctx), viewer.customer_id)
                .await?
                .map(Customer),
            user_errors: vec![],
        })
    }

    /// Changes the signed-in customer's profile.
    #[graphql(guard = "SignedInGuard")]
    async fn customer_update(
        &self,
        ctx: &Context<'_>,
        input: CustomerUpdateInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let viewer = require_signed_in(ctx)?;
        let mut errors = Errors::default();
        let profile = profile(
            &mut errors,
            &input.first_name,
            &input.last_name,
            input.phone.as_deref(),
            input.marketing_consent,
        );
        let (Some(profile), true) = (profile, errors.is_empty()) else {
            return Ok(CustomerPayload::refused(errors));
        };
        let customer = store::update_profile(pool(ctx), viewer.customer_id, &profile).await?;
        Ok(CustomerPayload::saved(customer))
    }

    /// Saves a new address for the signed-in customer.
    #[graphql(guard = "SignedInGuard")]
    async fn customer_address_create(
        &self,
        ctx: &Context<'_>,
        input: CustomerAddressCreateInput,
    ) -> async_graphql::Result<MailingAddressPayload> {
        let viewer = require_signed_in(ctx)?;
        let mut errors = Errors::default();
        let (Some(fields), true) = (input.address.validate(&mut errors), errors.is_empty()) else {
            return Ok(MailingAddressPayload::refused(errors));
        };
        let address = service::add_address(
            pool(ctx),
            viewer.customer_id,
            &fields,
            input.default_shipping,
            input.default_billing,
        )
        .await
        .or_error()?;
        Ok(MailingAddressPayload::saved(address))
    }

    /// Changes a saved address of the signed-in customer (`NOT_FOUND` for anyone else's).
    #[graphql(guard = "SignedInGuard")]
    async fn customer_address_update(
        &self,
        ctx: &Context<'_>,
        input: CustomerAddressUpdateInput,
    ) -> async_graphql::Result<MailingAddressPayload> {
        let viewer = require_signed_in(ctx)?;
        let id = ids::decode_as(NodeType::MailingAddress, &input.id)?;
        let mut errors = Errors::default();
        let (Some(fields), true) = (input.address.validate(&mut errors), errors.is_empty()) else {
            return Ok(MailingAddressPayload::refused(errors));
        };
        let address = store::update_address(pool(ctx), viewer.customer_id, id, &fields).await?;
        let address = address.ok_or_else(|| not_found("MailingAddress", &input.id))?;
        Ok(MailingAddressPayload::saved(address))
    }

    /// Deletes a saved address of the signed-in customer (`NOT_FOUND` for anyone else's).
    #[graphql(guard = "SignedInGuard")]
    async fn customer_address_delete(
        &self,
        ctx: &Context<'_>,
        input: CustomerAddressDeleteInput,
    ) -> async_graphql::Result<MailingAddressPayload> {
        let viewer = require_signed_in(ctx)?;
        let id = ids::decode_as(NodeType::MailingAddress, &input.id)?;
        if !store::delete_address(pool(ctx), viewer.customer_id, id).await? {
            return Err(not_found("MailingAddress", &input.id));
        }
        Ok(MailingAddressPayload::default())
    }

    /// Makes a saved address the default for shipping and/or billing.
    #[graphql(guard = "SignedInGuard")]
    async fn customer_default_address_update(
        &self,
        ctx: &Context<'_>,
        input: CustomerDefaultAddressUpdateInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let viewer = require_signed_in(ctx)?;
        let id = ids::decode_as(NodeType::MailingAddress, &input.id)?;
        if !store::set_default_address(
            pool(ctx),
            viewer.customer_id,
            id,
            input.shipping,
            input.billing,
        )
        .await?
        {
            return Err(not_found("MailingAddress", &input.id));
        }
        Ok(CustomerPayload {
            customer: store::customer_by_id(pool(ctx), viewer.customer_id)
                .await?
                .map(Customer),
            user_errors: vec![],
        })
    }
}

/// After a storefront sign-in: the guest cart of the browser's cookie merges into the customer's
/// cart, and the guest orders placed from that cart with the customer's e-mail become theirs
/// (owning the cookie and the mailbox's account proves both, the e-mail alone would not). The
/// cart cookie is then cleared: the browser's cart is now the customer's.
async fn adopt_guest_session(
    ctx: &Context<'_>,
    customer: &model::Customer,
) -> async_graphql::Result<()> {
    let info = request_info(ctx);
    let Some(guest_cart) = info.cart_cookie.filter(|_| info.same_origin_browser) else {
        return Ok(());
    };
    crate::orders::store::claim_guest_orders(pool(ctx), customer.id, &customer.email, guest_cart)
        .await?;
    crate::cart::service::merge_guest_if_live(pool(ctx), customer.id, guest_cart)
        .await
        .or_error()?;
    ctx.append_http_header(
        "set-cookie",
        set_cookie(CART_COOKIE, "", 0, cookie_policy(ctx).secure),
    );
    Ok(())
}

impl ToClient for AccountError {
    fn to_client(self) -> ClientError {
        let message = self.to_string();
        let (field, code) = match &self {
            Self::RateLimited(limited) => return limited.to_client(),
            Self::NotFound(id) => {
                let id = ids::encode(NodeType::Customer, *id);
                let message = format!("Customer \"{}\" does not exist", id.as_str());
                return ClientError::Error(api_error(ErrorCode::NotFound, message));
            }
            Self::Invalid(_) => {
                return ClientError::Error(api_error(ErrorCode::BadUserInput, message));
            }
            Self::Hashing(_) | Self::Database(_) => return internal(self),
            Self::InvalidResetToken => ("token", "INVALID_TOKEN"),
            Self::WrongPassword => ("currentPassword", "INVALID_CREDENTIALS"),
        };
        ClientError::UserErrors(vec![UserError::on(field, code, &message)])
    }
}

/// How new tokens reach the client.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delivery {
    /// In the response body (apps, scripts).
    Body,
    /// As HttpOnly cookies only (the storefront, and any session that lives in cookies).
    Cookies,
}

/// Cookies for the shop's own pages and for sessions that came as cookies; the body otherwise.
fn delivery(ctx: &Context<'_>, session_in_cookies: bool) -> Delivery {
    if request_info(ctx).same_origin_browser || session_in_cookies {
        Delivery::Cookies
    } else {
        Delivery::Body
    }
}

/// The payload of a successful sign-in or refresh, with the tokens delivered as `delivery` says.
fn signed_in(
    ctx: &Context<'_>,
    customer: model::Customer,
    refresh_token: String,
    delivery: Delivery,
) -> CustomerAccessTokenPayload {
    let access_token = ctx
        .data_unchecked::<TokenKeys>()
        .issue(customer.id, customer.role);
    let expires_in = Some(ACCESS_TOKEN_SECONDS as i32);
    if delivery == Delivery::Cookies {
        let secure = cookie_policy(ctx).secure;
        ctx.append_http_header(
            "set-cookie",
            set_cookie(ACCESS_COOKIE, &access_token, ACCESS_TOKEN_SECONDS, secure),
        );
        let refresh_age = (super::sessions::REFRESH_TOKEN_DAYS * 86_400) as u64;
        ctx.append_http_header(
            "set-cookie",
            set_cookie(REFRESH_COOKIE, &refresh_token, refresh_age, secure),
        );
        return CustomerAccessTokenPayload {
            customer: Some(Customer(customer)),
            access_token_expires_in: expires_in,
            ..Default::default()
        };
    }
    CustomerAccessTokenPayload {
        customer: Some(Customer(customer)),
        access_token: Some(access_token),
        refresh_token: Some(refresh_token),
        access_token_expires_in: expires_in,
        user_errors: vec![],
    }
}

/// Takes the request's one password hash: aliased sign-ins or resets in one request are refused
/// instead of multiplying its cost.
fn spend_hashing(ctx: &Context<'_>) -> async_graphql::Result<()> {
    let budget = ctx.data_opt::<HashingBudget>();
    if budget.is_none_or(HashingBudget::spend) {
        Ok(())
    } else {
        Err(bad_input(
            "One password operation per request: send the others separately.",
        ))
    }
}

fn invalid_session() -> CustomerAccessTokenPayload {
    CustomerAccessTokenPayload {
        user_errors: vec![UserError::on(
            "refreshToken",
            "INVALID_TOKEN",
            "Přihlášení vypršelo, přihlaste se znovu.",
        )],
        ..Default::default()
    }
}

pub(crate) fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}

fn redis<'a>(ctx: &Context<'a>) -> &'a Redis {
    ctx.data_unchecked::<Redis>()
}

fn cookie_policy(ctx: &Context<'_>) -> CookiePolicy {
    *ctx.data_unchecked::<CookiePolicy>()
}

fn settings<'a>(ctx: &Context<'a>) -> &'a AccountsSettings {
    ctx.data_unchecked::<AccountsSettings>()
}

pub(crate) fn ip<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    request_info(ctx).ip.as_deref()
}
