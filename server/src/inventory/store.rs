//! All SQL of inventory.

use std::collections::HashMap;

use sqlx::{PgExecutor, Postgres, Transaction};

/// Books the variants' `stock_quantity` of a fresh catalog into the default warehouse as the
/// initial receipt (for catalog imports such as the demo seed).
pub(crate) async fn receive_initial_stock(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO stock_levels (variant_id, warehouse_id, on_hand) \
         SELECT v.id, w.id, v.stock_quantity FROM product_variants v CROSS JOIN warehouses w \
          WHERE w.is_default ON CONFLICT DO NOTHING",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO stock_movements (variant_id, warehouse_id, kind, quantity, reason) \
         SELECT s.variant_id, s.warehouse_id, 'RECEIPT', s.on_hand, 'initial stock' FROM stock_levels s \
          WHERE s.on_hand > 0 AND NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.variant_id = s.variant_id)",
    )
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Units of each variant that can be sold now (on hand less reserved, over all warehouses);
/// variants that do not exist are missing from the map.
pub(crate) async fn available(
    db: impl PgExecutor<'_>,
    variant_ids: &[i64],
) -> sqlx::Result<HashMap<i64, i32>> {
    let rows: Vec<(i64, i32)> =
        sqlx::query_as("SELECT id, stock_quantity FROM product_variants WHERE id = ANY ($1)")
            .bind(variant_ids)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().collect())
}

/// A stock level after an adjustment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Level {
    pub variant_id: i64,
    pub warehouse_id: i64,
    pub on_hand: i32,
    pub reserved: i32,
}

/// Changes the units on hand of a variant in the default warehouse by `delta` and writes the
/// ledger entry, in one transaction. `None` when the variant is unknown or the result would be
/// below what is reserved (or below zero).
pub(crate) async fn adjust(
    pool: &sqlx::PgPool,
    variant_id: i64,
    delta: i32,
    reason: &str,
    actor_id: i64,
) -> sqlx::Result<Option<Level>> {
    let mut tx = pool.begin().await?;
    // A variant without a level in the default warehouse gets one at zero first.
    sqlx::query(
        "INSERT INTO stock_levels (variant_id, warehouse_id, on_hand) \
         SELECT v.id, w.id, 0 FROM product_variants v CROSS JOIN warehouses w WHERE v.id = $1 AND w.is_default \
         ON CONFLICT DO NOTHING",
    )
    .bind(variant_id)
    .execute(&mut *tx)
    .await?;
    let level: Option<Level> = sqlx::query_as(
        "UPDATE stock_levels s SET on_hand = s.on_hand + $2 FROM warehouses w \
          WHERE s.variant_id = $1 AND s.warehouse_id = w.id AND w.is_default AND s.on_hand + $2 >= s.reserved \
         RETURNING s.variant_id, s.warehouse_id, s.on_hand, s.reserved",
    )
    .bind(variant_id)
    .bind(delta)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(level) = level else { return Ok(None) };
    record_adjustment(&mut tx, &level, delta, reason, actor_id).await?;
    tx.commit().await?;
    Ok(Some(level))
}

/// Sets the units of a variant that can be sold from the default warehouse (on hand = reserved +
/// `available`), with a ledger entry when that changes anything.
pub(crate) async fn set_available(
    tx: &mut Transaction<'_, Postgres>,
    variant_id: i64,
    available: i32,
    reason: &str,
    actor_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO stock_levels (variant_id, warehouse_id, on_hand) \
         SELECT $1, w.id, 0 FROM warehouses w WHERE w.is_default ON CONFLICT DO NOTHING",
    )
    .bind(variant_id)
    .execute(&mut **tx)
    .await?;
    let changed: Option<(Level, i32)> = sqlx::query_as(
        "WITH old AS (SELECT s.variant_id, s.warehouse_id, s.on_hand FROM stock_levels s \
                        JOIN warehouses w ON w.id = s.warehouse_id AND w.is_default \
                       WHERE s.variant_id = $1 FOR UPDATE OF s) \
         UPDATE stock_levels s SET on_hand = s.reserved + $2 FROM old \
          WHERE s.variant_id = old.variant_id AND s.warehouse_id = old.warehouse_id AND s.on_hand <> s.reserved + $2 \
         RETURNING s.variant_id, s.warehouse_id, s.on_hand, s.reserved, s.on_hand - old.on_hand",
    )
    .bind(variant_id)
    .bind(available)
    .fetch_optional(&mut **tx)
    .await?
    .map(|(variant_id, warehouse_id, on_hand, reserved, delta)| {
        (Level { variant_id, warehouse_id, on_hand, reserved }, delta)
    });
    match changed {
        Some((level, delta)) => record_adjustment(tx, &level, delta, reason, actor_id).await,
        None => Ok(()),
    }
}

