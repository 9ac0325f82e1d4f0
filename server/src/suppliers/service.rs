//! Suppliers and their mappings, and queuing imports of an uploaded file or of the supplier's
//! feed URL. The worker ([`super::worker`]) runs the queued imports.

use sqlx::PgPool;

use super::mapping::Mapping;
use super::store::{self, JobRow, SupplierRow};
use crate::media::Media;

/// Why a supplier change or an import request did not happen.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SupplierError {
    /// No such supplier.
    #[error("supplier {0} does not exist")]
    NotFound(i64),
    /// A value is not acceptable; nothing changed.
    #[error("{message}")]
    Invalid {
        /// The input field.
        field: &'static str,
        /// Why, in Czech.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The media store failed.
    #[error(transparent)]
    Storage(#[from] std::io::Error),
}

fn invalid(field: &'static str, message: impl Into<String>) -> SupplierError {
    SupplierError::Invalid {
        field,
        message: message.into(),
    }
}

/// A supplier as an admin sets it up.
#[derive(Debug, Clone)]
pub(crate) struct SupplierSettings {
    /// The supplier's name.
    pub name: String,
    /// How its files map onto the catalog.
    pub mapping: Mapping,
    /// Where its feed is fetched from, if anywhere.
    pub feed_url: Option<String>,
    /// How often the feed is fetched.
    pub fetch_every_hours: Option<i32>,
}

impl SupplierSettings {
    fn checked(self) -> Result<Self, SupplierError> {
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(invalid("name", "Název dodavatele musí mít 1 až 200 znaků."));
        }
        if let Some(problem) = self.mapping.problem() {
            return Err(invalid("mapping", problem));
        }
        let feed_url = self
            .feed_url
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        if let Some(url) = &feed_url {
            let parsed = reqwest::Url::parse(url).ok();
            if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            {
                return Err(invalid(
                    "feedUrl",
                    "Adresa feedu musí začínat http:// nebo https://.",
                ));
            }
        }
        if self
            .fetch_every_hours
            .is_some_and(|hours| !(1..=720).contains(&hours))
        {
            return Err(invalid(
                "fetchEveryHours",
                "Stahovat lze jednou za 1 až 720 hodin.",
            ));
        }
        Ok(Self {
            name,
            feed_url,
            ..self
        })
    }
}

/// Adds a supplier.
pub(crate) async fn create_supplier(
    pool: &PgPool,
    admin: i64,
    settings: SupplierSettings,
) -> Result<SupplierRow, SupplierError> {
    let s = settings.checked()?;
    let every = s.fetch_every_hours;
    store::insert_supplier(
        pool,
        admin,
        &s.name,
        &s.mapping,
        s.feed_url.as_deref(),
        every,
    )
    .await?
    .ok_or_else(|| invalid("name", "Dodavatel s tímto názvem už existuje."))
}

/// Changes a supplier's mapping and feed (its name stays).
pub(crate) async fn update_supplier(
    pool: &PgPool,
    id: i64,
    settings: SupplierSettings,
) -> Result<SupplierRow, SupplierError> {
    let s = settings.checked()?;
    let every = s.fetch_every_hours;
    store::update_supplier(pool, id, &s.mapping, s.feed_url.as_deref(), every)
        .await?
        .ok_or(SupplierError::NotFound(id))
}

/// Queues the import of an uploaded file (kept in the media store).
pub(crate) async fn import_file(
    pool: &PgPool,
    media: &Media,
    admin: i64,
    supplier: i64,
    content: &[u8],
    dry_run: bool,
) -> Result<JobRow, SupplierError> {
    existing(pool, supplier).await?;
    if content.is_empty() {
        return Err(invalid("file", "Soubor je prázdný."));
    }
    let key = format!("imports/{}.dat", uuid::Uuid::new_v4());
    media.put_bytes(&key, content).await?;
    Ok(store::insert_job(pool, supplier, Some(admin), Some(&key), None, dry_run).await?)
}

/// Queues an import of the supplier's feed URL now.
pub(crate) async fn import_feed(
    pool: &PgPool,
    admin: i64,
    supplier: i64,
    dry_run: bool,
) -> Result<JobRow, SupplierError> {
    let row = existing(pool, supplier).await?;
    let url = row
        .feed_url
        .ok_or_else(|| invalid("supplierId", "Dodavatel nemá adresu feedu."))?;
    Ok(store::insert_job(pool, supplier, Some(admin), None, Some(&url), dry_run).await?)
}

async fn existing(pool: &PgPool, id: i64) -> Result<SupplierRow, SupplierError> {
    store::suppliers(pool, Some(&[id]))
        .await?
        .pop()
        .ok_or(SupplierError::NotFound(id))
}
