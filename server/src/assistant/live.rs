//! A reply as it streams to every instance's subscribers: text, tool activity, the end.

use serde::{Deserialize, Serialize};
use sqlx::types::Uuid;

use crate::pubsub::Hub;

/// What streams to a reply's subscribers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct ReplyEvent {
    #[serde(with = "uuid_text")]
    pub conversation: Uuid,
    pub kind: ReplyKind,
    /// A piece of text, or what a tool is doing.
    pub text: String,
    /// The stored reply (with `Done`).
    pub message_id: Option<i64>,
}

/// The kind of a reply event.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, async_graphql::Enum)]
pub(crate) enum ReplyKind {
    /// More of the reply's text.
    Text,
    /// A tool at work ("hledám židle do 3 000 Kč…").
    Activity,
    /// The reply is complete and stored.
    Done,
}

/// The reply channel shared by all instances.
pub(crate) type LiveReplies = Hub<ReplyEvent>;

/// A UUID as its text in JSON.
mod uuid_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use sqlx::types::Uuid;

    pub(super) fn serialize<S: Serializer>(id: &Uuid, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(id)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Uuid, D::Error> {
        let text = String::deserialize(deserializer)?;
        Uuid::parse_str(&text).map_err(serde::de::Error::custom)
    }
}
