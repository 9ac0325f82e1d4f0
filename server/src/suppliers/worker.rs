//! Runs import jobs: one at a time per instance, any number of instances at once (a job is
//! claimed with `SKIP LOCKED`). Rows go in batches; each batch is one transaction that also
//! moves the job's cursor, so a job whose worker crashed resumes after its last committed row and
//! no row is applied twice. Each row has its own savepoint: a bad row is an error of that row,
//! never a half-written product. A dry run does the same work and rolls every batch back.

use std::time::Duration;

use sqlx::{Acquire, PgPool, Postgres, Transaction};

use super::mapping::{Item, Mapping};
use super::source::{self, Entry, Fields};
use super::status::JobStatus;
use super::store::{self, JobRow, Link, Tally};
use crate::cache::Redis;
use crate::catalog::admin::service::{
    self as catalog, CatalogError, ProductFields, Retired, VariantFields,
};
use crate::media::Media;

/// Rows per transaction.
const BATCH_ROWS: usize = 500;
/// A running job whose worker has not reported for this long is taken over (resumed).
const STALE_AFTER_SECS: i64 = 120;

/// Why a job stopped without finishing normally.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The media store failed.
    #[error(transparent)]
    Storage(#[from] std::io::Error),
    /// Another worker resumed the job meanwhile; this one stepped back.
    #[error("another worker took the job over")]
    TakenOver,
}

/// What the worker needs: the database, Redis (catalog version), the media store, the HTTP
/// client for feed URLs and the size limit of a file.
#[derive(Clone)]
pub struct Importer {
    pool: PgPool,
    redis: Redis,
    media: Media,
    http: reqwest::Client,
    max_bytes: u64,
}

