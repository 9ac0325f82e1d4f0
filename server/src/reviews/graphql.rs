//! Reviews in the schema: a product's approved reviews, writing one, and moderation for staff.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{NewReview, Review as Row, ReviewError, ReviewStatus, service, store};
use crate::auth::AdminGuard;
use crate::cache::Redis;
use crate::catalog::graphql::{Product, catalog_loader};
use crate::catalog::loaders::ProductId;
use crate::graphql::domain_errors::{
    ClientError, ToClient, internal, invalid_field, payload_parts,
};
use crate::graphql::pagination::{PageInfo, PageRequest};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};

/// A verified buyer's review of a product.
pub(crate) struct Review(Row);

/// A verified buyer's review of a product.
#[Object]
impl Review {
    /// Global ID.
    async fn id(&self) -> ID {
        ids::encode(NodeType::Review, self.0.id)
    }

    /// Stars, 1 to 5.
    async fn rating(&self) -> i32 {
        i32::from(self.0.rating)
    }

    /// What the buyer wrote.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// What the buyer liked (may be empty).
    async fn pros(&self) -> &str {
        &self.0.pros
    }

    /// What the buyer did not like (may be empty).
    async fn cons(&self) -> &str {
        &self.0.cons
    }

    /// The buyer's first name.
    async fn author_name(&self) -> &str {
        &self.0.author_name
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Whether it is shown (only staff see other than approved reviews).
    async fn status(&self) -> ReviewStatus {
        self.0.status
    }

    /// The product reviewed.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        Ok(catalog_loader(ctx)
            .load_one(ProductId(self.0.product_id))
            .await?
            .map(Product))
    }
}

/// A page of reviews, newest first.
#[derive(SimpleObject)]
pub(crate) struct ReviewConnection {
    nodes: Vec<Review>,
    page_info: PageInfo,
}

async fn page(
    pool: &PgPool,
    status: ReviewStatus,
    product_id: Option<i64>,
    first: Option<i32>,
    after: Option<&str>,
) -> async_graphql::Result<ReviewConnection> {
    let page = PageRequest::from_args(first, after, None, None)?;
    let mut rows = store::page(pool, status, product_id, page.offset, page.limit + 1).await?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(page.limit as usize);
    Ok(ReviewConnection {
        page_info: PageInfo::new(page, rows.len(), more),
        nodes: rows.into_iter().map(Review).collect(),
    })
}

#[derive(Default)]
pub(crate) struct ReviewsQuery;

#[Object]
impl ReviewsQuery {
    /// The approved reviews of the product with this slug, newest first (at most 100 a page).
    async fn product_reviews(
        &self,
        ctx: &Context<'_>,
        slug: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ReviewConnection> {
        let pool = ctx.data_unchecked::<PgPool>();
        let Some(product) = crate::catalog::store::product_by_slug(pool, &slug).await? else {
            return Err(crate::error::not_found("Product", &slug));
        };
        page(
            pool,
            ReviewStatus::Approved,
            Some(product.id),
            first,
            after.as_deref(),
        )
        .await
    }

    /// Reviews waiting for moderation, newest first. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn reviews_pending(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ReviewConnection> {
        let pool = ctx.data_unchecked::<PgPool>();
        page(pool, ReviewStatus::Pending, None, first, after.as_deref()).await
    }
}

/// A review of a product the customer received.
#[derive(InputObject)]
pub(crate) struct ProductReviewCreateInput {
    /// The product's slug.
    product_slug: String,
    /// Stars, 1 to 5.
    rating: i32,
    /// The review (10 to 4 000 characters).
    body: String,
    /// What was good (at most 1 000 characters).
    #[graphql(default)]
    pros: String,
    /// What was not (at most 1 000 characters).
    #[graphql(default)]
    cons: String,
}

/// Approving or rejecting a review.
#[derive(InputObject)]
pub(crate) struct ProductReviewModerateInput {
    /// The review.
    id: ID,
    /// `APPROVED` shows it on the product, `REJECTED` hides it.
    status: ReviewStatus,
}

/// The answer to writing or moderating a review.
#[derive(SimpleObject)]
pub(crate) struct ProductReviewPayload {
    /// The review as it is now.
    review: Option<Review>,
    /// Why it was not taken.
    user_errors: Vec<UserError>,
}

impl ProductReviewPayload {
    fn from(result: Result<Row, ReviewError>) -> async_graphql::Result<Self> {
        let (review, user_errors) = payload_parts(result)?;
        Ok(Self {
            review: review.map(Review),
            user_errors,
        })
    }
}

impl ToClient for ReviewError {
    fn to_client(self) -> ClientError {
        let refused = |field: &str, code: &str, error: &Self| {
            ClientError::UserErrors(vec![UserError::on(field, code, &error.to_string())])
        };
        match self {
            Self::UnknownProduct => refused("productSlug", "NOT_FOUND", &self),
            Self::NotVerifiedBuyer => refused("productSlug", "NOT_VERIFIED_BUYER", &self),
            Self::AlreadyReviewed => refused("productSlug", "ALREADY_REVIEWED", &self),
            Self::UnknownReview => refused("id", "NOT_FOUND", &self),
            Self::Invalid(field, message) => invalid_field(field, message),
            Self::Database(error) => internal(error),
        }
    }
}

#[derive(Default)]
pub(crate) struct ReviewsMutation;

#[Object]
impl ReviewsMutation {
    /// Reviews a product the signed-in customer received; shown once staff approve it.
    async fn product_review_create(
        &self,
        ctx: &Context<'_>,
        input: ProductReviewCreateInput,
    ) -> async_graphql::Result<ProductReviewPayload> {
        let customer = crate::auth::require_signed_in(ctx)?.customer_id;
        let review = NewReview {
            rating: input.rating,
            body: input.body,
            pros: input.pros,
            cons: input.cons,
        };
        let pool = ctx.data_unchecked::<PgPool>();
        ProductReviewPayload::from(
            service::create(pool, customer, &input.product_slug, review).await,
        )
    }

    /// Approves or rejects a review; the product's rating follows. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn product_review_moderate(
        &self,
        ctx: &Context<'_>,
        input: ProductReviewModerateInput,
    ) -> async_graphql::Result<ProductReviewPayload> {
        let moderator = crate::auth::require_signed_in(ctx)?.customer_id;
        let id = ids::decode_as(NodeType::Review, &input.id)?;
        let (pool, redis) = (
            ctx.data_unchecked::<PgPool>(),
            ctx.data_unchecked::<Redis>(),
        );
        ProductReviewPayload::from(
            service::moderate(pool, redis, moderator, id, input.status).await,
        )
    }
}
