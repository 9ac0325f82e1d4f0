//! `schema.graphql` must be the exported SDL of the server's schema.

use server::{cache::Redis, config::Config, graphql::build_schemas};

#[tokio::test]
async fn schema_file_matches_the_code() {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .connect_lazy("postgres://localhost/unused")
        .unwrap();
    let redis = Redis::open("redis://127.0.0.1:6379", "unused").unwrap();
    let config = Config::from_environment().expect("configuration");
    let live = server::orders::live::LiveOrders::start(redis.clone());
    let schemas = build_schemas(
        pool,
        redis,
        live,
        &config,
        server::graphql::token_keys(&config),
        server::payments::Payments::new(&config.payments, &config.public_url),
    );
    let sdl = schemas.public.sdl();
    // The storefront's operations, checked against this file at compile time, run on `trusted`.
    assert!(schemas.trusted.sdl() == sdl, "both schemas are one schema");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &sdl).unwrap();
        return;
    }
    let file = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        file == sdl,
        "schema.graphql is out of date. Regenerate it with:\n  UPDATE_SCHEMA=1 cargo test -p server --test api schema_sdl\n(or `cargo run -p server -- export-schema > schema.graphql`) and commit it."
    );
}
