//! Sessions: a sign-in opens a family of refresh tokens. Each refresh rotates the token; a token
//! presented again after it was rotated means it leaked, and the whole family is revoked.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{Duration, Utc};
use password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use sqlx::types::Uuid;

use super::store;
use crate::cache::Redis;

/// How long a refresh token (and so an idle session) lives.
pub const REFRESH_TOKEN_DAYS: i64 = 30;
/// A rotated token presented again this soon is a browser's parallel request, not a theft: it
/// gets the same successor (kept this long in Redis) and the family stays.
const ROTATION_GRACE_SECONDS: i64 = 10;

/// A new random token (256 bits, URL-safe) and the hash stored in its place.
pub fn new_secret() -> (String, Vec<u8>) {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

/// The stored form of a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Opens a session for `customer_id`; returns its first refresh token.
pub async fn open(pool: &PgPool, customer_id: i64) -> sqlx::Result<String> {
    let (token, hash) = new_secret();
    let expires = Utc::now() + Duration::days(REFRESH_TOKEN_DAYS);
    store::insert_refresh_token(pool, Uuid::new_v4(), customer_id, &hash, expires).await?;
    Ok(token)
}

/// What presenting a refresh token led to.
#[derive(Debug, PartialEq, Eq)]
pub enum Rotation {
    /// A new token of the same family, for the customer (the same one for every request that
    /// presents the old token within the grace period).
    Rotated {
        /// Whose session it is.
        customer_id: i64,
        /// The new refresh token.
        token: String,
    },
    /// Rotated moments ago by a parallel request whose successor is not at hand (Redis is
    /// down): neither a new session nor a theft; the browser keeps what it has.
    Pending,
    /// Unknown, expired or revoked: sign in again.
    Invalid,
    /// A rotated token came back: the family is revoked now.
    Reused {
        /// Whose session was ended.
        customer_id: i64,
    },
}

/// Where a rotated token's successor is kept during the grace period.
fn successor_key(token: &str) -> String {
    format!("session-successor:{}", URL_SAFE_NO_PAD.encode(hash(token)))
}

/// Exchanges a refresh token for the next one of its family.
pub async fn rotate(pool: &PgPool, redis: &Redis, token: &str) -> sqlx::Result<Rotation> {
    let mut tx = pool.begin().await?;
    let Some(stored) = store::refresh_token_for_update(&mut tx, &hash(token)).await? else {
        return Ok(Rotation::Invalid);
    };
    let now = Utc::now();
    if stored.revoked_at.is_some() || stored.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    if let Some(rotated_at) = stored.rotated_at {
        if now - rotated_at <= Duration::seconds(ROTATION_GRACE_SECONDS) {
            return Ok(match redis.get(&successor_key(token)).await {
                Some(next) => Rotation::Rotated {
                    customer_id: stored.customer_id,
                    token: next,
                },
                None => Rotation::Pending,
            });
        }
        store::revoke_family(&mut *tx, stored.family_id).await?;
        tx.commit().await?;
        return Ok(Rotation::Reused {
            customer_id: stored.customer_id,
        });
    }
    store::mark_rotated(&mut tx, stored.id).await?;
    let (next, next_hash) = new_secret();
    store::insert_refresh_token(
        &mut *tx,
        stored.family_id,
        stored.customer_id,
        &next_hash,
        now + Duration::days(REFRESH_TOKEN_DAYS),
    )
    .await?;
    // Kept before the commit: a parallel request waiting for this row's lock finds it.
    let grace = std::time::Duration::from_secs(ROTATION_GRACE_SECONDS as u64);
    redis.put(&successor_key(token), &next, grace).await;
    tx.commit().await?;
    Ok(Rotation::Rotated {
        customer_id: stored.customer_id,
        token: next,
    })
}

/// Ends the session the token belongs to (whatever its state).
pub async fn close(pool: &PgPool, token: &str) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    if let Some(stored) = store::refresh_token_for_update(&mut tx, &hash(token)).await? {
        store::revoke_family(&mut *tx, stored.family_id).await?;
    }
    tx.commit().await
}