impl Importer {
    /// A worker over these connections; files larger than `max_bytes` are refused.
    pub fn new(pool: PgPool, redis: Redis, media: Media, max_bytes: u64) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(600))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self {
            pool,
            redis,
            media,
            http,
            max_bytes,
        }
    }

    /// Runs forever: queues the feeds that are due, then runs every waiting job, every `every`.
    pub async fn run(self, every: Duration) {
        loop {
            if let Err(error) = self.queue_due_feeds().await {
                tracing::warn!(%error, "could not queue supplier feeds");
            }
            loop {
                match self.run_next().await {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(%error, "an import job stopped");
                        break;
                    }
                }
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Queues an import of each supplier feed whose time has come.
    pub async fn queue_due_feeds(&self) -> Result<usize, ImportError> {
        let due = store::take_due_feeds(&self.pool).await?;
        for (supplier, admin, url) in &due {
            store::insert_job(&self.pool, *supplier, *admin, None, Some(url), false).await?;
        }
        Ok(due.len())
    }

    /// Claims the oldest waiting job (or one whose worker died) and runs it to its end; the
    /// job's id, or `None` when nothing waits.
    pub async fn run_next(&self) -> Result<Option<i64>, ImportError> {
        let Some(job) = store::claim_job(&self.pool, STALE_AFTER_SECS).await? else {
            return Ok(None);
        };
        let id = job.id;
        tracing::info!(
            job = id,
            supplier = job.supplier_id,
            resume_after = job.rows_done,
            "import started"
        );
        match self.run_job(job).await {
            Ok(()) | Err(ImportError::TakenOver) => Ok(Some(id)),
            Err(error) => {
                store::finish_job(
                    &self.pool,
                    id,
                    JobStatus::Failed,
                    Some("Import selhal na straně serveru; zkuste ho spustit znovu."),
                    0,
                    0,
                )
                .await?;
                Err(error)
            }
        }
    }

    async fn run_job(&self, job: JobRow) -> Result<(), ImportError> {
        let supplier = store::suppliers(&self.pool, Some(&[job.supplier_id]))
            .await?
            .pop();
        let (Some(actor), Some(supplier)) = (job.actor_id, supplier) else {
            let message = "Dodavatel nebo správce, který import spustil, už neexistuje.";
            return self.fail(&job, message).await;
        };
        let key = match (&job.file_key, &job.source_url) {
            (Some(key), _) => key.clone(),
            (None, Some(url)) => match self.download(url).await {
                Ok(key) => {
                    store::set_file(&self.pool, job.id, &key).await?;
                    key
                }
                Err(message) => return self.fail(&job, &message).await,
            },
            (None, None) => return self.fail(&job, "Import nemá soubor.").await,
        };
        let path = self.media.local_path(&key).await?;
        let mapping = supplier.mapping.0;
        let mut rows = source::read(path);
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut done = job.rows_done;
        let mut fatal = None;
        while let Some(entry) = rows.recv().await {
            match entry {
                Entry::Row { number, .. } if number as i64 <= job.rows_done => {}
                Entry::Row { number, fields } => {
                    batch.push((number as i64, fields));
                    if batch.len() == BATCH_ROWS {
                        done = self
                            .apply_batch(&job, actor, &mapping, &mut batch, done)
                            .await?;
                    }
                }
                Entry::Fatal(message) => {
                    fatal = Some(message);
                    break;
                }
            }
        }
        if !batch.is_empty() {
            self.apply_batch(&job, actor, &mapping, &mut batch, done)
                .await?;
        }
        let (archived, deleted) = match &fatal {
            None if !job.dry_run && self.imported_any(job.id).await? => {
                self.retire_unseen(&job, actor).await?
            }
            _ => (0, 0),
        };
        let status = if fatal.is_some() {
            JobStatus::Failed
        } else {
            JobStatus::Finished
        };
        store::finish_job(
            &self.pool,
            job.id,
            status,
            fatal.as_deref(),
            archived,
            deleted,
        )
        .await?;
        if !job.dry_run {
            crate::catalog::catalog_changed(&self.redis).await;
            crate::catalog::store::refresh_search_lexicon(&self.pool).await?;
        }
        tracing::info!(job = job.id, ?status, "import ended");
        Ok(())
    }

    async fn fail(&self, job: &JobRow, message: &str) -> Result<(), ImportError> {
        store::finish_job(&self.pool, job.id, JobStatus::Failed, Some(message), 0, 0).await?;
        Ok(())
    }

    /// Applies a batch of rows in one transaction with the job's cursor; returns the new cursor.
    async fn apply_batch(
        &self,
        job: &JobRow,
        actor: i64,
        mapping: &Mapping,
        batch: &mut Vec<(i64, Fields)>,
        done: i64,
    ) -> Result<i64, ImportError> {
        let last = batch.last().map_or(done, |(number, _)| *number);
        let mut tx = self.pool.begin().await?;
        let mut tally = Tally::default();
        let mut errors = Vec::new();
        let mut unchanged = Vec::new();
        for (number, fields) in batch.drain(..) {
            let item = fields.and_then(|fields| mapping.read(&fields));
            let item = match item {
                Ok(item) => item,
                Err(message) => {
                    tally.failed += 1;
                    errors.push((number, None, message));
                    continue;
                }
            };
            match apply_row(&mut tx, job, actor, &item).await? {
                Ok(Outcome::Created) => tally.created += 1,
                Ok(Outcome::Updated) => tally.updated += 1,
                Ok(Outcome::Unchanged) => {
                    tally.unchanged += 1;
                    unchanged.push(item.code);
                }
                Err(message) => {
                    tally.failed += 1;
                    errors.push((number, Some(item.code), message));
                }
            }
        }
        store::mark_seen(&mut tx, job.supplier_id, &unchanged, job.id).await?;
        if job.dry_run {
            tx.rollback().await?;
            tx = self.pool.begin().await?;
        }
        if !store::record_progress(&mut tx, job.id, done, last, tally).await? {
            return Err(ImportError::TakenOver);
        }
        store::insert_errors(&mut tx, job.id, &errors).await?;
        tx.commit().await?;
        if !job.dry_run && tally.created + tally.updated > 0 {
            crate::catalog::catalog_changed(&self.redis).await;
        }
        Ok(last)
    }

    async fn imported_any(&self, job: i64) -> Result<bool, ImportError> {
        let row = store::jobs(&self.pool, &[job]).await?.pop();
        Ok(row.is_some_and(|j| j.created + j.updated + j.unchanged > 0))
    }

    /// Takes off sale what the supplier's file no longer has: deleted, or archived when ordered.
    async fn retire_unseen(&self, job: &JobRow, actor: i64) -> Result<(i32, i32), ImportError> {
        let mut tx = self.pool.begin().await?;
        let (mut archived, mut deleted) = (0, 0);
        for product in store::unseen(&mut tx, job.supplier_id, job.id).await? {
            match catalog::retire_product(&mut tx, actor, product).await {
                Ok(Retired::Archived) => archived += 1,
                Ok(Retired::Deleted) => deleted += 1,
                Err(CatalogError::Database(error)) => return Err(error.into()),
                Err(_) => {}
            }
            store::unlink(&mut tx, job.supplier_id, product).await?;
        }
        tx.commit().await?;
        Ok((archived, deleted))
    }

    /// Downloads a feed into the media store, within the size limit; the key, or why not (Czech).
    async fn download(&self, url: &str) -> Result<String, String> {
        let temp = std::env::temp_dir().join(format!("lipa-feed-{}.part", uuid::Uuid::new_v4()));
        let result = self.download_to(url, &temp).await;
        let key = format!("imports/{}.dat", uuid::Uuid::new_v4());
        let stored = match result {
            Ok(()) => self
                .media
                .put_file(&key, &temp)
                .await
                .map_err(|e| format!("Soubor nelze uložit: {e}")),
            Err(message) => Err(message),
        };
        tokio::fs::remove_file(&temp).await.ok();
        stored.map(|()| key)
    }

    async fn download_to(&self, url: &str, to: &std::path::Path) -> Result<(), String> {
        use tokio::io::AsyncWriteExt;
        let unreachable = |e: reqwest::Error| format!("Feed nelze stáhnout: {e}");
        let mut response = self.http.get(url).send().await.map_err(unreachable)?;
        if !response.status().is_success() {
            return Err(format!(
                "Server dodavatele odpověděl {}.",
                response.status()
            ));
        }
        let mut file = tokio::fs::File::create(to)
            .await
            .map_err(|e| e.to_string())?;
        let mut size = 0u64;
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            size += chunk.len() as u64;
            if size > self.max_bytes {
                return Err(format!(
                    "Feed je větší než {} MB.",
                    self.max_bytes / 1_000_000
                ));
            }
            file.write_all(&chunk).await.map_err(|e| e.to_string())?;
        }
        file.flush().await.map_err(|e| e.to_string())
    }
}

