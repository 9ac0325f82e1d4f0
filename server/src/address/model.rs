//! Addresses as stored.

/// A saved address of a customer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Address {
    pub id: i64,
    pub customer_id: i64,
    #[sqlx(flatten)]
    pub fields: AddressFields,
}

/// An address as entered, validated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct AddressFields {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub ico: Option<String>,
    pub dic: Option<String>,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
}
