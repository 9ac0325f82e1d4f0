//! Accounts: registration, sign-in with rotating sessions, password resets, profiles and
//! addresses, and the admin's customer management.

pub mod error;
pub mod graphql;
pub mod loaders;
pub mod model;
pub mod password;
pub mod service;
pub mod sessions;
pub mod store;
pub mod validate;

pub use error::AccountError;
