//! Postal addresses in Czech format: what customers save in their address book, what a checkout
//! ships to and what an order keeps. A value type of no domain: accounts, checkout and orders all
//! use it, and it uses none of them.

mod graphql;
mod model;

pub(crate) use graphql::{MailingAddress, MailingAddressInput};
pub(crate) use model::{Address, AddressFields};
