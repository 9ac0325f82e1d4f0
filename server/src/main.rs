//! `server [serve | migrate | seed [--products N] | create-admin | export-schema | healthcheck]`

use std::process::ExitCode;

use server::mail::{self, smtp::Mailer};
use server::{
    AppState, accounts, cache::Redis, catalog, config::Config, db, graphql, http, seed, telemetry,
};

/// mimalloc: fewer cycles per allocation than glibc's malloc under many small, short-lived
/// allocations (GraphQL values, JSON), and less fragmentation over time. Built without
/// transparent huge pages (`no_thp`): with them every touched 2 MiB of its arena counted as
/// resident, 54 MB at start-up instead of 35.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: server [serve | migrate | seed [--products N] | create-admin | export-schema | healthcheck | assistant-eval]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_environment() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.mode);
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("migrate") => prepare_database(&config).await.map(|_| ()),
        Some("seed") => seed_command(&config, &args[1..]).await,
        Some("export-schema") => export_schema(&config),
        Some("healthcheck") => healthcheck(&config).await,
        Some("assistant-eval") => assistant_eval(&config).await,
        Some("create-admin") => create_admin(&config).await,
        Some(_) => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server stopped with an error");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// How often an idle instance looks for queued imports and due supplier feeds.
const IMPORT_POLL: std::time::Duration = std::time::Duration::from_secs(5);

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Serves the shop until SIGINT or SIGTERM; in-flight requests finish first.
async fn serve(mut config: Config) -> Result<(), AnyError> {
    let maintenance = prepare_database(&config).await?;
    config.jwt_secret =
        Some(server::auth::secret::signing_secret(&maintenance, config.jwt_secret.take()).await?);
    let redis = Redis::open(&config.redis_url, &config.redis_key_prefix)?;
    if config.seed_demo_data && seed::seed_if_empty(&maintenance, seed::DEMO_PRODUCTS).await? {
        catalog::catalog_changed(&redis).await;
        tracing::info!("the database was empty: loaded the demo catalog");
    }
    maintenance.close().await;
    let pool = db::connect(
        &config.database_url,
        config.database_max_connections,
        Some(config.database_statement_timeout),
    )
    .await?;
    if !redis.ping().await {
        tracing::warn!(url = %config.redis_url, "Redis does not answer; the shop runs without it");
    }
    if let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password) {
        accounts::service::ensure_admin(&pool, email, password).await?;
        tracing::info!(%email, "the admin account from ADMIN_EMAIL is ready");
    }
    let mailer = Mailer::new(&config.smtp_url, &config.mail_from)?;
    tokio::spawn(mail::worker::run(pool.clone(), mailer));
    let addr = config.listen_addr;
    let jobs_interval = config.jobs_interval;
    let state = AppState::new(config, pool.clone(), redis);
    tokio::spawn(server::jobs::run(state.clone(), jobs_interval));
    let importer = server::suppliers::worker::Importer::new(
        state.pool.clone(),
        state.redis.clone(),
        state.media.clone(),
        state.config.import_max_bytes,
    );
    tokio::spawn(importer.run(IMPORT_POLL));
    let app = http::router(state);
    let listener = http::listener(tokio::net::TcpListener::bind(addr).await?);
    tracing::info!("the shop listens on http://{addr} (GraphiQL at /graphiql)");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped gracefully");
    Ok(())
}

/// Creates the database when missing, connects and migrates.
async fn prepare_database(config: &Config) -> Result<sqlx::PgPool, AnyError> {
    db::create_database_if_missing(&config.database_url).await?;
    let pool = db::connect(&config.database_url, config.database_max_connections, None).await?;
    db::migrate(&pool).await?;
    Ok(pool)
}

async fn seed_command(config: &Config, args: &[String]) -> Result<(), AnyError> {
    let products = match args {
        [] => seed::DEMO_PRODUCTS,
        [flag, n] if flag == "--products" => n
            .parse()
            .map_err(|_| format!("--products takes a number, not {n:?}"))?,
        _ => return Err(USAGE.into()),
    };
    let pool = prepare_database(config).await?;
    if !seed::seed_if_empty(&pool, products).await? {
        return Err("the catalog already has products; seed an empty database".into());
    }
    catalog::catalog_changed(&Redis::open(&config.redis_url, &config.redis_key_prefix)?).await;
    Ok(())
}

/// Creates (or promotes) the admin named by `ADMIN_EMAIL` with the password in `ADMIN_PASSWORD`.
async fn create_admin(config: &Config) -> Result<(), AnyError> {
    let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password) else {
        return Err("set ADMIN_EMAIL and ADMIN_PASSWORD".into());
    };
    let pool = prepare_database(config).await?;
    accounts::service::ensure_admin(&pool, email, password).await?;
    println!("admin {email} is ready");
    Ok(())
}

/// Scores the built-in assistant on the evaluation set against the demo catalog (seeded first
/// into an empty database) and prints the figures.
async fn assistant_eval(config: &Config) -> Result<(), AnyError> {
    let pool = prepare_database(config).await?;
    seed::seed_if_empty(&pool, seed::DEMO_PRODUCTS).await?;
    let report = server::assistant::evaluation::built_in(&pool).await?;
    println!("built-in assistant, {} requests:", report.cases);
    println!(
        "  references satisfying their request: {}/{} = {:.1} %",
        report.satisfying,
        report.references,
        report.precision()
    );
    println!("  invented products or prices: {}", report.invented);
    println!(
        "  requests answered with products: {}/{}; rightly without products: {}",
        report.answered,
        report.expecting,
        report.cases - report.expecting
    );
    for failure in &report.failures {
        println!("  - {failure}");
    }
    Ok(())
}

/// Prints the schema's SDL (what `schema.graphql` holds).
fn export_schema(config: &Config) -> Result<(), AnyError> {
    let redis = Redis::open(&config.redis_url, &config.redis_key_prefix)?;
    print!(
        "{}",
        graphql::build_schemas(
            lazy_pool(config),
            redis.clone(),
            server::orders::live::LiveOrders::start(redis),
            config,
            graphql::token_keys(config),
            server::payments::Payments::new(&config.payments, &config.public_url),
        )
        .public
        .sdl()
    );
    Ok(())
}

/// A pool that never connects: enough to build the schema for its SDL.
fn lazy_pool(config: &Config) -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .connect_lazy(&config.database_url)
        .expect("DATABASE_URL is a valid URL")
}

/// Asks this machine's running server for `GET /health` (for container health checks, which
/// have no curl in the slim image).
async fn healthcheck(config: &Config) -> Result<(), AnyError> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut addr = config.listen_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let check = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream
            .write_all(b"GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .await?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await?;
        Ok::<_, std::io::Error>(
            answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"),
        )
    };
    match tokio::time::timeout(std::time::Duration::from_secs(2), check).await {
        Ok(Ok(true)) => Ok(()),
        _ => Err(format!("no healthy server at {addr}").into()),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}
