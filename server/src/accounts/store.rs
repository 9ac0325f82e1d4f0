//! All SQL of accounts: customers, sessions, reset tokens, addresses.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

use super::model::{CUSTOMER_COLUMNS, Customer, ProfileFields};
use crate::address::{Address, AddressFields};
use crate::auth::Role;

/// The account of an e-mail (case-insensitive).
pub async fn customer_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE email = $1::citext"
    ))
    .bind(email)
    .fetch_optional(db)
    .await
}

/// The account with this id.
pub async fn customer_by_id(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Creates a customer; `None` when the e-mail is taken.
pub async fn insert_customer(
    db: impl PgExecutor<'_>,
    email: &str,
    password_hash: &str,
    profile: &ProfileFields,
    role: Role,
) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as(&format!(
        "INSERT INTO customers (email, password_hash, first_name, last_name, phone, marketing_consent, role) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING {CUSTOMER_COLUMNS}"
    ))
    .bind(email)
    .bind(password_hash)
    .bind(&profile.first_name)
    .bind(&profile.last_name)
    .bind(&profile.phone)
    .bind(profile.marketing_consent)
    .bind(role)
    .fetch_optional(db)
    .await
}

/// Saves a customer's names, phone and consent; returns the account.
pub async fn update_profile(
    db: impl PgExecutor<'_>,
    id: i64,
    profile: &ProfileFields,
) -> sqlx::Result<Customer> {
    sqlx::query_as(&format!(
        "UPDATE customers SET first_name = $2, last_name = $3, phone = $4, marketing_consent = $5, updated_at = now() \
         WHERE id = $1 RETURNING {CUSTOMER_COLUMNS}"
    ))
    .bind(id)
    .bind(&profile.first_name)
    .bind(&profile.last_name)
    .bind(&profile.phone)
    .bind(profile.marketing_consent)
    .fetch_one(db)
    .await
}

/// Stores a new password hash and unlocks the account.
pub async fn set_password(
    db: impl PgExecutor<'_>,
    id: i64,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE customers SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .execute(db)
    .await
    .map(|_| ())
}

/// Counts a failed sign-in; locks the account until `lock_until` when it reaches `max_failures`.
/// An expired lock starts the count afresh, and failures during a lock do not extend it.
/// Returns whether this failure locked it.
pub async fn record_failed_login(
    db: impl PgExecutor<'_>,
    id: i64,
    max_failures: i32,
    lock_until: DateTime<Utc>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "WITH before AS ( \
             SELECT id, CASE WHEN locked_until <= now() THEN 0 ELSE failed_logins END AS failures \
               FROM customers WHERE id = $1 FOR UPDATE) \
         UPDATE customers c SET failed_logins = before.failures + 1, \
                locked_until = CASE WHEN before.failures + 1 = $2 THEN $3 \
                                    WHEN c.locked_until <= now() THEN NULL \
                                    ELSE c.locked_until END \
           FROM before WHERE c.id = before.id RETURNING before.failures + 1 = $2",
    )
    .bind(id)
    .bind(max_failures)
    .bind(lock_until)
    .fetch_one(db)
    .await
}

/// Clears the failed sign-ins and notes the time of this one.
pub async fn record_successful_login(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE customers SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Changes an account's role; `None` when there is no such account.
pub async fn set_role(
    db: impl PgExecutor<'_>,
    id: i64,
    role: Role,
) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as(&format!("UPDATE customers SET role = $2, updated_at = now() WHERE id = $1 RETURNING {CUSTOMER_COLUMNS}"))
        .bind(id)
        .bind(role)
        .fetch_optional(db)
        .await
}

/// Disables or enables an account; `None` when there is no such account.
pub async fn set_disabled(
    db: impl PgExecutor<'_>,
    id: i64,
    disabled: bool,
) -> sqlx::Result<Option<Customer>> {
    sqlx::query_as(&format!(
        "UPDATE customers SET disabled = $2, updated_at = now() WHERE id = $1 RETURNING {CUSTOMER_COLUMNS}"
    ))
    .bind(id)
    .bind(disabled)
    .fetch_optional(db)
    .await
}

