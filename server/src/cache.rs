//! Redis: shared state of all server instances (caches now; rate limits and pub/sub later).
//!
//! Every call is bounded by a short timeout and degrades to "no cache": while Redis is down the
//! shop keeps selling, only slower, and `/ready` reports it.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use redis::{
    AsyncCommands,
    aio::{ConnectionManager, ConnectionManagerConfig},
};
use serde::{Serialize, de::DeserializeOwned};
use tokio::sync::OnceCell;

/// The longest a cache call may take before the shop goes on without it.
const CALL_TIMEOUT: Duration = Duration::from_millis(100);
/// After a failure, Redis is left alone this long, so an outage costs one timeout per second,
/// not one per call, and a Redis that is back is used again within a second.
const COOL_DOWN: Duration = Duration::from_secs(1);
/// Windows the local fallback counter keeps before it drops the expired ones.
const LOCAL_WINDOWS: usize = 10_000;
/// How long a counter read from Redis is used before it is read again: a version every request
/// reads costs a round trip ~4 times a second instead of with every request. A bump through the
/// same handle is seen at once; another instance's within this time.
const COUNTER_FRESH_FOR: Duration = Duration::from_millis(250);

/// A handle to Redis, cheap to clone. Connects on first use, so a down Redis never stops
/// start-up, and reconnects by itself afterwards.
#[derive(Clone)]
pub struct Redis {
    client: redis::Client,
    connection: Arc<OnceCell<ConnectionManager>>,
    /// Until when calls skip Redis after a failure.
    resting_until: Arc<Mutex<Option<Instant>>>,
    /// Prefix of every key, so that several shops (or test databases) can share one Redis.
    prefix: String,
    /// Hit counters of this instance, used while Redis does not answer: limits then hold per
    /// instance instead of not at all.
    local_windows: Arc<Mutex<HashMap<String, (Instant, i64)>>>,
    /// [`Self::cached`] values being computed on this instance, by key, as JSON.
    computing: Arc<Mutex<HashMap<String, Arc<OnceCell<String>>>>>,
    /// [`Self::counter`] values as last read or set through this handle, by key.
    counters: Arc<Mutex<HashMap<String, CounterReading>>>,
}

/// A counter's value and when it was asked for.
#[derive(Clone, Copy)]
struct CounterReading {
    value: i64,
    asked_at: Instant,
}

impl Redis {
    /// Checks the URL; does not connect yet. Keys start with `prefix:`.
    pub fn open(url: &str, prefix: &str) -> redis::RedisResult<Self> {
        Ok(Self {
            client: redis::Client::open(url)?,
            connection: Default::default(),
            resting_until: Default::default(),
            prefix: prefix.to_owned(),
            local_windows: Default::default(),
            computing: Default::default(),
            counters: Default::default(),
        })
    }

