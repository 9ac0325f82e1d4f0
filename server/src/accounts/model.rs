//! Account records as they come out of PostgreSQL.

use chrono::{DateTime, Utc};

use crate::auth::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Customer {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub marketing_consent: bool,
    pub role: Role,
    pub disabled: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub default_shipping_address_id: Option<i64>,
    pub default_billing_address_id: Option<i64>,
}

/// The columns of [`Customer`].
pub(crate) const CUSTOMER_COLUMNS: &str = "id, email::text AS email, password_hash, first_name, last_name, phone, \
    marketing_consent, role, disabled, failed_logins, locked_until, created_at, \
    default_shipping_address_id, default_billing_address_id";

/// Profile fields a customer may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFields {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub marketing_consent: bool,
}
