//! The rules of accounts: what registering, signing in, refreshing and resetting do, including
//! lockout, rate limits, audit entries and the e-mails they queue.

use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::model::{Customer, ProfileFields};
use super::sessions::{self, Rotation};
use super::{AccountError, password, store};
use crate::address::{Address, AddressFields};
use crate::audit::{self, AuditEvent, Entry};
use crate::auth::Role;
use crate::cache::Redis;
use crate::mail::{outbox, templates};
use crate::rate_limit::{
    self, LOGIN_PER_ACCOUNT, LOGIN_PER_IP, PASSWORD_SETS_PER_ACCOUNT, PASSWORD_SETS_PER_IP,
    REGISTRATIONS_PER_IP, RESET_REQUESTS,
};

/// Consecutive failed sign-ins that lock an account.
pub const MAX_FAILED_LOGINS: i32 = 10;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;
/// How long a password-reset link works.
pub const RESET_TOKEN_MINUTES: i64 = 60;

/// A new account's data, validated.
pub struct Registration {
    /// The e-mail, normalised.
    pub email: String,
    /// The chosen password, in plain text until hashed.
    pub password: String,
    /// Names, phone and marketing consent.
    pub profile: ProfileFields,
}

/// Registers an account. Known and unknown e-mails are answered alike: a known one only gets
/// an e-mail telling its owner (no account enumeration).
pub async fn register(
    pool: &PgPool,
    redis: &Redis,
    shop_url: &str,
    ip: Option<&str>,
    r: Registration,
) -> Result<(), AccountError> {
    rate_limit::check(redis, REGISTRATIONS_PER_IP, ip.unwrap_or("-")).await?;
    let hash = password::hash_off_runtime(&r.password).await?;
    let mut tx = pool.begin().await?;
    match store::insert_customer(&mut *tx, &r.email, &hash, &r.profile, Role::Customer).await? {
        Some(customer) => {
            outbox::enqueue(
                &mut *tx,
                &templates::welcome(&customer.email, &customer.first_name, shop_url),
            )
            .await?;
            let entry = Entry {
                event: AuditEvent::Registered,
                customer_id: Some(customer.id),
                actor_id: None,
                ip,
                details: json!({}),
            };
            audit::record(&mut *tx, entry).await?;
        }
        None => {
            outbox::enqueue(&mut *tx, &templates::already_registered(&r.email, shop_url)).await?
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The result of a sign-in.
pub enum Login {
    /// The customer is signed in.
    Success {
        /// Who signed in.
        customer: Box<Customer>,
        /// The new session's first refresh token.
        refresh_token: String,
    },
    /// Wrong e-mail or password, or the account is locked or disabled: one answer for all.
    Refused,
}

/// Signs in: rate limits per IP and per account, lockout after repeated failures, rehash of
/// passwords stored with old parameters, an audit entry either way.
pub async fn login(
    pool: &PgPool,
    redis: &Redis,
    ip: Option<&str>,
    email: &str,
    given: &str,
) -> Result<Login, AccountError> {
    rate_limit::check(redis, LOGIN_PER_IP, ip.unwrap_or("-")).await?;
    rate_limit::check(redis, LOGIN_PER_ACCOUNT, email).await?;
    let customer = store::customer_by_email(pool, email).await?;
    let stored = customer.as_ref().map(|c| c.password_hash.clone());
    let matches = password::verify_off_runtime(given, stored).await?;
    let Some(customer) = customer else {
        return Ok(Login::Refused);
    };
    let locked = customer
        .locked_until
        .is_some_and(|until| until > Utc::now());
    if !matches || locked || customer.disabled {
        if !matches {
            let lock_until = Utc::now() + Duration::minutes(LOCK_MINUTES);
            let now_locked =
                store::record_failed_login(pool, customer.id, MAX_FAILED_LOGINS, lock_until)
                    .await?;
            let event = if now_locked {
                AuditEvent::AccountLocked
            } else {
                AuditEvent::LoginFailed
            };
            audit::record(
                pool,
                Entry {
                    event,
                    customer_id: Some(customer.id),
                    actor_id: None,
                    ip,
                    details: json!({}),
                },
            )
            .await?;
        }
        return Ok(Login::Refused);
    }
    if password::needs_rehash(&customer.password_hash) {
        let rehashed = password::hash_off_runtime(given).await?;
        store::set_password(pool, customer.id, &rehashed).await?;
    }
    store::record_successful_login(pool, customer.id).await?;
    rate_limit::reset(redis, LOGIN_PER_ACCOUNT, email).await;
    audit::record(
        pool,
        Entry {
            event: AuditEvent::LoginSucceeded,
            customer_id: Some(customer.id),
            actor_id: None,
            ip,
            details: json!({}),
        },
    )
    .await?;
    let refresh_token = sessions::open(pool, customer.id).await?;
    Ok(Login::Success {
        customer: Box::new(customer),
        refresh_token,
    })
}

/// What presenting a refresh token gave.
pub enum Refresh {
    /// The session goes on with this customer and refresh token.
    Renewed(Box<Customer>, String),
    /// A parallel request is renewing the session; this one goes on without it.
    Pending,
    /// The session is over (unknown, expired, revoked or reused token, disabled account).
    Ended,
}

/// Exchanges a refresh token; a reused one revokes its family and is logged. A disabled
/// account's sessions end here.
pub async fn refresh(
    pool: &PgPool,
    redis: &Redis,
    ip: Option<&str>,
    token: &str,
) -> sqlx::Result<Refresh> {
    match sessions::rotate(pool, redis, token).await? {
        Rotation::Rotated { customer_id, token } => {
            let customer = store::customer_by_id(pool, customer_id).await?;
            match customer {
                Some(customer) if !customer.disabled => {
                    Ok(Refresh::Renewed(Box::new(customer), token))
                }
                _ => {
                    sessions::close(pool, &token).await?;
                    Ok(Refresh::Ended)
                }
            }
        }
        Rotation::Pending => Ok(Refresh::Pending),
        Rotation::Reused { customer_id } => {
            let entry = Entry {
                event: AuditEvent::RefreshTokenReused,
                customer_id: Some(customer_id),
                actor_id: None,
                ip,
                details: json!({}),
            };
            audit::record(pool, entry).await?;
            Ok(Refresh::Ended)
        }
        Rotation::Invalid => Ok(Refresh::Ended),
    }
}

/// Sends a reset link if the account exists; answers alike either way.
pub async fn request_password_reset(
    pool: &PgPool,
    redis: &Redis,
    shop_url: &str,
    ip: Option<&str>,
    email: &str,
) -> Result<(), AccountError> {
    rate_limit::check(redis, RESET_REQUESTS, email).await?;
    rate_limit::check(redis, RESET_REQUESTS, ip.unwrap_or("-")).await?;
    let Some(customer) = store::customer_by_email(pool, email).await? else {
        return Ok(());
    };
    let (token, hash) = sessions::new_secret();
    let mut tx = pool.begin().await?;
    store::insert_reset_token(
        &mut *tx,
        customer.id,
        &hash,
        Utc::now() + Duration::minutes(RESET_TOKEN_MINUTES),
    )
    .await?;
    outbox::enqueue(
        &mut *tx,
        &templates::password_reset(&customer.email, shop_url, &token),
    )
    .await?;
    let entry = Entry {
        event: AuditEvent::PasswordResetRequested,
        customer_id: Some(customer.id),
        actor_id: None,
        ip,
        details: json!({}),
    };
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with a reset token: single use, one hour. Unlocks the account, ends
/// every session and voids the account's other reset links. The token is checked before the
/// (costly) hashing, and attempts are rate-limited.
pub async fn reset_password(
    pool: &PgPool,
    redis: &Redis,
    ip: Option<&str>,
    token: &str,
    new_password: &str,
) -> Result<(), AccountError> {
    rate_limit::check(redis, PASSWORD_SETS_PER_IP, ip.unwrap_or("-")).await?;
    let token_hash = sessions::hash(token);
    if store::reset_token_owner(pool, &token_hash).await?.is_none() {
        return Err(AccountError::InvalidResetToken);
    }
    let hash = password::hash_off_runtime(new_password).await?;
    let mut tx = pool.begin().await?;
    let Some(customer_id) = store::use_reset_token(&mut *tx, &token_hash).await? else {
        return Err(AccountError::InvalidResetToken);
    };
    store::set_password(&mut *tx, customer_id, &hash).await?;
    store::revoke_all_sessions(&mut *tx, customer_id).await?;
    store::void_reset_tokens(&mut *tx, customer_id).await?;
    audit::record(
        &mut *tx,
        Entry {
            event: AuditEvent::PasswordReset,
            customer_id: Some(customer_id),
            actor_id: None,
            ip,
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password of a signed-in customer who knows the current one. Every other session
/// ends; the one presenting `current_session` (the caller's refresh token, when known) stays.
/// Attempts are rate-limited per account.
pub async fn change_password(
    pool: &PgPool,
    redis: &Redis,
    ip: Option<&str>,
    customer_id: i64,
    current_session: Option<&str>,
    current: &str,
    new_password: &str,
) -> Result<(), AccountError> {
    rate_limit::check(redis, PASSWORD_SETS_PER_ACCOUNT, &customer_id.to_string()).await?;
    let Some(customer) = store::customer_by_id(pool, customer_id).await? else {
        return Err(AccountError::NotFound(customer_id));
    };
    if !password::verify_off_runtime(current, Some(customer.password_hash)).await? {
        return Err(AccountError::WrongPassword);
    }
    let hash = password::hash_off_runtime(new_password).await?;
    let kept = current_session.map(sessions::hash);
    let mut tx = pool.begin().await?;
    store::set_password(&mut *tx, customer_id, &hash).await?;
    store::revoke_other_sessions(&mut *tx, customer_id, kept.as_deref()).await?;
    audit::record(
        &mut *tx,
        Entry {
            event: AuditEvent::PasswordChanged,
            customer_id: Some(customer_id),
            actor_id: Some(customer_id),
            ip,
            details: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates an admin account, for the bootstrap command. An account that already exists under the
/// e-mail (perhaps registered by someone else, waiting for this) is promoted with the operator's
/// password, and every session it had ends: whoever registered it cannot use it.
pub async fn ensure_admin(
    pool: &PgPool,
    email: &str,
    given_password: &str,
) -> Result<(), AccountError> {
    let email = super::validate::email(email).map_err(AccountError::Invalid)?;
    super::validate::new_password(given_password).map_err(AccountError::Invalid)?;
    let hash = password::hash_off_runtime(given_password).await?;
    let profile = ProfileFields {
        first_name: "Správce".into(),
        last_name: "Obchodu".into(),
        phone: None,
        marketing_consent: false,
    };
    let created = store::insert_customer(pool, &email, &hash, &profile, Role::Admin).await?;
    if created.is_none() {
        promote(pool, &email, &hash).await?;
    }
    Ok(())
}

/// Makes the existing account of `email` an admin with the password `hash`, ending its sessions.
async fn promote(pool: &PgPool, email: &str, hash: &str) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let Some(existing) = store::customer_by_email(&mut *tx, email).await? else {
        return Err(sqlx::Error::RowNotFound);
    };
    store::set_password(&mut *tx, existing.id, hash).await?;
    store::set_role(&mut *tx, existing.id, Role::Admin).await?;
    store::set_disabled(&mut *tx, existing.id, false).await?;
    store::revoke_all_sessions(&mut *tx, existing.id).await?;
    let entry = Entry {
        event: AuditEvent::RoleChanged,
        customer_id: Some(existing.id),
        actor_id: None,
        ip: None,
        details: json!({ "role": Role::Admin.as_str(), "by": "create-admin", "sessionsEnded": true }),
    };
    audit::record(&mut *tx, entry).await?;
    tx.commit().await
}

/// Gives an account another role, by an admin; audited.
pub async fn set_role(
    pool: &PgPool,
    admin: Actor<'_>,
    customer_id: i64,
    role: Role,
) -> Result<Customer, AccountError> {
    let mut tx = pool.begin().await?;
    let customer = store::set_role(&mut *tx, customer_id, role)
        .await?
        .ok_or(AccountError::NotFound(customer_id))?;
    let details = json!({ "role": role.as_str() });
    audit::record(
        &mut *tx,
        admin.entry(AuditEvent::RoleChanged, customer_id, details),
    )
    .await?;
    tx.commit().await?;
    Ok(customer)
}

/// Disables an account (it cannot sign in; its sessions end) or enables it, by an admin; audited.
pub async fn set_disabled(
    pool: &PgPool,
    admin: Actor<'_>,
    customer_id: i64,
    disabled: bool,
) -> Result<Customer, AccountError> {
    let mut tx = pool.begin().await?;
    let customer = store::set_disabled(&mut *tx, customer_id, disabled)
        .await?
        .ok_or(AccountError::NotFound(customer_id))?;
    let event = if disabled {
        store::revoke_all_sessions(&mut *tx, customer_id).await?;
        AuditEvent::AccountDisabled
    } else {
        AuditEvent::AccountEnabled
    };
    audit::record(&mut *tx, admin.entry(event, customer_id, json!({}))).await?;
    tx.commit().await?;
    Ok(customer)
}

/// Saves a new address of a customer, optionally as the default for shipping and/or billing.
pub async fn add_address(
    pool: &PgPool,
    customer_id: i64,
    fields: &AddressFields,
    default_shipping: bool,
    default_billing: bool,
) -> Result<Address, AccountError> {
    let mut tx = pool.begin().await?;
    let address = store::insert_address(&mut *tx, customer_id, fields).await?;
    if default_shipping || default_billing {
        store::set_default_address(
            &mut *tx,
            customer_id,
            address.id,
            default_shipping,
            default_billing,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(address)
}

/// Who changes someone's account, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The account acting (an admin).
    pub id: i64,
    /// The client's address.
    pub ip: Option<&'a str>,
}

impl<'a> Actor<'a> {
    fn entry(self, event: AuditEvent, customer_id: i64, details: serde_json::Value) -> Entry<'a> {
        Entry {
            event,
            customer_id: Some(customer_id),
            actor_id: Some(self.id),
            ip: self.ip,
            details,
        }
    }
}
