//! Keeping the pickup points in step with Packeta, and finding them.

use std::time::Duration;

use sqlx::PgPool;

use super::{FeedSettings, PickupPoint, feed, store};

/// Most points one search returns.
pub const MAX_RESULTS: i64 = 50;
/// After a failed sync, the next try comes this much later.
const RETRY_AFTER: Duration = Duration::from_secs(600);

/// An open pickup point by its id, or `None` when there is none or it is closed.
pub async fn find_active(pool: &PgPool, id: &str) -> sqlx::Result<Option<PickupPoint>> {
    let id = id.trim();
    if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    store::active(pool, id).await
}

/// Open points matching `query` (city, street, name or PSČ; every word must match), nearest to
/// `near` (latitude, longitude) first when given; at most `limit` (1 to [`MAX_RESULTS`]).
pub async fn search(
    pool: &PgPool,
    query: &str,
    near: Option<(f64, f64)>,
    limit: i64,
) -> sqlx::Result<Vec<PickupPoint>> {
    let terms: Vec<String> = query
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .take(8)
        .collect();
    store::search(pool, &terms, near, limit.clamp(1, MAX_RESULTS)).await
}

/// What a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    /// Branches written (new or updated).
    pub written: u64,
    /// Points closed because the feed no longer lists them.
    pub closed: u64,
}

/// Why a sync did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The feed could not be fetched or read (in Czech, for the log and admins).
    #[error("{0}")]
    Feed(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Reads the feed once and writes it: all or nothing. A feed without a single Czech branch is
/// refused rather than closing every point.
pub async fn sync(
    pool: &PgPool,
    http: &reqwest::Client,
    url: &str,
    max_bytes: u64,
) -> Result<SyncReport, SyncError> {
    let bytes = download(http, url, max_bytes)
        .await
        .map_err(SyncError::Feed)?;
    let branches = tokio::task::spawn_blocking(move || feed::parse(&bytes))
        .await
        .map_err(|e| SyncError::Feed(e.to_string()))?
        .map_err(SyncError::Feed)?;
    if branches.is_empty() {
        return Err(SyncError::Feed(
            "Feed neobsahuje žádné výdejní místo v Česku.".into(),
        ));
    }
    let mut tx = pool.begin().await?;
    let (written, closed) = store::replace_all(&mut tx, &branches).await?;
    tx.commit().await?;
    Ok(SyncReport { written, closed })
}

/// Syncs when a feed is configured and the sync is due (one instance does it); for the job
/// runner.
pub async fn sync_if_due(pool: &PgPool, http: &reqwest::Client, settings: &FeedSettings) {
    let Some(url) = &settings.url else { return };
    match store::claim_sync(pool, settings.every).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(error) => return tracing::warn!(%error, "could not claim the pickup point sync"),
    }
    match sync(pool, http, url, settings.max_bytes).await {
        Ok(report) => tracing::info!(?report, "synced the pickup points"),
        Err(error) => {
            tracing::warn!(%error, "could not sync the pickup points");
            if let Err(error) = store::retry_sync_in(pool, RETRY_AFTER).await {
                tracing::warn!(%error, "could not schedule the next pickup point sync");
            }
        }
    }
}

async fn download(http: &reqwest::Client, url: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
    // The address carries the API key: errors are told without it.
    let unreachable =
        |e: reqwest::Error| format!("Feed výdejních míst nelze stáhnout: {}", e.without_url());
    let mut response = http.get(url).send().await.map_err(unreachable)?;
    if !response.status().is_success() {
        return Err(format!("Packeta odpověděla {}.", response.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if (body.len() + chunk.len()) as u64 > max_bytes {
            return Err(format!(
                "Feed výdejních míst je větší než {} MB.",
                max_bytes / 1_000_000
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
