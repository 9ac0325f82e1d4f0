//! The daily rollups behind the sales figures. A refresh finds the Prague days of the orders
//! that had an event (placed, paid, cancelled, …) since the last refresh, less a five-minute
//! overlap for transactions that committed late, and recomputes those days from the orders:
//! recomputing is idempotent, so an overlap or a repeat never counts anything twice. Refreshes
//! are serialised by a row lock; the job runner refreshes every round and a report refreshes
//! before it reads, so figures are always current.

use sqlx::PgPool;

/// Joins an order to the Prague day `d.day` it was placed on (a range on `created_at`, so the
/// index finds a day's orders).
const WITHIN_DAY: &str = "o.created_at >= (d.day::timestamp AT TIME ZONE 'Europe/Prague') \
    AND o.created_at < ((d.day + 1)::timestamp AT TIME ZONE 'Europe/Prague')";

/// Brings the rollups up to date; the number of days recomputed.
pub(crate) async fn refresh(pool: &PgPool) -> sqlx::Result<usize> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT 1 FROM sales_rollup_state FOR UPDATE")
        .execute(&mut *tx)
        .await?;
    let days: Vec<chrono::NaiveDate> = sqlx::query_scalar(
        "SELECT DISTINCT (o.created_at AT TIME ZONE 'Europe/Prague')::date \
           FROM order_events e JOIN orders o ON o.id = e.order_id \
          WHERE e.occurred_at >= (SELECT refreshed_at FROM sales_rollup_state) - interval '5 minutes'",
    )
    .fetch_all(&mut *tx)
    .await?;
    if !days.is_empty() {
        for table in ["sales_days", "sales_day_items"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE day = ANY ($1)"))
                .bind(&days)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(&format!(
            "INSERT INTO sales_days (day, orders, gross, net, units) \
             SELECT d.day, count(*), sum(o.total), \
                    sum((SELECT coalesce(sum((e->>1)::bigint), 0) FROM jsonb_array_elements(o.vat_breakdown) e)), \
                    sum((SELECT coalesce(sum(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id)) \
               FROM unnest($1::date[]) AS d (day) JOIN orders o ON {WITHIN_DAY} \
              WHERE o.status <> 'CANCELLED' GROUP BY d.day"
        ))
        .bind(&days)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO sales_day_items (day, product_name, category, brand, units, gross) \
             SELECT d.day, l.product_name, coalesce(c.name, '–'), coalesce(b.name, 'bez značky'), sum(l.quantity), sum(l.total) \
               FROM unnest($1::date[]) AS d (day) JOIN orders o ON {WITHIN_DAY} \
               JOIN order_lines l ON l.order_id = o.id \
               LEFT JOIN product_variants v ON v.id = l.variant_id LEFT JOIN products p ON p.id = v.product_id \
               LEFT JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id \
              WHERE o.status <> 'CANCELLED' GROUP BY 1, 2, 3, 4"
        ))
        .bind(&days)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE sales_rollup_state SET refreshed_at = now()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(days.len())
}