    async fn connection(&self) -> Option<ConnectionManager> {
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(CALL_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT));
        let connect = ConnectionManager::new_with_config(self.client.clone(), config);
        match self.connection.get_or_try_init(|| connect).await {
            Ok(connection) => Some(connection.clone()),
            Err(error) => {
                self.rest(&error.to_string());
                None
            }
        }
    }

    /// Runs one command with the timeout; `None` when Redis did not answer in time, or is
    /// resting after a recent failure.
    async fn call<T, F, Fut>(&self, command: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let resting = self
            .resting_until
            .lock()
            .ok()
            .and_then(|until| *until)
            .is_some_and(|t| Instant::now() < t);
        if resting {
            return None;
        }
        let connection = self.connection().await?;
        match tokio::time::timeout(CALL_TIMEOUT, command(connection)).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(error)) => {
                self.rest(&error.to_string());
                None
            }
            Err(_) => {
                self.rest("timed out");
                None
            }
        }
    }

    fn rest(&self, reason: &str) {
        tracing::warn!(
            reason,
            "Redis is unavailable; going on without it for {COOL_DOWN:?}"
        );
        if let Ok(mut until) = self.resting_until.lock() {
            *until = Some(Instant::now() + COOL_DOWN);
        }
    }

    /// Whether Redis answers a `PING`.
    pub async fn ping(&self) -> bool {
        self.call(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await })
            .await
            .is_some()
    }

    /// The value cached under `key`, or `compute`d and cached for `ttl`. Errors of `compute` are
    /// returned and not cached; a missing or failing Redis only means computing every time.
    ///
    /// A key is computed once at a time per instance: callers that miss while another computes
    /// it wait for that result instead of running the same query. Without this, a value that
    /// expired (or a catalog change that moved every key) under load sent each waiting request
    /// to the database at once, and rendered pages stalled for hundreds of milliseconds.
    pub async fn cached<T, E, Fut>(
        &self,
        key: &str,
        ttl: Duration,
        compute: impl FnOnce() -> Fut,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
        Fut: Future<Output = Result<T, E>>,
    {
        let key = format!("{}:{key}", self.prefix);
        let hit: Option<Option<String>> = self
            .call(|mut c| {
                let key = key.clone();
                async move { c.get(key).await }
            })
            .await;
        if let Some(value) = hit
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
        {
            return Ok(value);
        }
        let flight = self.flight(&key);
        let mut compute = Some(compute);
        let mut computed = None;
        let shared = flight
            .get_or_try_init(|| async {
                let value = (compute.take().expect("the cell runs one initialiser"))().await?;
                let json = serde_json::to_string(&value).unwrap_or_default();
                computed = Some(value);
                Ok(json)
            })
            .await
            .cloned();
        let outcome = match (shared, computed) {
            (Ok(json), Some(value)) => {
                let seconds = ttl.as_secs().max(1);
                self.call(|mut c| {
                    let key = key.clone();
                    async move { c.set_ex::<_, _, ()>(key, json, seconds).await }
                })
                .await;
                Ok(value)
            }
            (Ok(json), None) => match serde_json::from_str(&json) {
                Ok(value) => Ok(value),
                // A value whose JSON does not read back is computed by each caller.
                Err(_) => compute.take().expect("this caller ran no initialiser")().await,
            },
            (Err(error), _) => Err(error),
        };
        self.land(&key, &flight);
        outcome
    }

    /// The computation of `key` in flight on this instance, or a new one.
    fn flight(&self, key: &str) -> Arc<OnceCell<String>> {
        let mut computing = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        computing.entry(key.to_owned()).or_default().clone()
    }

    /// Forgets the computation of `key` once it has a value or nobody else waits for it.
    fn land(&self, key: &str, flight: &Arc<OnceCell<String>>) {
        let mut computing = self.computing.lock().unwrap_or_else(|e| e.into_inner());
        let ours = computing.get(key).is_some_and(|f| Arc::ptr_eq(f, flight));
        if ours && (flight.initialized() || Arc::strong_count(flight) <= 2) {
            computing.remove(key);
        }
    }

    /// Keeps `value` under `key` for `ttl`; false when Redis did not take it.
    pub async fn put(&self, key: &str, value: &str, ttl: Duration) -> bool {
        let key = format!("{}:{key}", self.prefix);
        let (value, seconds) = (value.to_owned(), ttl.as_secs().max(1));
        self.call(|mut c| async move { c.set_ex::<_, _, ()>(key, value, seconds).await })
            .await
            .is_some()
    }

    /// The value kept under `key`, if any (and Redis answers).
    pub async fn get(&self, key: &str) -> Option<String> {
        let key = format!("{}:{key}", self.prefix);
        self.call(|mut c| async move { c.get::<_, Option<String>>(key).await })
            .await
            .flatten()
    }

    /// A counter under `key` (0 when unset or unreachable), e.g. a version of cached data: as
    /// read at most [`COUNTER_FRESH_FOR`] ago, or as bumped through this handle.
    pub async fn counter(&self, key: &str) -> i64 {
        let fresh = self.counters.lock().ok().and_then(|counters| {
            let reading = counters.get(key)?;
            (reading.asked_at.elapsed() < COUNTER_FRESH_FOR).then_some(reading.value)
        });
        if let Some(value) = fresh {
            return value;
        }
        let asked_at = Instant::now();
        let prefixed = format!("{}:{key}", self.prefix);
        let Some(value) = self
            .call(|mut c| async move { c.get::<_, Option<i64>>(prefixed).await })
            .await
        else {
            return 0;
        };
        let value = value.unwrap_or(0);
        self.remember(key, CounterReading { value, asked_at });
        value
    }

    /// Increments the counter under `key`, invalidating what was cached under its old value.
    pub async fn bump(&self, key: &str) {
        let asked_at = Instant::now();
        let prefixed = format!("{}:{key}", self.prefix);
        let bumped = self
            .call(|mut c| async move { c.incr::<_, _, i64>(prefixed, 1).await })
            .await;
        match bumped {
            Some(value) => self.remember(key, CounterReading { value, asked_at }),
            // Whether it moved is unknown: read it again next time.
            None => {
                if let Ok(mut counters) = self.counters.lock() {
                    counters.remove(key);
                }
            }
        }
    }

    /// Keeps `reading` of the counter `key` unless a later-asked one arrived first.
    fn remember(&self, key: &str, reading: CounterReading) {
        let Ok(mut counters) = self.counters.lock() else {
            return;
        };
        match counters.get_mut(key) {
            Some(kept) if kept.asked_at > reading.asked_at => {}
            Some(kept) => *kept = reading,
            None => {
                counters.insert(key.to_owned(), reading);
            }
        }
    }

    /// Counts one hit in the fixed window `key` (which starts with its first hit and lasts
    /// `window`); returns the hits so far and the seconds until the window closes. Counted in
    /// Redis for all instances; while Redis does not answer, in this instance.
    pub async fn hit(&self, key: &str, window: Duration) -> (i64, i64) {
        let key = format!("{}:{key}", self.prefix);
        let seconds = window.as_secs().max(1);
        let shared = self
            .call(|mut c| {
                let key = key.clone();
                async move {
                    let (count, _, ttl): (i64, i64, i64) = redis::pipe()
                        .atomic()
                        .incr(&key, 1)
                        .cmd("EXPIRE")
                        .arg(&key)
                        .arg(seconds)
                        .arg("NX")
                        .ttl(&key)
                        .query_async(&mut c)
                        .await?;
                    Ok((count, ttl.max(1)))
                }
            })
            .await;
        shared.unwrap_or_else(|| self.hit_locally(key, window))
    }

    fn hit_locally(&self, key: String, window: Duration) -> (i64, i64) {
        let now = Instant::now();
        let mut windows = self
            .local_windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() >= LOCAL_WINDOWS {
            windows.retain(|_, (ends, _)| *ends > now);
        }
        let (ends, count) = windows.entry(key).or_insert((now + window, 0));
        if *ends <= now {
            (*ends, *count) = (now + window, 0);
        }
        *count += 1;
        let left = ends.saturating_duration_since(now).as_secs().max(1);
        (*count, i64::try_from(left).unwrap_or(i64::MAX))
    }

    /// Forgets the window `key`.
    pub async fn reset(&self, key: &str) {
        let key = format!("{}:{key}", self.prefix);
        if let Ok(mut windows) = self.local_windows.lock() {
            windows.remove(&key);
        }
        self.call(|mut c| async move { c.del::<_, ()>(key).await })
            .await;
    }

    /// Publishes `message` on `channel` (to every instance's subscribers); false when Redis
    /// did not take it.
    pub async fn publish(&self, channel: &str, message: &str) -> bool {
        let channel = format!("{}:{channel}", self.prefix);
        let message = message.to_owned();
        self.call(|mut c| async move { c.publish::<_, _, i64>(channel, message).await })
            .await
            .is_some()
    }

    /// A stream of the messages published on `channel`, on a connection of its own.
    pub async fn subscribe(&self, channel: &str) -> redis::RedisResult<redis::aio::PubSubStream> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub
            .subscribe(format!("{}:{channel}", self.prefix))
            .await?;
        Ok(pubsub.into_on_message())
    }
}
