//! Carts: guest carts (an unguessable id), one cart per customer, lines priced from the current
//! catalog and checked against stock on every change, merged when a guest signs in.

pub(crate) mod error;
pub(crate) mod graphql;
pub(crate) mod service;
pub mod store;

use std::time::Duration;

pub(crate) use error::{CartError, LineProblem};

/// A guest cart nobody touched this long is gone.
pub const GUEST_CART_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
/// Most units of one variant a cart line may hold.
pub const MAX_LINE_QUANTITY: i32 = 999;
