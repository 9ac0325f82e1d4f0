//! All SQL of supplier feeds: suppliers, the links from their codes to catalog variants, and
//! import jobs with their errors.

use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, Transaction};

use super::mapping::Mapping;
use super::status::JobStatus;

/// A supplier.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SupplierRow {
    pub id: i64,
    pub name: String,
    pub mapping: Json<Mapping>,
    pub feed_url: Option<String>,
    pub fetch_every_hours: Option<i32>,
    pub next_fetch_at: Option<chrono::DateTime<chrono::Utc>>,
}

const SUPPLIER: &str = "id, name, mapping, feed_url, fetch_every_hours, next_fetch_at";

/// Adds a supplier; `None` when the name is taken.
pub(crate) async fn insert_supplier(
    db: impl PgExecutor<'_>,
    admin: i64,
    name: &str,
    mapping: &Mapping,
    feed_url: Option<&str>,
    every_hours: Option<i32>,
) -> sqlx::Result<Option<SupplierRow>> {
    sqlx::query_as(&format!(
        "INSERT INTO suppliers (name, mapping, feed_url, fetch_every_hours, next_fetch_at, created_by) \
         VALUES ($1, $2, $3, $4, CASE WHEN $3::text IS NOT NULL AND $4::int IS NOT NULL THEN now() END, $5) \
         ON CONFLICT (name) DO NOTHING RETURNING {SUPPLIER}"
    ))
    .bind(name)
    .bind(Json(mapping))
    .bind(feed_url)
    .bind(every_hours)
    .bind(admin)
    .fetch_optional(db)
    .await
}

/// Changes a supplier's mapping and schedule; `None` when there is no such supplier.
pub(crate) async fn update_supplier(
    db: impl PgExecutor<'_>,
    id: i64,
    mapping: &Mapping,
    feed_url: Option<&str>,
    every_hours: Option<i32>,
) -> sqlx::Result<Option<SupplierRow>> {
    sqlx::query_as(&format!(
        "UPDATE suppliers SET mapping = $2, feed_url = $3, fetch_every_hours = $4, \
                next_fetch_at = CASE WHEN $3::text IS NOT NULL AND $4::int IS NOT NULL THEN coalesce(next_fetch_at, now()) END \
          WHERE id = $1 RETURNING {SUPPLIER}"
    ))
    .bind(id)
    .bind(Json(mapping))
    .bind(feed_url)
    .bind(every_hours)
    .fetch_optional(db)
    .await
}

/// Suppliers by id.
pub(crate) async fn suppliers(
    db: impl PgExecutor<'_>,
    ids: Option<&[i64]>,
) -> sqlx::Result<Vec<SupplierRow>> {
    sqlx::query_as(&format!(
        "SELECT {SUPPLIER} FROM suppliers WHERE $1::bigint[] IS NULL OR id = ANY ($1) ORDER BY name"
    ))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Takes the suppliers whose feed is due (on one instance only) and sets their next fetch.
pub(crate) async fn take_due_feeds(
    db: impl PgExecutor<'_>,
) -> sqlx::Result<Vec<(i64, Option<i64>, String)>> {
    sqlx::query_as(
        "UPDATE suppliers s SET next_fetch_at = now() + make_interval(hours => s.fetch_every_hours) \
          WHERE s.id IN (SELECT id FROM suppliers WHERE feed_url IS NOT NULL AND next_fetch_at <= now() \
                          FOR UPDATE SKIP LOCKED) \
         RETURNING s.id, s.created_by, s.feed_url",
    )
    .fetch_all(db)
    .await
}

/// An import job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct JobRow {
    pub id: i64,
    pub supplier_id: i64,
    pub actor_id: Option<i64>,
    pub file_key: Option<String>,
    pub source_url: Option<String>,
    pub dry_run: bool,
    pub status: JobStatus,
    pub rows_done: i64,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub failed: i32,
    pub archived: i32,
    pub deleted: i32,
    pub message: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

const JOB: &str = "id, supplier_id, actor_id, file_key, source_url, dry_run, status, rows_done, \
                   created, updated, unchanged, failed, archived, deleted, message, created_at, finished_at";

/// Queues an import of a stored file or of a URL.
pub(crate) async fn insert_job(
    db: impl PgExecutor<'_>,
    supplier_id: i64,
    actor_id: Option<i64>,
    file_key: Option<&str>,
    source_url: Option<&str>,
    dry_run: bool,
) -> sqlx::Result<JobRow> {
    sqlx::query_as(&format!(
        "INSERT INTO import_jobs (supplier_id, actor_id, file_key, source_url, dry_run) \
         VALUES ($1, $2, $3, $4, $5) RETURNING {JOB}"
    ))
    .bind(supplier_id)
    .bind(actor_id)
    .bind(file_key)
    .bind(source_url)
    .bind(dry_run)
    .fetch_one(db)
    .await
}

/// Jobs by id.
pub(crate) async fn jobs(db: impl PgExecutor<'_>, ids: &[i64]) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {JOB} FROM import_jobs WHERE id = ANY ($1)"
    ))
    .bind(ids)
    .fetch_all(db)
    .await
}

