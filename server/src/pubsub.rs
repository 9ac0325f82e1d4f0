//! Messages every instance hears: published on a Redis channel, relayed by each instance to its
//! own subscribers (one Redis subscription per channel and instance). Without Redis, this
//! instance's subscribers still hear what it publishes.

use std::marker::PhantomData;
use std::time::Duration;

use futures_util::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::broadcast;

use crate::cache::Redis;

/// Messages buffered per instance for slow subscribers.
const BUFFER: usize = 1024;

/// A channel of `T` messages shared by all instances.
pub struct Hub<T> {
    redis: Redis,
    channel: &'static str,
    local: broadcast::Sender<T>,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Hub<T> {
    fn clone(&self) -> Self {
        Self {
            redis: self.redis.clone(),
            channel: self.channel,
            local: self.local.clone(),
            kind: PhantomData,
        }
    }
}

impl<T: Serialize + DeserializeOwned + Clone + Send + 'static> Hub<T> {
    /// Starts relaying `channel`'s Redis messages to this instance's subscribers.
    pub fn open(redis: Redis, channel: &'static str) -> Self {
        let (local, _) = broadcast::channel(BUFFER);
        let hub = Self {
            redis,
            channel,
            local,
            kind: PhantomData,
        };
        tokio::spawn(hub.clone().relay());
        hub
    }

    /// Tells every instance.
    pub async fn publish(&self, message: T) {
        let published = match serde_json::to_string(&message) {
            Ok(json) => self.redis.publish(self.channel, &json).await,
            Err(_) => false,
        };
        if !published {
            let _ = self.local.send(message);
        }
    }

    /// What this instance hears from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<T> {
        self.local.subscribe()
    }

    async fn relay(self) {
        loop {
            match self.redis.subscribe(self.channel).await {
                Ok(mut messages) => {
                    while let Some(message) = messages.next().await {
                        let decoded = message
                            .get_payload::<String>()
                            .ok()
                            .and_then(|json| serde_json::from_str(&json).ok());
                        if let Some(decoded) = decoded {
                            let _ = self.local.send(decoded);
                        }
                    }
                    tracing::warn!(
                        channel = self.channel,
                        "a Redis subscription ended; reconnecting"
                    );
                }
                Err(error) => {
                    tracing::warn!(channel = self.channel, %error, "cannot subscribe in Redis; retrying")
                }
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
}
