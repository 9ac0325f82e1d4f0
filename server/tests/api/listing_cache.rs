//! Listing counts and facets are cached in Redis, invalidated by catalog changes, and the shop
//! keeps answering when Redis is gone.

use crate::common;

use common::{app, app_with, data, test_redis};
use serde_json::json;
use server::{catalog, seed};
use sqlx::PgPool;

const COUNT: &str =
    r#"{ products(filter: { category: "knihy" }) { totalCount facets { brands { count } } } }"#;

#[sqlx::test(migrations = "../migrations")]
async fn aggregates_are_cached_until_the_catalog_changes(pool: PgPool) {
    let app = app(pool.clone()).await;
    let before = data(&app, COUNT, json!({})).await["products"]["totalCount"]
        .as_i64()
        .unwrap();
    sqlx::query("DELETE FROM products WHERE id = (SELECT min(p.id) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.slug = 'romany')")
        .execute(&pool)
        .await
        .unwrap();
    let cached = data(&app, COUNT, json!({})).await["products"]["totalCount"]
        .as_i64()
        .unwrap();
    assert_eq!(cached, before, "served from the cache");

    // Changed through another instance's handle: this one sees it within a second.
    let redis = test_redis(&pool, "redis://127.0.0.1:6379");
    catalog::catalog_changed(&redis).await;
    assert_eq!(redis.counter(catalog::CATALOG_VERSION_KEY).await, 1);
    let changed_at = std::time::Instant::now();
    let fresh = loop {
        let answer = data(&app, COUNT, json!({})).await;
        if answer["products"]["totalCount"].as_i64() == Some(before - 1) {
            break answer;
        }
        assert!(
            changed_at.elapsed() < std::time::Duration::from_secs(1),
            "the change did not reach this instance within a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let brand_total: i64 = fresh["products"]["facets"]["brands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_i64().unwrap())
        .sum();
    assert_eq!(brand_total, before - 1, "facets were invalidated too");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_shop_keeps_selling_without_redis(pool: PgPool) {
    seed::seed(&pool, common::TEST_PRODUCTS).await.unwrap();
    // Nothing listens on port 1: every Redis call fails fast.
    let app = app_with(pool.clone(), test_redis(&pool, "redis://127.0.0.1:1"));
    let d = data(&app, COUNT, json!({})).await;
    assert!(d["products"]["totalCount"].as_i64().unwrap() > 0);
    let ready = common::get(&app, "/ready").await;
    assert_eq!(ready.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json()["redis"], "down");
    assert_eq!(ready.json()["postgres"], "up");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_missing_value_is_computed_once_however_many_ask(pool: PgPool) {
    let redis = test_redis(&pool, "redis://127.0.0.1:6379");
    let runs = std::sync::atomic::AtomicUsize::new(0);
    let ask = || {
        redis.cached(
            "single-flight",
            std::time::Duration::from_secs(60),
            || async {
                runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                Ok::<_, std::convert::Infallible>(vec![42_i64])
            },
        )
    };
    let answers = futures_util::future::join_all((0..16).map(|_| ask())).await;
    assert!(answers.iter().all(|a| a.as_ref().unwrap() == &vec![42]));
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);

    let failing = redis
        .cached(
            "single-flight-error",
            std::time::Duration::from_secs(60),
            || async { Err::<i64, _>("database down") },
        )
        .await;
    assert_eq!(failing, Err("database down"), "errors reach the caller");
    let retried = redis
        .cached(
            "single-flight-error",
            std::time::Duration::from_secs(60),
            || async { Ok::<i64, &str>(7) },
        )
        .await;
    assert_eq!(retried, Ok(7), "an error is not remembered");
}
