//! PostgreSQL: the pool, database creation and migrations.

use std::{str::FromStr, time::Duration};

use sqlx::{
    Connection, PgConnection, PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

/// Opens the connection pool. `statement_timeout` bounds every statement of the pool (requests
/// must not be able to keep the database busy); maintenance (migrations, seeding) runs without.
pub async fn connect(
    url: &str,
    max_connections: u32,
    statement_timeout: Option<Duration>,
) -> sqlx::Result<PgPool> {
    // JIT compilation costs hundreds of milliseconds and pays off only for long analytical
    // queries; a shop's short queries crossing the cost threshold must not pay it.
    let mut options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
    if let Some(timeout) = statement_timeout {
        let milliseconds = timeout.as_millis().to_string();
        options = options.options([("statement_timeout", milliseconds.as_str())]);
    }
    PgPoolOptions::new()
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

/// Creates the database named in `url` when it does not exist yet (first start on a new machine).
pub async fn create_database_if_missing(url: &str) -> sqlx::Result<()> {
    let options = PgConnectOptions::from_str(url)?;
    let name = options.get_database().unwrap_or("postgres").to_owned();
    let mut admin = PgConnection::connect_with(&options.clone().database("postgres")).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await?;
    if !exists {
        // Identifiers cannot be bound; quote it as PostgreSQL does.
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::query(&format!("CREATE DATABASE {quoted}"))
            .execute(&mut admin)
            .await?;
        tracing::info!(database = %name, "created the database");
    }
    admin.close().await
}

/// Applies the migrations in `migrations/` that have not run yet.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("../migrations").run(pool).await
}
