//! What can stop a checkout, in the checkout's own terms.

use crate::cart::CartError;
use crate::rate_limit::RateLimited;

/// Why a checkout step or the order did not happen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CheckoutError {
    /// The cart is missing or not the caller's.
    #[error(transparent)]
    Cart(#[from] CartError),
    /// Too many guest orders from this address or for this mailbox.
    #[error(transparent)]
    RateLimited(#[from] RateLimited),
    /// The checkout cannot go on as it is; nothing changed.
    #[error("{} problem(s) with the checkout", .0.len())]
    Rejected(Vec<Problem>),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<Problem> for CheckoutError {
    fn from(problem: Problem) -> Self {
        Self::Rejected(vec![problem])
    }
}

/// A problem the shopper can fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Problem {
    /// The e-mail address is not valid (the message says why).
    #[error("{0}")]
    InvalidEmail(&'static str),
    /// No open pickup point has this id.
    #[error("Toto výdejní místo neexistuje nebo je dočasně uzavřené. Vyberte prosím jiné.")]
    InvalidPickupPoint,
    /// No discount code is called so.
    #[error("Tento slevový kód neexistuje.")]
    UnknownDiscountCode,
    /// The cart has no lines.
    #[error("Košík je prázdný.")]
    EmptyCart,
    /// A choice the order needs was not made.
    #[error("{}", .0.prompt())]
    Missing(Field),
    /// The chosen discount code does not apply now.
    #[error(transparent)]
    DiscountNotApplicable(#[from] DiscountProblem),
    /// Line `line` of the cart wants more than the stock (`available`, when known).
    #[error("{}", left_in_stock(*.available))]
    OutOfStock { line: usize, available: Option<i32> },
    /// The idempotency key was used for another cart's order.
    #[error("Tento klíč už patří jiné objednávce.")]
    IdempotencyKeyReused,
}

/// A part of the checkout an order needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Email,
    ShippingAddress,
    ShippingMethod,
    PickupPoint,
    /// The shipping address's phone, which carriers need.
    Phone,
    PaymentMethod,
}

impl Field {
    /// What the shopper is asked to do.
    pub(crate) fn prompt(self) -> &'static str {
        match self {
            Self::Email => "Vyplňte e-mail.",
            Self::ShippingAddress => "Vyplňte doručovací adresu.",
            Self::ShippingMethod => "Vyberte způsob dopravy.",
            Self::PickupPoint => "Vyberte výdejní místo Zásilkovny.",
            Self::Phone => "Doplňte telefon: dopravce vám pošle SMS o doručení.",
            Self::PaymentMethod => "Vyberte způsob platby.",
        }
    }
}

/// Why a discount code does not apply to this checkout now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DiscountProblem {
    /// Outside its validity.
    #[error("Slevový kód teď neplatí.")]
    NotActive,
    /// Every use is spent.
    #[error("Slevový kód je vyčerpaný.")]
    Exhausted,
    /// This customer or mailbox has used it as often as allowed.
    #[error("Tento slevový kód jste už využili.")]
    AlreadyUsed,
    /// The order is below the code's minimum.
    #[error("Na slevový kód je potřeba vyšší nákup.")]
    BelowMinimum,
}

fn left_in_stock(available: Option<i32>) -> String {
    match available {
        Some(left) if left > 0 => format!("Skladem je už jen {left} ks."),
        Some(_) => "Zboží se vyprodalo.".into(),
        None => "Tolik kusů už skladem není, někdo byl rychlejší.".into(),
    }
}