async fn record_adjustment(
    tx: &mut Transaction<'_, Postgres>,
    level: &Level,
    delta: i32,
    reason: &str,
    actor_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO stock_movements (variant_id, warehouse_id, kind, quantity, reason, actor_id) VALUES ($1, $2, 'ADJUSTMENT', $3, $4, $5)",
    )
    .bind(level.variant_id)
    .bind(level.warehouse_id)
    .bind(delta)
    .bind(reason)
    .bind(actor_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A ledger entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Movement {
    pub kind: String,
    pub quantity: i32,
    pub reason: String,
    pub actor_id: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The newest movements of a variant.
pub(crate) async fn movements(
    pool: &sqlx::PgPool,
    variant_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<Movement>> {
    sqlx::query_as(
        "SELECT kind, quantity, reason, actor_id, created_at FROM stock_movements WHERE variant_id = $1 \
          ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(variant_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Reserves `quantity` units of a variant in the default warehouse; `None` (and nothing changed)
/// when fewer are available, else the warehouse. The conditional update takes the row lock until
/// the transaction ends, so concurrent buyers are served one after another and stock never goes
/// negative. The ledger entry follows with [`record_reservations`] once the order exists.
pub(crate) async fn reserve(
    tx: &mut Transaction<'_, Postgres>,
    variant_id: i64,
    quantity: i32,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE stock_levels s SET reserved = s.reserved + $2 FROM warehouses w \
          WHERE s.variant_id = $1 AND s.warehouse_id = w.id AND w.is_default AND s.on_hand - s.reserved >= $2 \
         RETURNING s.warehouse_id",
    )
    .bind(variant_id)
    .bind(quantity)
    .fetch_optional(&mut **tx)
    .await
}

/// A reservation made for an order: variant, warehouse, units.
pub(crate) type Reservation = (i64, i64, i32);

/// Writes the ledger entries of an order's reservations (one statement).
pub(crate) async fn record_reservations(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    reservations: &[Reservation],
) -> sqlx::Result<()> {
    let variants: Vec<i64> = reservations.iter().map(|r| r.0).collect();
    let warehouses: Vec<i64> = reservations.iter().map(|r| r.1).collect();
    let quantities: Vec<i32> = reservations.iter().map(|r| r.2).collect();
    sqlx::query(
        "INSERT INTO stock_movements (variant_id, warehouse_id, kind, quantity, reason, order_id) \
         SELECT v, w, 'RESERVATION', q, 'order placed', $4 FROM UNNEST($1::bigint[], $2::bigint[], $3::int[]) AS r (v, w, q)",
    )
    .bind(variants)
    .bind(warehouses)
    .bind(quantities)
    .bind(order_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// What happens to an order's reservations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Settlement {
    /// The order is cancelled: the reserved units are for sale again.
    Release,
    /// The order ships: the reserved units leave the warehouse.
    Sale,
}

/// Settles every reservation an order holds (as recorded in the ledger), writing the ledger.
pub(crate) async fn settle_order(
    tx: &mut Transaction<'_, Postgres>,
    order_id: i64,
    how: Settlement,
) -> sqlx::Result<()> {
    let (kind, on_hand_change) = match how {
        Settlement::Release => ("RELEASE", "0"),
        Settlement::Sale => ("SALE", "r.quantity"),
    };
    sqlx::query(&format!(
        "WITH r AS ( \
             SELECT variant_id, warehouse_id, sum(CASE kind WHEN 'RESERVATION' THEN quantity ELSE -quantity END)::int AS quantity \
               FROM stock_movements WHERE order_id = $1 AND kind IN ('RESERVATION', 'RELEASE', 'SALE') \
              GROUP BY variant_id, warehouse_id HAVING sum(CASE kind WHEN 'RESERVATION' THEN quantity ELSE -quantity END) > 0 \
         ), settled AS ( \
             UPDATE stock_levels s SET reserved = s.reserved - r.quantity, on_hand = s.on_hand - {on_hand_change} \
               FROM r WHERE s.variant_id = r.variant_id AND s.warehouse_id = r.warehouse_id \
             RETURNING r.variant_id, r.warehouse_id, r.quantity \
         ) \
         INSERT INTO stock_movements (variant_id, warehouse_id, kind, quantity, reason, order_id) \
         SELECT variant_id, warehouse_id, $2, quantity, 'order ' || lower($2), $1 FROM settled"
    ))
    .bind(order_id)
    .bind(kind)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
