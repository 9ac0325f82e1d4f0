//! Sales figures for admins: revenue with and without VAT, orders, average order value, units,
//! refunds, per day, week or month (Europe/Prague days), per category, brand and product, the
//! conversion of carts to orders, and the stock value. A read model: daily rollups recomputed
//! from the orders after their events (`rollup`), read by the reports (`store`); it never
//! writes the tables of orders, payments or the catalog.

pub(crate) mod graphql;
pub(crate) mod rollup;
pub(crate) mod store;