/// Customers matching `search` (e-mail or name, diacritics ignored), newest first.
pub async fn search_customers(
    pool: &PgPool,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Customer>> {
    sqlx::query_as(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers \
          WHERE $1::text IS NULL \
             OR shop_search_text(email::text || ' ' || first_name || ' ' || last_name) LIKE '%' || shop_search_text($1) || '%' \
          ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3"
    ))
    .bind(search.map(|s| s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
    .bind(offset)
    .bind(limit)
    .fetch_all(pool)
    .await
}

// Sessions: refresh-token families.

/// A stored refresh token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshToken {
    /// Its row.
    pub id: i64,
    /// The session it belongs to: every token a sign-in led to.
    pub family_id: sqlx::types::Uuid,
    /// Whose session.
    pub customer_id: i64,
    /// After this the token is refused.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged for its successor.
    pub rotated_at: Option<DateTime<Utc>>,
    /// When its session was ended.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Stores a new refresh token (its hash) of a session family.
pub async fn insert_refresh_token(
    db: impl PgExecutor<'_>,
    family_id: sqlx::types::Uuid,
    customer_id: i64,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO refresh_tokens (family_id, customer_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(family_id)
        .bind(customer_id)
        .bind(token_hash)
        .bind(expires_at)
        .execute(db)
        .await
        .map(|_| ())
}

/// The token with this hash, locked for the caller's transaction.
pub async fn refresh_token_for_update(
    tx: &mut Transaction<'_, Postgres>,
    token_hash: &[u8],
) -> sqlx::Result<Option<RefreshToken>> {
    sqlx::query_as(
        "SELECT id, family_id, customer_id, expires_at, rotated_at, revoked_at FROM refresh_tokens \
          WHERE token_hash = $1 FOR UPDATE",
    )
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks a refresh token as exchanged for its successor.
pub async fn mark_rotated(tx: &mut Transaction<'_, Postgres>, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Ends a session: every token of its family.
pub async fn revoke_family(
    db: impl PgExecutor<'_>,
    family_id: sqlx::types::Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// Ends every session of the customer but the one the refresh token `kept` (hashed) belongs to.
pub async fn revoke_other_sessions(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    kept: Option<&[u8]>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() \
          WHERE customer_id = $1 AND revoked_at IS NULL \
            AND family_id IS DISTINCT FROM (SELECT family_id FROM refresh_tokens WHERE token_hash = $2)",
    )
    .bind(customer_id)
    .bind(kept)
    .execute(db)
    .await
    .map(|_| ())
}

/// Ends every session of an account.
pub async fn revoke_all_sessions(db: impl PgExecutor<'_>, customer_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE customer_id = $1 AND revoked_at IS NULL")
        .bind(customer_id)
        .execute(db)
        .await
        .map(|_| ())
}

// Password resets.

/// Stores a password-reset token (its hash) valid until `expires_at`.
pub async fn insert_reset_token(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO password_reset_tokens (token_hash, customer_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(customer_id)
        .bind(expires_at)
        .execute(db)
        .await
        .map(|_| ())
}

/// The customer a reset token belongs to, if it is valid, unused and not expired (without
/// using it).
pub async fn reset_token_owner(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT customer_id FROM password_reset_tokens \
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Voids every unused reset link of the customer.
pub async fn void_reset_tokens(db: impl PgExecutor<'_>, customer_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE password_reset_tokens SET used_at = now() WHERE customer_id = $1 AND used_at IS NULL",
    )
    .bind(customer_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// Uses a reset token: the customer it belongs to, if it is valid, unused and not expired.
pub async fn use_reset_token(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE password_reset_tokens SET used_at = now() \
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING customer_id",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

// Addresses.

const ADDRESS_COLUMNS: &str = "id, customer_id, first_name, last_name, company, ico, dic, street, city, postal_code, country, phone";
/// The editable columns, and the row type that reads them from an [`AddressFields`] JSON.
const ADDRESS_FIELDS: &str =
    "first_name, last_name, company, ico, dic, street, city, postal_code, country, phone";
const ADDRESS_RECORD: &str = "f(first_name text, last_name text, company text, ico text, dic text, street text, \
    city text, postal_code text, country text, phone text)";

/// The addresses of the given customers, oldest first.
pub async fn addresses_of_many(
    db: impl PgExecutor<'_>,
    customer_ids: &[i64],
) -> sqlx::Result<Vec<Address>> {
    sqlx::query_as(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE customer_id = ANY ($1) ORDER BY id"
    ))
    .bind(customer_ids)
    .fetch_all(db)
    .await
}

/// The address with `id` if it belongs to `customer_id`.
pub async fn address_of(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    id: i64,
) -> sqlx::Result<Option<Address>> {
    sqlx::query_as(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE customer_id = $1 AND id = $2"
    ))
    .bind(customer_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Saves a new address of a customer.
pub async fn insert_address(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    a: &AddressFields,
) -> sqlx::Result<Address> {
    sqlx::query_as(&format!(
        "INSERT INTO addresses (customer_id, {ADDRESS_FIELDS}) \
         SELECT $1, f.* FROM jsonb_to_record($2) AS {ADDRESS_RECORD} RETURNING {ADDRESS_COLUMNS}"
    ))
    .bind(customer_id)
    .bind(sqlx::types::Json(a))
    .fetch_one(db)
    .await
}

/// Updates the address `id` of `customer_id`; `None` when it is not theirs.
pub async fn update_address(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    id: i64,
    a: &AddressFields,
) -> sqlx::Result<Option<Address>> {
    sqlx::query_as(&format!(
        "UPDATE addresses SET ({ADDRESS_FIELDS}) = (SELECT f.* FROM jsonb_to_record($3) AS {ADDRESS_RECORD}) \
          WHERE customer_id = $1 AND id = $2 RETURNING {ADDRESS_COLUMNS}"
    ))
    .bind(customer_id)
    .bind(id)
    .bind(sqlx::types::Json(a))
    .fetch_optional(db)
    .await
}

/// Deletes the address `id` of `customer_id`; whether there was one.
pub async fn delete_address(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    id: i64,
) -> sqlx::Result<bool> {
    let result = sqlx::query("DELETE FROM addresses WHERE customer_id = $1 AND id = $2")
        .bind(customer_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Makes the address `id` (which must belong to the customer) their default for shipping,
/// billing or both.
pub async fn set_default_address(
    db: impl PgExecutor<'_>,
    customer_id: i64,
    id: i64,
    shipping: bool,
    billing: bool,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE customers SET \
                default_shipping_address_id = CASE WHEN $3 THEN $2 ELSE default_shipping_address_id END, \
                default_billing_address_id = CASE WHEN $4 THEN $2 ELSE default_billing_address_id END \
          WHERE id = $1 AND EXISTS (SELECT 1 FROM addresses WHERE id = $2 AND customer_id = $1)",
    )
    .bind(customer_id)
    .bind(id)
    .bind(shipping)
    .bind(billing)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}
