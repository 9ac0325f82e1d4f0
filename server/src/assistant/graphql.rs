//! The assistant part of the schema: conversations, sending a message, and the reply streamed
//! over a subscription. Mobile apps use the same API (a guest app names its cart).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use sqlx::PgPool;
use sqlx::types::Uuid;

use super::live::ReplyKind;
use super::service::{self, Assistant, AssistantError};
use super::store::{self, Conversation, Message};
use super::tools::Caller;
use crate::auth::cookies::{CART_COOKIE, CookiePolicy, set_cookie};
use crate::auth::{Role, request_info};
use crate::catalog::graphql::{Product, catalog_loader};
use crate::catalog::loaders::ProductId;
use crate::error::{ErrorCode, api_error};
use crate::graphql::domain_errors::{ClientError, ServiceResult, ToClient, internal};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};

/// A conversation with the shop's assistant.
pub(crate) struct AssistantConversation(Conversation);

#[Object]
impl AssistantConversation {
    /// The conversation's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The messages, oldest first.
    async fn messages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AssistantMessage>> {
        let messages = store::messages(pool(ctx), &[self.0.id]).await?;
        Ok(messages.into_iter().map(AssistantMessage).collect())
    }

    /// When it started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// What the model cost and what grounding dropped (admins only; null for others).
    async fn usage(&self, ctx: &Context<'_>) -> Option<AssistantUsage> {
        is_admin(ctx).then_some(AssistantUsage {
            prompt_tokens: self.0.prompt_tokens,
            completion_tokens: self.0.completion_tokens,
            cost_usd: self.0.cost_usd,
            dropped_references: self.0.dropped_references,
        })
    }
}

/// A conversation's use of the model.
#[derive(SimpleObject)]
pub(crate) struct AssistantUsage {
    /// Tokens read by the model.
    prompt_tokens: i64,
    /// Tokens written by the model.
    completion_tokens: i64,
    /// The provider's reported cost in USD.
    cost_usd: f64,
    /// Products or prices the model named that the catalog does not back (never shown).
    dropped_references: i32,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub(crate) enum AssistantRole {
    /// The shopper.
    User,
    /// The assistant.
    Assistant,
}

/// A message of a conversation.
pub(crate) struct AssistantMessage(Message);

#[Object]
impl AssistantMessage {
    /// The message's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Who wrote it.
    async fn role(&self) -> AssistantRole {
        if self.0.role == "USER" {
            AssistantRole::User
        } else {
            AssistantRole::Assistant
        }
    }

    /// The text.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// The products it is about: real products with live prices and stock.
    async fn products(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Product>> {
        let ids = self.0.product_ids.iter().map(|id| ProductId(*id));
        let mut loaded = catalog_loader(ctx).load_many(ids).await?;
        Ok(self
            .0
            .product_ids
            .iter()
            .filter_map(|id| loaded.remove(&ProductId(*id)).map(Product))
            .collect())
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(Default)]
pub(crate) struct AssistantQuery;

#[Object]
impl AssistantQuery {
    /// The caller's conversations (a customer's, or the browser's guest ones), newest first.
    async fn assistant_conversations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AssistantConversation>> {
        let caller = caller(ctx, None)?;
        if caller.customer.is_none() && caller.cart.is_none() {
            return Ok(vec![]);
        }
        let list = store::list(pool(ctx), caller.customer, caller.cart).await?;
        Ok(list.into_iter().map(AssistantConversation).collect())
    }

    /// One of the caller's conversations (`NOT_FOUND` for anyone else's; admins read any, with
    /// its usage).
    async fn assistant_conversation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(desc = "A guest app's cart (the storefront uses its cookie).")] cart_id: Option<
            ID,
        >,
    ) -> async_graphql::Result<AssistantConversation> {
        let id = conversation_id(&id)?;
        let conversation = if is_admin(ctx) {
            store::get(pool(ctx), id)
                .await?
                .ok_or(AssistantError::NotFound(id))
        } else {
            service::owned(pool(ctx), caller(ctx, cart_id.as_ref())?, id).await
        };
        Ok(AssistantConversation(conversation.or_error()?))
    }