/// What a row did to the catalog.
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Applies one item under a savepoint: the outcome, or the row's error in Czech (the savepoint
/// is rolled back); `Err` only when the database itself fails.
async fn apply_row(
    tx: &mut Transaction<'static, Postgres>,
    job: &JobRow,
    actor: i64,
    item: &Item,
) -> Result<Result<Outcome, String>, sqlx::Error> {
    let mut savepoint = tx.begin().await?;
    match write_item(&mut savepoint, job, actor, item).await {
        Ok(outcome) => {
            savepoint.commit().await?;
            Ok(Ok(outcome))
        }
        Err(CatalogError::Invalid { message, .. }) => {
            savepoint.rollback().await?;
            Ok(Err(message))
        }
        Err(CatalogError::NotFound(what, id)) => {
            savepoint.rollback().await?;
            Ok(Err(format!("{what} {id} neexistuje.")))
        }
        Err(CatalogError::Storage(error)) => Err(sqlx::Error::Io(error)),
        Err(CatalogError::Database(error)) => match error.as_database_error() {
            Some(e)
                if e.is_check_violation()
                    || e.is_unique_violation()
                    || e.is_foreign_key_violation() =>
            {
                savepoint.rollback().await?;
                Ok(Err(
                    "Položka porušuje pravidla katalogu (duplicitní nebo neplatná hodnota).".into(),
                ))
            }
            _ => Err(error),
        },
    }
}

async fn write_item(
    tx: &mut Transaction<'_, Postgres>,
    job: &JobRow,
    actor: i64,
    item: &Item,
) -> Result<Outcome, CatalogError> {
    let fingerprint = item.fingerprint();
    let link = store::link(tx, job.supplier_id, &item.code, &item.sku).await?;
    if link.as_ref().is_some_and(|l| l.fingerprint == fingerprint) {
        return Ok(Outcome::Unchanged);
    }
    let brand_id = match &item.brand {
        Some(name) => Some(catalog::brand_named(tx, actor, name).await?),
        None => None,
    };
    let product = ProductFields {
        name: Some(item.name.clone()),
        description: item.description.clone(),
        ean: item.ean.clone(),
        brand_id: Some(brand_id),
        category_id: Some(item.category_id),
        ..ProductFields::default()
    };
    let variant = VariantFields {
        sku: Some(item.sku.clone()),
        price: Some(item.price_gross),
        // A supplier's file has no "was" price: an import never shows a discount.
        compare_at_price: Some(None),
        vat_rate: Some(i32::from(item.vat_rate)),
        options: None,
    };
    let (product_id, variant_id, outcome) = match link {
        Some(link) => {
            catalog::update_product(tx, actor, link.product_id, product).await?;
            catalog::update_variant(tx, actor, link.variant_id, variant).await?;
            (link.product_id, link.variant_id, Outcome::Updated)
        }
        None => {
            let published = ProductFields {
                status: Some(crate::catalog::model::ProductStatus::Published),
                ..product
            };
            let created = catalog::create_product(tx, actor, published).await?;
            let variant = catalog::create_variant(tx, actor, created.id, variant).await?;
            (created.id, variant.id, Outcome::Created)
        }
    };
    if let Some(stock) = item.stock {
        let reason = format!("import dodavatele (úloha {})", job.id);
        crate::inventory::store::set_available(tx, variant_id, stock, &reason, actor).await?;
    }
    let link = Link {
        product_id,
        variant_id,
        fingerprint,
    };
    store::save_link(tx, job.supplier_id, &item.code, &link, job.id).await?;
    Ok(outcome)
}
