//! The security audit log: sign-ins, lockouts, password changes, role changes, token reuse.

use serde_json::Value;
use sqlx::{PgExecutor, PgPool};

/// A security event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum AuditEvent {
    LoginSucceeded,
    LoginFailed,
    AccountLocked,
    PasswordChanged,
    PasswordReset,
    PasswordResetRequested,
    RoleChanged,
    AccountDisabled,
    AccountEnabled,
    RefreshTokenReused,
    Registered,
}

impl AuditEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoginSucceeded => "LOGIN_SUCCEEDED",
            Self::LoginFailed => "LOGIN_FAILED",
            Self::AccountLocked => "ACCOUNT_LOCKED",
            Self::PasswordChanged => "PASSWORD_CHANGED",
            Self::PasswordReset => "PASSWORD_RESET",
            Self::PasswordResetRequested => "PASSWORD_RESET_REQUESTED",
            Self::RoleChanged => "ROLE_CHANGED",
            Self::AccountDisabled => "ACCOUNT_DISABLED",
            Self::AccountEnabled => "ACCOUNT_ENABLED",
            Self::RefreshTokenReused => "REFRESH_TOKEN_REUSED",
            Self::Registered => "REGISTERED",
        }
    }
}

/// One entry to record.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub event: AuditEvent,
    pub customer_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub details: Value,
}

/// Records an entry (in the caller's transaction when given one).
pub(crate) async fn record(executor: impl PgExecutor<'_>, entry: Entry<'_>) -> sqlx::Result<()> {
    if matches!(
        entry.event,
        AuditEvent::RefreshTokenReused | AuditEvent::AccountLocked
    ) {
        tracing::warn!(event = entry.event.as_str(), customer = ?entry.customer_id, ip = ?entry.ip, "security event");
    }
    sqlx::query("INSERT INTO audit_log (event, customer_id, actor_id, ip, details) VALUES ($1, $2, $3, $4, $5)")
        .bind(entry.event.as_str())
        .bind(entry.customer_id)
        .bind(entry.actor_id)
        .bind(entry.ip)
        .bind(entry.details)
        .execute(executor)
        .await
        .map(|_| ())
}

/// A recorded entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Row {
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub event: String,
    pub customer_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub ip: Option<String>,
    pub details: Value,
}

/// Newest entries first, optionally of one customer.
pub(crate) async fn list(
    pool: &PgPool,
    customer_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as(
        "SELECT occurred_at, event, customer_id, actor_id, ip, details FROM audit_log \
          WHERE $1::bigint IS NULL OR customer_id = $1 ORDER BY occurred_at DESC, id DESC OFFSET $2 LIMIT $3",
    )
    .bind(customer_id)
    .bind(offset)
    .bind(limit)
    .fetch_all(pool)
    .await
}
