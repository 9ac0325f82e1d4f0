//! Hlídací pes (the watchdog): a shopper asks to hear when a variant's price drops below a value
//! or when it is back in stock. Guests confirm their e-mail through a link first; customers'
//! watches start at once. A job compares the watches with the catalog and sends each notice
//! through the outbox once; every e-mail carries a one-click cancel link.
//!
//! Sits above the catalog and accounts: it reads prices and stock through the catalog's
//! functions.

pub(crate) mod graphql;
pub mod service;
pub(crate) mod store;

use chrono::{DateTime, Utc};

/// What a watch waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum WatchKind {
    /// The price falls to `priceBelow` or lower.
    PriceBelow,
    /// At least one unit can be bought again.
    BackInStock,
}

impl WatchKind {
    /// Every kind.
    pub const ALL: [Self; 2] = [Self::PriceBelow, Self::BackInStock];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PriceBelow => "PRICE_BELOW",
            Self::BackInStock => "BACK_IN_STOCK",
        }
    }
}

crate::db::text_enum!(WatchKind, "watch kind", Self::ALL);

/// A watch as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Watch {
    pub id: i64,
    pub variant_id: i64,
    pub kind: WatchKind,
    /// Haléře, for [`WatchKind::PriceBelow`].
    pub price_below: Option<i64>,
    pub email: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Why a watch was not set up or changed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WatchError {
    #[error("Toto zboží neexistuje.")]
    UnknownVariant,
    #[error("{1}")]
    Invalid(&'static str, &'static str),
    #[error("Odkaz je neplatný nebo už byl použit.")]
    UnknownToken,
    #[error("Hlídání neexistuje.")]
    UnknownWatch,
    #[error(transparent)]
    RateLimited(#[from] crate::rate_limit::RateLimited),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
