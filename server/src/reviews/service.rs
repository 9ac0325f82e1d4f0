//! Writing and moderating reviews.

use sqlx::PgPool;

use super::{NewReview, Review, ReviewError, ReviewStatus, store};
use crate::cache::Redis;

/// Longest review text, pros and cons, in characters.
const MAX_BODY: usize = 4000;
const MAX_POINTS: usize = 1000;

/// Checks and trims what the customer wrote.
pub(crate) fn validate(review: NewReview) -> Result<NewReview, ReviewError> {
    let text = |value: String, max: usize| value.trim().chars().take(max + 1).collect::<String>();
    let review = NewReview {
        rating: review.rating,
        body: text(review.body, MAX_BODY),
        pros: text(review.pros, MAX_POINTS),
        cons: text(review.cons, MAX_POINTS),
    };
    if !(1..=5).contains(&review.rating) {
        return Err(ReviewError::Invalid("rating", "Vyberte 1 až 5 hvězdiček."));
    }
    if review.body.chars().count() < 10 {
        return Err(ReviewError::Invalid(
            "body",
            "Napište prosím aspoň pár slov (10 znaků).",
        ));
    }
    if review.body.chars().count() > MAX_BODY {
        return Err(ReviewError::Invalid(
            "body",
            "Recenze může mít nejvýš 4 000 znaků.",
        ));
    }
    if review.pros.chars().count() > MAX_POINTS || review.cons.chars().count() > MAX_POINTS {
        return Err(ReviewError::Invalid(
            "pros",
            "Klady i zápory mohou mít nejvýš 1 000 znaků.",
        ));
    }
    Ok(review)
}

/// A customer's review of a product, waiting for staff: only from a customer who received the
/// product, once per product. Signed with the customer's first name.
pub(crate) async fn create(
    pool: &PgPool,
    customer_id: i64,
    product_slug: &str,
    review: NewReview,
) -> Result<Review, ReviewError> {
    let review = validate(review)?;
    let product = crate::catalog::store::product_by_slug(pool, product_slug)
        .await?
        .ok_or(ReviewError::UnknownProduct)?;
    let variants: Vec<i64> = crate::catalog::store::variants_of(pool, &[product.id])
        .await?
        .iter()
        .map(|v| v.id)
        .collect();
    if !crate::orders::store::received_any(pool, customer_id, &variants).await? {
        return Err(ReviewError::NotVerifiedBuyer);
    }
    let author = crate::accounts::store::customer_by_id(pool, customer_id)
        .await?
        .map(|c| c.first_name)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "Zákazník".to_owned());
    store::insert(pool, product.id, customer_id, &author, &review)
        .await?
        .ok_or(ReviewError::AlreadyReviewed)
}

/// Approves or rejects a review (staff); the product's rating follows in the same transaction,
/// and cached pages make way.
pub(crate) async fn moderate(
    pool: &PgPool,
    redis: &Redis,
    moderator: i64,
    review_id: i64,
    status: ReviewStatus,
) -> Result<Review, ReviewError> {
    let mut tx = pool.begin().await?;
    let review = store::set_status(&mut tx, review_id, status, moderator)
        .await?
        .ok_or(ReviewError::UnknownReview)?;
    let (count, total) = store::approved_totals(&mut tx, review.product_id).await?;
    crate::catalog::store::set_rating(&mut tx, review.product_id, count, total).await?;
    tx.commit().await?;
    crate::catalog::catalog_changed(redis).await;
    Ok(review)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(rating: i32, body: &str) -> NewReview {
        NewReview {
            rating,
            body: body.into(),
            pros: String::new(),
            cons: String::new(),
        }
    }

    #[test]
    fn checks_stars_and_text() {
        assert!(validate(review(5, "  Skvělý mixér, drží tempo.  ")).is_ok());
        assert!(matches!(
            validate(review(0, "Skvělý mixér.")),
            Err(ReviewError::Invalid("rating", _))
        ));
        assert!(matches!(
            validate(review(6, "Skvělý mixér.")),
            Err(ReviewError::Invalid("rating", _))
        ));
        assert!(matches!(
            validate(review(4, "   ok   ")),
            Err(ReviewError::Invalid("body", _))
        ));
        assert!(matches!(
            validate(review(4, &"á".repeat(4001))),
            Err(ReviewError::Invalid("body", _))
        ));
        assert_eq!(
            validate(review(3, " Docela dobré. ")).unwrap().body,
            "Docela dobré."
        );
    }
}
