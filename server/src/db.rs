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
    // Prepared statements are planned once per connection, not at every execution: PostgreSQL
    // otherwise keeps re-planning statements with array parameters (`id = ANY ($1)`, the batch
    // loaders), which was two thirds of its CPU on a product listing. The shop's statements are
    // lookups whose plans we compared both ways: the same indexes (docs/decisions.md).
    let mut options = PgConnectOptions::from_str(url)?
        .options([("jit", "off"), ("plan_cache_mode", "force_generic_plan")]);
    if let Some(timeout) = statement_timeout {
        let milliseconds = timeout.as_millis().to_string();
        options = options.options([("statement_timeout", milliseconds.as_str())]);
    }
    // sqlx pings a connection (a round trip to PostgreSQL) every time it is taken from the pool:
    // four extra round trips per product listing. A connection that worked moments ago is taken
    // as it is; one idle for longer is pinged first, and replaced when that fails.
    PgPoolOptions::new()
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_WHEN_IDLE_FOR {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_with(options)
        .await
}

/// A pooled connection idle this long is pinged before use (one that worked within it is not).
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

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

/// A stored name the code does not know (a status, a role, a kind): an error, never some
/// default.
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} {name:?}")]
pub struct UnknownName {
    /// What was named, e.g. "order status".
    pub what: &'static str,
    /// The name.
    pub name: String,
}

/// Stores an enum as its text name (`as_str()`), and reads it back with `FromStr`, which knows
/// exactly the `known` values: `text_enum!(Role, "role", [Self::Customer, Self::Admin]);`.
macro_rules! text_enum {
    ($name:ident, $what:literal, $known:expr) => {
        impl std::str::FromStr for $name {
            type Err = $crate::db::UnknownName;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                $known
                    .into_iter()
                    .find(|known| known.as_str() == name)
                    .ok_or_else(|| $crate::db::UnknownName {
                        what: $what,
                        name: name.to_owned(),
                    })
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }

        impl sqlx::Decode<'_, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'_>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(<&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?.parse()?)
            }
        }
    };
}
pub(crate) use text_enum;

/// Reads a record from a row by column position and defines `COLUMNS`, its select list in the
/// same order, so the two cannot drift apart: `read_by_position!(Brand { id: "b.id", name:
/// "b.name" });`. sqlx's derive looks each column up by name, a hash per column and row: a
/// twentieth of a product page's CPU. For the records a page reads by the hundred.
macro_rules! read_by_position {
    ($record:ident { $first:ident: $first_sql:literal $(, $field:ident: $sql:literal)* $(,)? }) => {
        impl $record {
            /// The select list of this record, in the order `FromRow` reads it.
            pub(crate) const COLUMNS: &'static str = concat!($first_sql $(, ", ", $sql)*);
        }

        impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for $record {
            fn from_row(row: &'r sqlx::postgres::PgRow) -> sqlx::Result<Self> {
                let mut next = 0_usize;
                let mut column = || {
                    next += 1;
                    next - 1
                };
                // Struct fields are evaluated in the order written: the order of `COLUMNS`.
                Ok(Self {
                    $first: $crate::db::column(row, column())?,
                    $($field: $crate::db::column(row, column())?,)*
                })
            }
        }
    };
}

pub(crate) use read_by_position;

/// Column `index` of `row` as `T`, for [`read_by_position`]. Every build decodes with `T`'s own
/// checks (length, UTF-8, range); debug builds, which run the tests, also compare the column's
/// SQL type with the types `T` reads, as `try_get` does for every value. Release builds skip
/// that comparison, a sixth of reading a page's rows: the select list sits beside the struct
/// and a mismatch fails the tests.
pub(crate) fn column<'r, T>(row: &'r sqlx::postgres::PgRow, index: usize) -> sqlx::Result<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    use sqlx::Row as _;
    if cfg!(debug_assertions) {
        row.try_get(index)
    } else {
        row.try_get_unchecked(index)
    }
}
