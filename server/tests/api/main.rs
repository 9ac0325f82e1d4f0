//! Integration tests of the whole server against real PostgreSQL (a fresh database per test),
//! Redis and local fake servers. One test binary: one link step instead of one per file, which
//! keeps build time and disk use down.

mod common;

mod accounts;
mod assistant;
mod cart;
mod catalog;
mod catalog_admin;
mod catalog_attributes;
mod catalog_images;
mod checkout;
mod delivery_dates;
mod http_surface;
mod listing_cache;
mod live_orders;
mod orders;
mod page_cache;
mod payments;
mod persisted_queries;
mod pickup_points;
mod reviews;
mod schema_sdl;
mod security;
mod sql_count;
mod storefront_session;
mod suppliers;
mod tax_documents;
mod watchdog;
