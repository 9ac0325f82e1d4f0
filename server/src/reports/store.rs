//! The SQL of the sales figures, read from the daily rollups ([`super::rollup`]). Orders count
//! from the day they were placed (in Prague); a cancelled order counts nowhere; refunds count on
//! the day the money went back.

use chrono::NaiveDate;
use sqlx::PgPool;

/// Figures of one period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Period {
    /// The period's first day.
    pub start: NaiveDate,
    pub orders: i64,
    pub revenue_gross: i64,
    pub revenue_net: i64,
    pub units: i64,
    pub refunds: i64,
}

/// Figures per `unit` (`day`, `week` or `month`) over the range (Prague days, inclusive).
pub(crate) async fn periods(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
    unit: &str,
) -> sqlx::Result<Vec<Period>> {
    sqlx::query_as(
        "WITH sold AS ( \
           SELECT date_trunc($3, day)::date AS start, sum(orders)::bigint AS orders, sum(gross)::bigint AS gross, \
                  sum(net)::bigint AS net, sum(units)::bigint AS units \
             FROM sales_days WHERE day BETWEEN $1 AND $2 GROUP BY 1), \
         refunded AS ( \
           SELECT date_trunc($3, l.created_at AT TIME ZONE 'Europe/Prague')::date AS start, sum(l.amount) AS amount \
             FROM payment_ledger l WHERE l.kind = 'REFUND' \
              AND l.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Prague') \
              AND l.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Prague') GROUP BY 1) \
         SELECT coalesce(s.start, r.start) AS start, coalesce(s.orders, 0) AS orders, coalesce(s.gross, 0) AS revenue_gross, \
                coalesce(s.net, 0) AS revenue_net, coalesce(s.units, 0) AS units, coalesce(r.amount, 0)::bigint AS refunds \
           FROM sold s FULL JOIN refunded r ON r.start = s.start ORDER BY 1",
    )
    .bind(from)
    .bind(to)
    .bind(unit)
    .fetch_all(pool)
    .await
}

/// Sales of one thing (a product, category or brand).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Seller {
    pub name: String,
    pub units: i64,
    pub revenue_gross: i64,
}

/// The best sellers grouped by `dimension` (`product`, `category` or `brand`), by revenue.
pub(crate) async fn sellers(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
    dimension: &str,
    limit: i64,
) -> sqlx::Result<Vec<Seller>> {
    let name = match dimension {
        "category" => "category",
        "brand" => "brand",
        _ => "product_name",
    };
    sqlx::query_as(&format!(
        "SELECT {name} AS name, sum(units)::bigint AS units, sum(gross)::bigint AS revenue_gross \
           FROM sales_day_items WHERE day BETWEEN $1 AND $2 GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT $3"
    ))
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Carts started in the range and orders placed in it.
pub(crate) async fn conversion(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM carts c WHERE c.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Prague') \
                   AND c.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Prague')), \
                (SELECT coalesce(sum(orders), 0)::bigint FROM sales_days WHERE day BETWEEN $1 AND $2)",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await
}

/// What the stock on hand is worth at today's prices, with and without VAT.
pub(crate) async fn stock_value(pool: &PgPool) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT coalesce(sum(v.stock_quantity::bigint * v.price_gross), 0)::bigint, \
                coalesce(sum(round(v.stock_quantity::numeric * v.price_gross * 100 / (100 + v.vat_rate))), 0)::bigint \
           FROM product_variants v WHERE v.stock_quantity > 0",
    )
    .fetch_one(pool)
    .await
}
