//! Product reviews: stars, text, pros and cons from verified buyers only (a customer who
//! received the product, one review per product), shown once staff approve them. Approving or
//! withdrawing one updates the product's rating in the catalog.
//!
//! Sits above the catalog, orders and accounts: it asks them through their functions.

pub(crate) mod graphql;
pub(crate) mod service;
pub(crate) mod store;

use chrono::{DateTime, Utc};

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum ReviewStatus {
    /// Waiting for staff.
    Pending,
    /// Shown on the product.
    Approved,
    /// Not shown (spam, abuse, off topic).
    Rejected,
}

impl ReviewStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Pending, Self::Approved, Self::Rejected];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Approved => "APPROVED",
            Self::Rejected => "REJECTED",
        }
    }
}

crate::db::text_enum!(ReviewStatus, "review status", Self::ALL);

/// A review as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Review {
    pub id: i64,
    pub product_id: i64,
    pub author_name: String,
    pub rating: i16,
    pub body: String,
    pub pros: String,
    pub cons: String,
    pub status: ReviewStatus,
    pub created_at: DateTime<Utc>,
}

/// A new review as the customer wrote it.
#[derive(Debug, Clone)]
pub(crate) struct NewReview {
    pub rating: i32,
    pub body: String,
    pub pros: String,
    pub cons: String,
}

/// Why a review was not taken, each with the field it concerns and a Czech message.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReviewError {
    #[error("Zboží neexistuje.")]
    UnknownProduct,
    #[error("Hodnotit mohou jen zákazníci, kterým jsme toto zboží doručili.")]
    NotVerifiedBuyer,
    #[error("Toto zboží jste už hodnotili.")]
    AlreadyReviewed,
    #[error("{1}")]
    Invalid(&'static str, &'static str),
    #[error("Hodnocení neexistuje.")]
    UnknownReview,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
