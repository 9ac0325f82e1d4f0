//! Orders: the snapshot of what was bought, its status and timeline.

pub mod error;
pub mod graphql;
pub mod live;
pub mod loaders;
pub mod service;
pub mod status;
pub mod store;

pub use error::OrderError;
