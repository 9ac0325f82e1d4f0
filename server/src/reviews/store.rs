//! The reviews' SQL.

use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

use super::{NewReview, Review, ReviewStatus};

const COLUMNS: &str = "id, product_id, author_name, rating, body, pros, cons, status, created_at";

/// Inserts a pending review; `None` when the customer has reviewed the product already.
pub(crate) async fn insert(
    db: impl PgExecutor<'_>,
    product_id: i64,
    customer_id: i64,
    author_name: &str,
    review: &NewReview,
) -> sqlx::Result<Option<Review>> {
    sqlx::query_as(&format!(
        "INSERT INTO product_reviews (product_id, customer_id, author_name, rating, body, pros, cons) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (product_id, customer_id) DO NOTHING \
         RETURNING {COLUMNS}"
    ))
    .bind(product_id)
    .bind(customer_id)
    .bind(author_name)
    .bind(review.rating as i16)
    .bind(&review.body)
    .bind(&review.pros)
    .bind(&review.cons)
    .fetch_optional(db)
    .await
}

/// Reviews of `status` (of one product, when given), newest first: `limit` from `offset`.
pub(crate) async fn page(
    pool: &PgPool,
    status: ReviewStatus,
    product_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Review>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM product_reviews \
         WHERE status = $1 AND ($2::bigint IS NULL OR product_id = $2) \
         ORDER BY created_at DESC, id DESC OFFSET $3 LIMIT $4"
    ))
    .bind(status)
    .bind(product_id)
    .bind(offset)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Sets a review's status, locking it; the review as it is now.
pub(crate) async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    id: i64,
    status: ReviewStatus,
    moderator: i64,
) -> sqlx::Result<Option<Review>> {
    sqlx::query_as(&format!(
        "UPDATE product_reviews SET status = $2, moderated_at = now(), moderated_by = $3 \
         WHERE id = $1 RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(status)
    .bind(moderator)
    .fetch_optional(&mut **tx)
    .await
}

/// How many approved reviews a product has and their stars in total. Serialises the product's
/// moderations (a lock until the transaction ends), so two at once cannot write a stale total.
pub(crate) async fn approved_totals(
    tx: &mut Transaction<'_, Postgres>,
    product_id: i64,
) -> sqlx::Result<(i32, i32)> {
    sqlx::query("SELECT pg_advisory_xact_lock(821, ($1 % 2147483647)::int)")
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    let (count, total): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(rating), 0) FROM product_reviews \
         WHERE product_id = $1 AND status = 'APPROVED'",
    )
    .bind(product_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        i32::try_from(count).unwrap_or(i32::MAX),
        i32::try_from(total).unwrap_or(i32::MAX),
    ))
}
