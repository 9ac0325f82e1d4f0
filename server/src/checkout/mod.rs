//! Checkout: contact, addresses, shipping and payment, discount codes, totals with VAT, and
//! placing the order (stock reserved in the same transaction; never oversold).

pub(crate) mod error;
pub(crate) mod graphql;
pub(crate) mod rules;
pub(crate) mod service;
pub(crate) mod store;

pub(crate) use error::{CheckoutError, DiscountProblem, Field, Problem};
