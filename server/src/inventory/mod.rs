//! Inventory: stock per warehouse, reservations and the ledger of movements.
//! `product_variants.stock_quantity` mirrors what can be sold (kept by a trigger).

pub(crate) mod graphql;
pub(crate) mod store;
