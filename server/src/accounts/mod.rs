//! Accounts: registration, sign-in with rotating sessions, password resets, profiles and
//! addresses, and the admin's customer management.

pub(crate) mod error;
pub(crate) mod graphql;
pub(crate) mod loaders;
pub(crate) mod model;
pub(crate) mod password;
pub mod service;
pub mod sessions;
pub mod store;
pub(crate) mod validate;

pub(crate) use error::AccountError;
