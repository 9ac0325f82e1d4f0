//! Live order updates: a status change is published on Redis, every instance relays what it
//! hears to its own subscribers, so a shopper connected to any instance sees every change.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::status::OrderStatus;
use crate::cache::Redis;
use crate::pubsub::Hub;

/// The Redis channel of status changes.
const CHANNEL: &str = "orders:status";

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
pub type LiveOrders = Hub<OrderStatusChange>;

impl Hub<OrderStatusChange> {
    /// Starts relaying order status changes (a background task).
    pub fn start(redis: Redis) -> Self {
        Self::open(redis, CHANNEL)
    }
}
