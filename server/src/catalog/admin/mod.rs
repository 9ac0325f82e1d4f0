//! Catalog management for admins: products, variants, images, categories, brands, bulk price
//! changes.
//! Every change is audited (before and after) and bumps the catalog version, so caches and
//! facets follow on every instance.

pub(crate) mod attributes;
pub(crate) mod graphql;
pub(crate) mod images;
pub(crate) mod renditions;
pub(crate) mod service;
pub(crate) mod store;
