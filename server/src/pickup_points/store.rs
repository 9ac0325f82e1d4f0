//! The pickup points' SQL.

use sqlx::{PgPool, Postgres, Transaction};

use super::PickupPoint;
use super::feed::Branch;

const COLUMNS: &str = "id, name, street, city, zip, latitude, longitude, opening_hours";

/// An open point by its id.
pub(crate) async fn active(pool: &PgPool, id: &str) -> sqlx::Result<Option<PickupPoint>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM pickup_points WHERE id = $1 AND active"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Open points whose city, street, name or PSČ contain every one of `terms` (letters and digits
/// only; compared without case or diacritics), nearest to `near` first when given, else by city
/// and name.
pub(crate) async fn search(
    pool: &PgPool,
    terms: &[String],
    near: Option<(f64, f64)>,
    limit: i64,
) -> sqlx::Result<Vec<PickupPoint>> {
    let (latitude, longitude) = near.unzip();
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM pickup_points \
         WHERE active \
           AND search_text LIKE ALL (ARRAY(SELECT '%' || shop_search_text(t) || '%' FROM unnest($1::text[]) AS t)) \
         ORDER BY CASE WHEN $2::float8 IS NULL THEN 0 \
                  ELSE power(latitude - $2, 2) + power((longitude - $3) * cos(radians($2)), 2) END, \
                  city, name \
         LIMIT $4"
    ))
    .bind(terms)
    .bind(latitude)
    .bind(longitude)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Writes the feed's branches (new ones added, known ones updated, all marked seen now) and
/// closes the points the feed no longer lists. Returns (written, closed).
pub(crate) async fn replace_all(
    tx: &mut Transaction<'_, Postgres>,
    branches: &[Branch],
) -> sqlx::Result<(u64, u64)> {
    let started: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut **tx)
        .await?;
    let mut written = 0;
    for chunk in branches.chunks(1000) {
        let column = |f: fn(&Branch) -> String| chunk.iter().map(f).collect::<Vec<String>>();
        let number = |f: fn(&Branch) -> f64| chunk.iter().map(f).collect::<Vec<f64>>();
        written += sqlx::query(
            "INSERT INTO pickup_points (id, name, street, city, zip, latitude, longitude, opening_hours, active, synced_at) \
             SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
                                         $6::float8[], $7::float8[], $8::text[], $9::bool[]) \
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, street = EXCLUDED.street, \
                city = EXCLUDED.city, zip = EXCLUDED.zip, latitude = EXCLUDED.latitude, \
                longitude = EXCLUDED.longitude, opening_hours = EXCLUDED.opening_hours, \
                active = EXCLUDED.active, synced_at = now()",
        )
        .bind(column(|b| b.point.id.clone()))
        .bind(column(|b| b.point.name.clone()))
        .bind(column(|b| b.point.street.clone()))
        .bind(column(|b| b.point.city.clone()))
        .bind(column(|b| b.point.zip.clone()))
        .bind(number(|b| b.point.latitude))
        .bind(number(|b| b.point.longitude))
        .bind(column(|b| b.point.opening_hours.clone()))
        .bind(chunk.iter().map(|b| b.active).collect::<Vec<bool>>())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    let closed =
        sqlx::query("UPDATE pickup_points SET active = false WHERE active AND synced_at < $1")
            .bind(started)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok((written, closed))
}

/// Claims the next sync when it is due, moving the due time `every` ahead (one instance wins).
pub(crate) async fn claim_sync(pool: &PgPool, every: std::time::Duration) -> sqlx::Result<bool> {
    let claimed = sqlx::query(
        "UPDATE pickup_point_sync SET due_at = now() + make_interval(secs => $1) WHERE due_at <= now()",
    )
    .bind(every.as_secs_f64())
    .execute(pool)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Asks for the next sync sooner (after a failed one).
pub(crate) async fn retry_sync_in(pool: &PgPool, after: std::time::Duration) -> sqlx::Result<()> {
    sqlx::query("UPDATE pickup_point_sync SET due_at = now() + make_interval(secs => $1)")
        .bind(after.as_secs_f64())
        .execute(pool)
        .await
        .map(drop)
}

/// Whether there are no points yet.
pub(crate) async fn is_empty(pool: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM pickup_points)")
        .fetch_one(pool)
        .await
}
