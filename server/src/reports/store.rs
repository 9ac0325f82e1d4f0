//! The SQL of the sales figures. Orders count from the day they were placed (in Prague); a
//! cancelled order counts nowhere; refunds count on the day the money went back.

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

/// Orders that count: placed in the range (Prague days, inclusive), not cancelled.
const COUNTED: &str = "o.status <> 'CANCELLED' \
    AND o.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Prague') \
    AND o.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Prague')";

/// Figures per `unit` (`day`, `week` or `month`) over the range.
pub(crate) async fn periods(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
    unit: &str,
) -> sqlx::Result<Vec<Period>> {
    sqlx::query_as(&format!(
        "WITH sold AS ( \
           SELECT date_trunc($3, o.created_at AT TIME ZONE 'Europe/Prague')::date AS start, o.id, o.total, \
                  (SELECT coalesce(sum((e->>1)::bigint), 0) FROM jsonb_array_elements(o.vat_breakdown) e) AS net, \
                  (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS units \
             FROM orders o WHERE {COUNTED}), \
         refunded AS ( \
           SELECT date_trunc($3, l.created_at AT TIME ZONE 'Europe/Prague')::date AS start, sum(l.amount) AS amount \
             FROM payment_ledger l WHERE l.kind = 'REFUND' \
              AND l.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Prague') \
              AND l.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Prague') GROUP BY 1) \
         SELECT coalesce(s.start, r.start) AS start, coalesce(s.orders, 0) AS orders, coalesce(s.gross, 0) AS revenue_gross, \
                coalesce(s.net, 0) AS revenue_net, coalesce(s.units, 0) AS units, coalesce(r.amount, 0)::bigint AS refunds \
           FROM (SELECT start, count(*) AS orders, sum(total)::bigint AS gross, sum(net)::bigint AS net, sum(units)::bigint AS units \
                   FROM sold GROUP BY start) s \
           FULL JOIN refunded r ON r.start = s.start ORDER BY 1"
    ))
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
        "category" => "coalesce(c.name, '–')",
        "brand" => "coalesce(b.name, 'bez značky')",
        _ => "l.product_name",
    };
    sqlx::query_as(&format!(
        "SELECT {name} AS name, sum(l.quantity)::bigint AS units, sum(l.total)::bigint AS revenue_gross \
           FROM orders o JOIN order_lines l ON l.order_id = o.id \
           LEFT JOIN product_variants v ON v.id = l.variant_id LEFT JOIN products p ON p.id = v.product_id \
           LEFT JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id \
          WHERE {COUNTED} GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT $3"
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
    sqlx::query_as(&format!(
        "SELECT (SELECT count(*) FROM carts o WHERE o.created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Prague') \
                   AND o.created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Prague')), \
                (SELECT count(*) FROM orders o WHERE {COUNTED})"
    ))
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
