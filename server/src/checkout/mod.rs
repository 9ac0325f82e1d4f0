//! Checkout: contact, addresses, shipping and payment, discount codes, totals with VAT, and
//! placing the order (stock reserved in the same transaction; never oversold).

pub mod error;
pub mod graphql;
pub mod rules;
pub mod service;
pub mod store;

pub use error::{CheckoutError, DiscountProblem, Field, Problem};
