//! Supplier feeds: each supplier's mapping of its CSV or XML file onto the catalog, imports of
//! an uploaded file or of a feed URL fetched on a schedule, run by a resumable worker with
//! progress, counts and per-row errors in Czech.
//!
//! Sits above the catalog and inventory: an import changes products, variants and stock through
//! the catalog's own rules (`catalog::admin::service`) and `inventory::store`.

pub(crate) mod graphql;
pub(crate) mod mapping;
pub(crate) mod service;
pub(crate) mod source;
pub mod status;
pub(crate) mod store;
pub mod worker;
