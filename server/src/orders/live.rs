//! Live order updates: a status change is published on Redis, every instance relays what it
//! hears to its own subscribers, so a shopper connected to any instance sees every change.

use std::time::Duration;

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::status::OrderStatus;
use crate::cache::Redis;

/// The Redis channel of status changes.
const CHANNEL: &str = "orders:status";
/// Changes buffered per instance for slow subscribers.
const BUFFER: usize = 1024;

/// A status change of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
pub struct OrderStatusChange {
    /// The order's number.
    pub number: String,
    /// The status before.
    pub from_status: OrderStatus,
    /// The status now.
    pub to_status: OrderStatus,
    /// When it changed.
    pub occurred_at: DateTime<Utc>,
}

/// Publishes changes and hands this instance's subscribers what any instance published.
#[derive(Clone)]
pub struct LiveOrders {
    redis: Redis,
    local: broadcast::Sender<OrderStatusChange>,
}

impl LiveOrders {
    /// Starts relaying Redis messages to this instance's subscribers (a background task).
    pub fn start(redis: Redis) -> Self {
        let (local, _) = broadcast::channel(BUFFER);
        let live = Self { redis, local };
        tokio::spawn(live.clone().relay());
        live
    }

    /// Announces a change to every instance. Without Redis, this instance's subscribers still
    /// hear it.
    pub async fn publish(&self, change: OrderStatusChange) {
        let published = match serde_json::to_string(&change) {
            Ok(json) => self.redis.publish(CHANNEL, &json).await,
            Err(_) => false,
        };
        if !published {
            let _ = self.local.send(change);
        }
    }

    /// The changes this instance hears from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<OrderStatusChange> {
        self.local.subscribe()
    }

    async fn relay(self) {
        loop {
            match self.redis.subscribe(CHANNEL).await {
                Ok(mut messages) => {
                    while let Some(message) = messages.next().await {
                        let change = message
                            .get_payload::<String>()
                            .ok()
                            .and_then(|json| serde_json::from_str(&json).ok());
                        if let Some(change) = change {
                            let _ = self.local.send(change);
                        }
                    }
                    tracing::warn!("the Redis subscription of order updates ended; reconnecting");
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot subscribe to order updates in Redis; retrying")
                }
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
}
