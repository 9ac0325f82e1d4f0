//! Sales figures for admins: revenue with and without VAT, orders, average order value, units,
//! refunds, per day, week or month (Europe/Prague days), per category, brand and product, the
//! conversion of carts to orders, and the stock value. A read model: its SQL reads the orders,
//! payments and catalog tables (range scans over `created_at` indexes), and writes nothing.

pub(crate) mod graphql;
pub(crate) mod store;
