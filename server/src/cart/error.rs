//! What can go wrong with a cart, in the cart's own terms.

use sqlx::types::Uuid;

use super::MAX_LINE_QUANTITY;

/// Why a cart operation did not happen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CartError {
    /// No cart has this id (or a guest cart expired).
    #[error("Cart \"{0}\" does not exist")]
    NotFound(Uuid),
    /// The cart belongs to another customer.
    #[error("This cart belongs to another customer.")]
    NotYours,
    /// Requested lines that cannot be applied; none of the request was.
    #[error("{} line(s) refused", .0.len())]
    Lines(Vec<LineProblem>),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A refused line: `line` is its index in the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LineProblem {
    /// The quantity is outside 1 to [`MAX_LINE_QUANTITY`].
    #[error("Množství musí být 1 až {MAX_LINE_QUANTITY} ks.")]
    InvalidQuantity { line: usize },
    /// The line would hold more than [`MAX_LINE_QUANTITY`] units.
    #[error("Do košíku lze dát nejvýš {MAX_LINE_QUANTITY} ks.")]
    OverLineLimit { line: usize },
    /// No variant has this id.
    #[error("Tato varianta zboží neexistuje.")]
    UnknownVariant { line: usize },
    /// More than the stock: `available` units are left.
    #[error("{}", in_stock(*.available))]
    OutOfStock { line: usize, available: i32 },
}

fn in_stock(available: i32) -> String {
    if available == 0 {
        "Zboží je vyprodané.".to_owned()
    } else {
        format!("Skladem je jen {available} ks.")
    }
}
