//! The secret that signs access tokens when the environment gives none (development only): made
//! on the first start, kept in the database, so restarts and every instance sharing the database
//! keep the same sessions. Nothing is built in that an attacker could read in the repository.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use password_hash::rand_core::{OsRng, RngCore};
use sqlx::PgPool;

/// The name of the signing secret in `server_secrets`.
const JWT_SECRET: &str = "jwt";

/// 256 random bits, URL-safe.
pub fn random() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The configured secret, or the one kept in the database (created by whichever instance asks
/// first; the others read the same row).
pub async fn signing_secret(pool: &PgPool, configured: Option<String>) -> sqlx::Result<String> {
    if let Some(secret) = configured {
        return Ok(secret);
    }
    sqlx::query(
        "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(JWT_SECRET)
    .bind(random())
    .execute(pool)
    .await?;
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(JWT_SECRET)
        .fetch_one(pool)
        .await
}