/// The newest jobs of a supplier.
pub(crate) async fn jobs_of(
    db: impl PgExecutor<'_>,
    supplier_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {JOB} FROM import_jobs WHERE supplier_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(supplier_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Takes the oldest queued job, or a running one whose worker stopped beating for `stale_secs`
/// (a crash): it resumes after its last committed row.
pub(crate) async fn claim_job(
    db: impl PgExecutor<'_>,
    stale_secs: i64,
) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as(&format!(
        "UPDATE import_jobs SET status = 'RUNNING', heartbeat_at = now() \
          WHERE id = (SELECT id FROM import_jobs \
                       WHERE status = 'QUEUED' \
                          OR (status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1)) \
                       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING {JOB}"
    ))
    .bind(stale_secs as f64)
    .fetch_optional(db)
    .await
}

/// Records the downloaded file of a URL job.
pub(crate) async fn set_file(db: impl PgExecutor<'_>, job: i64, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE import_jobs SET file_key = $2, heartbeat_at = now() WHERE id = $1")
        .bind(job)
        .bind(key)
        .execute(db)
        .await
        .map(|_| ())
}

/// Counts of one batch of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub failed: i32,
}

/// Adds a batch's counts and moves the job's cursor from `from` to `to`; false when another
/// worker took the job over meanwhile (the caller then rolls back).
pub(crate) async fn record_progress(
    tx: &mut Transaction<'_, Postgres>,
    job: i64,
    from: i64,
    to: i64,
    tally: Tally,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE import_jobs SET rows_done = $3, created = created + $4, updated = updated + $5, \
                unchanged = unchanged + $6, failed = failed + $7, heartbeat_at = now() \
          WHERE id = $1 AND rows_done = $2 AND status = 'RUNNING'",
    )
    .bind(job)
    .bind(from)
    .bind(to)
    .bind(tally.created)
    .bind(tally.updated)
    .bind(tally.unchanged)
    .bind(tally.failed)
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Errors of one batch (at most [`MAX_STORED_ERRORS`] per job are kept).
pub(crate) async fn insert_errors(
    tx: &mut Transaction<'_, Postgres>,
    job: i64,
    errors: &[(i64, Option<String>, String)],
) -> sqlx::Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    let rows: Vec<i64> = errors.iter().map(|e| e.0).collect();
    let codes: Vec<Option<String>> = errors.iter().map(|e| e.1.clone()).collect();
    let messages: Vec<String> = errors.iter().map(|e| e.2.clone()).collect();
    sqlx::query(
        "INSERT INTO import_errors (job_id, row_number, code, message) \
         SELECT $1, r, c, m FROM UNNEST ($2::bigint[], $3::text[], $4::text[]) AS e (r, c, m) \
          WHERE (SELECT count(*) FROM import_errors WHERE job_id = $1) < $5 \
         ON CONFLICT DO NOTHING",
    )
    .bind(job)
    .bind(rows)
    .bind(codes)
    .bind(messages)
    .bind(MAX_STORED_ERRORS)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Errors kept per job; the count goes on.
