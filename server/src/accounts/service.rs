//! The rules of accounts: what registering, signing in, refreshing and resetting do, including
//! lockout, rate limits, audit entries and the e-mails they queue.

use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::model::{Customer, ProfileFields};
use super::sessions::{self, Rotation};
use super::{password, store};
use crate::audit::{self, AuditEvent, Entry};
use crate::auth::Role;
use crate::cache::Redis;
use crate::mail::{outbox, templates};
use crate::rate_limit::{
    self, LOGIN_PER_ACCOUNT, LOGIN_PER_IP, REGISTRATIONS_PER_IP, RESET_REQUESTS,
};

/// Consecutive failed sign-ins that lock an account.
pub const MAX_FAILED_LOGINS: i32 = 10;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;
/// How long a password-reset link works.
pub const RESET_TOKEN_MINUTES: i64 = 60;

/// A new account's data, validated.
pub struct Registration {
    pub email: String,
    pub password: String,
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
) -> async_graphql::Result<()> {
    rate_limit::check(redis, REGISTRATIONS_PER_IP, ip.unwrap_or("-")).await?;
    let hash = password::hash(&r.password)?;
    let mut tx = pool.begin().await?;
    match store::insert_customer(
        &mut *tx,
        &r.email,
        &hash,
        &r.profile,
        Role::Customer.as_str(),
    )
    .await?
    {
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
    Success {
        customer: Box<Customer>,
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
) -> async_graphql::Result<Login> {
    rate_limit::check(redis, LOGIN_PER_IP, ip.unwrap_or("-")).await?;
    rate_limit::check(redis, LOGIN_PER_ACCOUNT, email).await?;
    let customer = store::customer_by_email(pool, email).await?;
    let matches = {
        let stored = customer.as_ref().map(|c| c.password_hash.clone());
        let given = given.to_owned();
        tokio::task::spawn_blocking(move || password::verify(&given, stored.as_deref())).await?
    };
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
        store::set_password(pool, customer.id, &password::hash(given)?).await?;
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

/// Exchanges a refresh token; a reused one revokes its family and is logged. A disabled
/// account's sessions end here.
pub async fn refresh(
    pool: &PgPool,
    ip: Option<&str>,
    token: &str,
) -> sqlx::Result<Option<(Customer, String)>> {
    match sessions::rotate(pool, token).await? {
        Rotation::Rotated { customer_id, token } => {
            let customer = store::customer_by_id(pool, customer_id).await?;
            match customer {
                Some(customer) if !customer.disabled => Ok(Some((customer, token))),
                _ => {
                    sessions::close(pool, &token).await?;
                    Ok(None)
                }
            }
        }
        Rotation::Reused { customer_id } => {
            let entry = Entry {
                event: AuditEvent::RefreshTokenReused,
                customer_id: Some(customer_id),
                actor_id: None,
                ip,
                details: json!({}),
            };
            audit::record(pool, entry).await?;
            Ok(None)
        }
        Rotation::Invalid => Ok(None),
    }
}

/// Sends a reset link if the account exists; answers alike either way.
pub async fn request_password_reset(
    pool: &PgPool,
    redis: &Redis,
    shop_url: &str,
    ip: Option<&str>,
    email: &str,
) -> async_graphql::Result<()> {
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

/// Sets a new password with a reset token: single use, one hour. Unlocks the account and ends
/// every session. Returns whether the token was valid.
pub async fn reset_password(
    pool: &PgPool,
    ip: Option<&str>,
    token: &str,
    new_password: &str,
) -> async_graphql::Result<bool> {
    let hash = password::hash(new_password)?;
    let mut tx = pool.begin().await?;
    let Some(customer_id) = store::use_reset_token(&mut *tx, &sessions::hash(token)).await? else {
        return Ok(false);
    };
    store::set_password(&mut *tx, customer_id, &hash).await?;
    store::revoke_all_sessions(&mut *tx, customer_id).await?;
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
    Ok(true)
}

/// Changes the password of a signed-in customer who knows the current one; other sessions end.
pub async fn change_password(
    pool: &PgPool,
    ip: Option<&str>,
    customer_id: i64,
    current: &str,
    new_password: &str,
) -> async_graphql::Result<bool> {
    let Some(customer) = store::customer_by_id(pool, customer_id).await? else {
        return Ok(false);
    };
    if !password::verify(current, Some(&customer.password_hash)) {
        return Ok(false);
    }
    let hash = password::hash(new_password)?;
    let mut tx = pool.begin().await?;
    store::set_password(&mut *tx, customer_id, &hash).await?;
    store::revoke_all_sessions(&mut *tx, customer_id).await?;
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
    Ok(true)
}

/// Creates an admin account (or promotes an existing one), for the bootstrap command.
pub async fn ensure_admin(pool: &PgPool, email: &str, given_password: &str) -> Result<(), String> {
    let email = super::validate::email(email).map_err(str::to_owned)?;
    password::check_policy(given_password).map_err(str::to_owned)?;
    let hash = password::hash(given_password).map_err(|e| e.to_string())?;
    let profile = ProfileFields {
        first_name: "Správce".into(),
        last_name: "Obchodu".into(),
        phone: None,
        marketing_consent: false,
    };
    let created = store::insert_customer(pool, &email, &hash, &profile, Role::Admin.as_str())
        .await
        .map_err(|e| e.to_string())?;
    if created.is_none() {
        let existing = store::customer_by_email(pool, &email)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the account vanished")?;
        store::set_role(pool, existing.id, Role::Admin.as_str())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
