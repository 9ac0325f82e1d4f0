//! What can stop an account operation, in the accounts' own terms.

use super::password::HashError;
use crate::rate_limit::RateLimited;

/// Why an account operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Too many attempts from this address or for this account.
    #[error(transparent)]
    RateLimited(#[from] RateLimited),
    /// The reset link is unknown, used or expired.
    #[error("Odkaz pro obnovu hesla je neplatný nebo vypršel.")]
    InvalidResetToken,
    /// The current password given to change it is wrong.
    #[error("Současné heslo nesouhlasí.")]
    WrongPassword,
    /// No account has this id.
    #[error("Customer \"{0}\" does not exist")]
    NotFound(i64),
    /// A value is not acceptable (the message says why).
    #[error("{0}")]
    Invalid(&'static str),
    /// Hashing a password failed.
    #[error(transparent)]
    Hashing(#[from] HashError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
