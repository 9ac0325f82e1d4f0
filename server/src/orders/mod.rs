//! Orders: the snapshot of what was bought, its status and timeline.

pub(crate) mod error;
pub(crate) mod graphql;
pub mod live;
pub(crate) mod loaders;
pub mod service;
pub mod status;
pub(crate) mod store;

pub(crate) use error::OrderError;