    /// What the assistant's model cost over all conversations, and what grounding dropped.
    /// Admins only.
    #[graphql(guard = "crate::auth::AdminGuard")]
    async fn assistant_usage(&self, ctx: &Context<'_>) -> async_graphql::Result<AssistantUsage> {
        let totals = store::totals(pool(ctx)).await?;
        Ok(AssistantUsage {
            prompt_tokens: totals.prompt_tokens,
            completion_tokens: totals.completion_tokens,
            cost_usd: totals.cost_usd,
            dropped_references: totals.dropped_references,
        })
    }
}

/// A message to the assistant.
#[derive(InputObject)]
pub(crate) struct AssistantSendInput {
    /// The conversation to continue; none starts a new one.
    conversation_id: Option<ID>,
    /// The shopper's message (at most 1 000 characters).
    message: String,
    /// A guest app's cart (the storefront uses its cookie).
    cart_id: Option<ID>,
}

/// The answer to `assistantSend`: the conversation; the reply streams on `assistantReply`.
#[derive(SimpleObject, Default)]
pub(crate) struct AssistantSendPayload {
    /// The conversation with the message stored.
    conversation: Option<AssistantConversation>,
    /// Why the message was not taken.
    user_errors: Vec<UserError>,
}

#[derive(Default)]
pub(crate) struct AssistantMutation;

#[Object]
impl AssistantMutation {
    /// Sends a message; the reply streams on `assistantReply(conversationId)` and is stored in
    /// the conversation. A guest in the storefront without a cart gets one (its cookie owns the
    /// conversation). Limited per customer or address (`RATE_LIMITED`).
    async fn assistant_send(
        &self,
        ctx: &Context<'_>,
        input: AssistantSendInput,
    ) -> async_graphql::Result<AssistantSendPayload> {
        let mut caller = caller(ctx, input.cart_id.as_ref())?;
        if caller.customer.is_none() && caller.cart.is_none() {
            caller.cart = Some(guest_cart(ctx).await?);
        }
        let conversation = input
            .conversation_id
            .as_ref()
            .map(conversation_id)
            .transpose()?;
        let redis = ctx.data_unchecked::<crate::cache::Redis>();
        let assistant = ctx.data_unchecked::<Assistant>();
        let ip = request_info(ctx).ip.clone().unwrap_or_else(|| "-".into());
        let sent = service::send(
            pool(ctx),
            redis,
            assistant,
            caller,
            &ip,
            conversation,
            &input.message,
        )
        .await;
        match sent.or_user_errors()? {
            Ok(id) => Ok(AssistantSendPayload {
                conversation: Some(AssistantConversation(
                    service::owned(pool(ctx), caller, id).await.or_error()?,
                )),
                user_errors: vec![],
            }),
            Err(user_errors) => Ok(AssistantSendPayload {
                conversation: None,
                user_errors,
            }),
        }
    }
}

/// A piece of a reply.
#[derive(SimpleObject)]
pub(crate) struct AssistantReplyEvent {
    /// Text, tool activity, or the end.
    kind: ReplyKind,
    /// More text, or what a tool is doing.
    text: String,
    /// The whole reply as stored, with its products (with `DONE`).
    message: Option<AssistantMessage>,
}

#[derive(Default)]
pub(crate) struct AssistantSubscription;

#[Subscription]
impl AssistantSubscription {
    /// The reply to the conversation's last message as it is written: text pieces, tool
    /// activity, then `DONE` with the stored message. A reply finished already comes at once.
    async fn assistant_reply(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "conversationId")] conversation: ID,
        cart_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = AssistantReplyEvent> + use<>> {
        let caller = caller(ctx, cart_id.as_ref())?;
        let id = conversation_id(&conversation)?;
        service::owned(pool(ctx), caller, id).await.or_error()?;
        let receiver = ctx.data_unchecked::<Assistant>().replies.subscribe();
        let pool = pool(ctx).clone();
        let last = store::messages(&pool, &[id]).await?.pop();
        let finished = last.filter(|m| m.role == "ASSISTANT");
        Ok(futures_util::stream::unfold(
            (receiver, pool, finished, false),
            move |(mut receiver, pool, finished, done)| async move {
                if done {
                    return None;
                }
                if let Some(message) = finished {
                    let event = AssistantReplyEvent {
                        kind: ReplyKind::Done,
                        text: String::new(),
                        message: Some(AssistantMessage(message)),
                    };
                    return Some((event, (receiver, pool, None, true)));
                }
                loop {
                    match receiver.recv().await {
                        Ok(event) if event.conversation == id => {
                            let message = match event.message_id {
                                Some(message_id) => store::messages(&pool, &[id])
                                    .await
                                    .ok()?
                                    .into_iter()
                                    .find(|m| m.id == message_id),
                                None => None,
                            };
                            let end = event.kind == ReplyKind::Done;
                            let event = AssistantReplyEvent {
                                kind: event.kind,
                                text: event.text,
                                message: message.map(AssistantMessage),
                            };
                            return Some((event, (receiver, pool, None, end)));
                        }
                        Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                            continue;
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}

impl ToClient for AssistantError {
    fn to_client(self) -> ClientError {
        match self {
            Self::NotFound(_) => {
                ClientError::Error(api_error(ErrorCode::NotFound, self.to_string()))
            }
            Self::InvalidMessage => ClientError::UserErrors(vec![UserError::on(
                "message",
                "INVALID",
                &self.to_string(),
            )]),
            Self::RateLimited(limited) => limited.to_client(),
            Self::Database(error) => internal(error),
        }
    }
}

/// Who asks: the signed-in customer, else the guest's cart (cookie, or the app's cart id).
fn caller(ctx: &Context<'_>, cart_id: Option<&ID>) -> async_graphql::Result<Caller> {
    let customer = crate::auth::customer_id(ctx);
    let info = request_info(ctx);
    let cart = match cart_id {
        Some(id) => Some(ids::decode_uuid_as(NodeType::Cart, id)?),
        None => info.cart_cookie.filter(|_| info.same_origin_browser),
    };
    Ok(Caller { customer, cart })
}

/// A new empty guest cart for a storefront visitor, with its cookie.
async fn guest_cart(ctx: &Context<'_>) -> async_graphql::Result<Uuid> {
    let info = request_info(ctx);
    if !info.same_origin_browser {
        return Err(api_error(
            ErrorCode::BadUserInput,
            "a guest app names its cart with cartId",
        ));
    }
    let redis = ctx.data_unchecked::<crate::cache::Redis>();
    let ip = info.ip.as_deref().unwrap_or("-");
    crate::rate_limit::check(redis, crate::rate_limit::CARTS_PER_IP, ip)
        .await
        .or_error()?;
    let id = crate::cart::service::create(pool(ctx), None, None, &[])
        .await
        .or_error()?;
    let secure = ctx.data_unchecked::<CookiePolicy>().secure;
    let max_age = crate::cart::GUEST_CART_LIFETIME.as_secs();
    ctx.append_http_header(
        "set-cookie",
        set_cookie(CART_COOKIE, &id.to_string(), max_age, secure),
    );
    Ok(id)
}

fn conversation_id(id: &ID) -> async_graphql::Result<Uuid> {
    Uuid::parse_str(id.as_str()).map_err(|_| {
        api_error(
            ErrorCode::NotFound,
            format!("Conversation \"{}\" does not exist", id.as_str()),
        )
    })
}

fn is_admin(ctx: &Context<'_>) -> bool {
    ctx.data_opt::<crate::auth::Viewer>()
        .and_then(|v| v.0)
        .is_some_and(|v| v.role == Role::Admin)
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}
