//! All SQL of the assistant: conversations and their messages.

use chrono::{DateTime, Utc};
use sqlx::types::Uuid;
use sqlx::{PgExecutor, PgPool};

/// A conversation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Conversation {
    pub id: Uuid,
    pub customer_id: Option<i64>,
    pub cart_id: Option<Uuid>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cost_usd: f64,
    pub dropped_references: i32,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, customer_id, cart_id, prompt_tokens, completion_tokens, cost_usd, dropped_references, created_at";

/// A message.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Message {
    pub id: i64,
    pub role: String,
    pub text: String,
    pub product_ids: Vec<i64>,
    pub created_at: DateTime<Utc>,
}

/// Starts a conversation of a customer or a guest's cart.
pub(crate) async fn insert(
    db: impl PgExecutor<'_>,
    customer: Option<i64>,
    cart: Option<Uuid>,
) -> sqlx::Result<Conversation> {
    sqlx::query_as(&format!(
        "INSERT INTO assistant_conversations (id, customer_id, cart_id) VALUES ($1, $2, $3) RETURNING {COLUMNS}"
    ))
    .bind(Uuid::new_v4())
    .bind(customer)
    .bind(cart)
    .fetch_one(db)
    .await
}

/// A conversation by id.
pub(crate) async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Conversation>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM assistant_conversations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The conversations of a customer, or of a guest's cart, newest first.
pub(crate) async fn list(
    db: impl PgExecutor<'_>,
    customer: Option<i64>,
    cart: Option<Uuid>,
) -> sqlx::Result<Vec<Conversation>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM assistant_conversations \
          WHERE ($1::bigint IS NOT NULL AND customer_id = $1) OR ($1::bigint IS NULL AND customer_id IS NULL AND cart_id = $2) \
          ORDER BY updated_at DESC LIMIT 20"
    ))
    .bind(customer)
    .bind(cart)
    .fetch_all(db)
    .await
}

/// Adds a message (and notes the conversation changed).
pub(crate) async fn add_message(
    pool: &PgPool,
    conversation: Uuid,
    role: &str,
    text: &str,
    product_ids: &[i64],
) -> sqlx::Result<Message> {
    sqlx::query("UPDATE assistant_conversations SET updated_at = now() WHERE id = $1")
        .bind(conversation)
        .execute(pool)
        .await?;
    sqlx::query_as(
        "INSERT INTO assistant_messages (conversation_id, role, text, product_ids) VALUES ($1, $2, $3, $4) \
         RETURNING id, role, text, product_ids, created_at",
    )
    .bind(conversation)
    .bind(role)
    .bind(text)
    .bind(product_ids)
    .fetch_one(pool)
    .await
}

/// The messages of conversations, oldest first.
pub(crate) async fn messages(
    db: impl PgExecutor<'_>,
    conversations: &[Uuid],
) -> sqlx::Result<Vec<Message>> {
    sqlx::query_as(
        "SELECT id, role, text, product_ids, created_at FROM assistant_messages \
          WHERE conversation_id = ANY ($1) ORDER BY conversation_id, id",
    )
    .bind(conversations)
    .fetch_all(db)
    .await
}

/// Adds a reply's usage and the references it dropped.
pub(crate) async fn add_usage(
    db: impl PgExecutor<'_>,
    conversation: Uuid,
    prompt_tokens: i64,
    completion_tokens: i64,
    cost_usd: f64,
    dropped: i32,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE assistant_conversations SET prompt_tokens = prompt_tokens + $2, completion_tokens = completion_tokens + $3, \
                cost_usd = cost_usd + $4, dropped_references = dropped_references + $5 WHERE id = $1",
    )
    .bind(conversation)
    .bind(prompt_tokens)
    .bind(completion_tokens)
    .bind(cost_usd)
    .bind(dropped)
    .execute(db)
    .await
    .map(|_| ())
}

/// Usage over all conversations.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub(crate) struct Totals {
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cost_usd: f64,
    pub dropped_references: i32,
}

/// The sums of every conversation's usage.
pub(crate) async fn totals(db: impl PgExecutor<'_>) -> sqlx::Result<Totals> {
    sqlx::query_as(
        "SELECT coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens, coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens, \
                coalesce(sum(cost_usd), 0)::float8 AS cost_usd, coalesce(sum(dropped_references), 0)::int AS dropped_references \
           FROM assistant_conversations",
    )
    .fetch_one(db)
    .await
}