pub(crate) const MAX_STORED_ERRORS: i64 = 1000;

/// A job's first errors.
pub(crate) async fn errors_of(
    db: impl PgExecutor<'_>,
    job: i64,
    limit: i64,
) -> sqlx::Result<Vec<(i64, Option<String>, String)>> {
    sqlx::query_as(
        "SELECT row_number, code, message FROM import_errors WHERE job_id = $1 ORDER BY row_number LIMIT $2",
    )
    .bind(job)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Ends a job.
pub(crate) async fn finish_job(
    db: impl PgExecutor<'_>,
    job: i64,
    status: JobStatus,
    message: Option<&str>,
    archived: i32,
    deleted: i32,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE import_jobs SET status = $2, message = $3, archived = $4, deleted = $5, finished_at = now() \
          WHERE id = $1",
    )
    .bind(job)
    .bind(status)
    .bind(message)
    .bind(archived)
    .bind(deleted)
    .execute(db)
    .await
    .map(|_| ())
}

/// The catalog variant a supplier code became.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Link {
    pub product_id: i64,
    pub variant_id: i64,
    pub fingerprint: String,
}

/// The link of a code, or else the variant that already has its SKU (taken over).
pub(crate) async fn link(
    tx: &mut Transaction<'_, Postgres>,
    supplier: i64,
    code: &str,
    sku: &str,
) -> sqlx::Result<Option<Link>> {
    sqlx::query_as(
        "SELECT product_id, variant_id, fingerprint FROM supplier_items WHERE supplier_id = $1 AND code = $2 \
         UNION ALL \
         SELECT v.product_id, v.id, '' FROM product_variants v \
          WHERE v.sku = $3 AND NOT EXISTS (SELECT 1 FROM supplier_items WHERE supplier_id = $1 AND code = $2) \
         LIMIT 1",
    )
    .bind(supplier)
    .bind(code)
    .bind(sku)
    .fetch_optional(&mut **tx)
    .await
}

/// Saves what a code became and was written as, seen by `job`.
pub(crate) async fn save_link(
    tx: &mut Transaction<'_, Postgres>,
    supplier: i64,
    code: &str,
    link: &Link,
    job: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO supplier_items (supplier_id, code, product_id, variant_id, fingerprint, seen_by_job) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (supplier_id, code) DO UPDATE SET product_id = $3, variant_id = $4, fingerprint = $5, seen_by_job = $6",
    )
    .bind(supplier)
    .bind(code)
    .bind(link.product_id)
    .bind(link.variant_id)
    .bind(&link.fingerprint)
    .bind(job)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Marks unchanged codes as seen by `job`.
pub(crate) async fn mark_seen(
    tx: &mut Transaction<'_, Postgres>,
    supplier: i64,
    codes: &[String],
    job: i64,
) -> sqlx::Result<()> {
    if codes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE supplier_items SET seen_by_job = $3 WHERE supplier_id = $1 AND code = ANY ($2)",
    )
    .bind(supplier)
    .bind(codes)
    .bind(job)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Products of the supplier's codes that `job` did not see.
pub(crate) async fn unseen(
    tx: &mut Transaction<'_, Postgres>,
    supplier: i64,
    job: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT product_id FROM supplier_items WHERE supplier_id = $1 AND seen_by_job <> $2",
    )
    .bind(supplier)
    .bind(job)
    .fetch_all(&mut **tx)
    .await
}

/// Forgets the supplier's codes of a product (archived after it left the supplier's file).
pub(crate) async fn unlink(
    tx: &mut Transaction<'_, Postgres>,
    supplier: i64,
    product_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM supplier_items WHERE supplier_id = $1 AND product_id = $2")
        .bind(supplier)
        .bind(product_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
