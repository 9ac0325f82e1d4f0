//! Every nested relation is batch-loaded: a page of products costs the same handful of SQL
//! statements whatever its size.

use crate::common;

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use serde_json::json;
use sqlx::PgPool;
use tracing::{Event, Subscriber};
use tracing_subscriber::{Layer, layer::Context, prelude::*};

/// Counts the statements sqlx reports (one `sqlx::query` event per statement executed).
#[derive(Clone, Default)]
struct StatementCounter(Arc<AtomicUsize>);

impl<S: Subscriber> Layer<S> for StatementCounter {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

const PAGE: &str = r#"query ($first: Int!) { products(first: $first) { nodes {
    id name slug description
    brand { name }
    category { name slug }
    variants { sku price { formatted } compareAtPrice { formatted } quantityAvailable }
    images { url altText }
    featuredImage { url }
    attributes { name value }
} } }"#;

/// Statements per page: products (1), their descriptions (1, read only when asked for),
/// variants (1), images (1, the first images taken from them), attributes (1).
/// Categories and brands come from the instance's catalog snapshot, read once per catalog
/// change (2).
const STATEMENTS_PER_PAGE: usize = 5;

#[sqlx::test(migrations = "../migrations")]
async fn a_page_costs_a_fixed_number_of_statements(pool: PgPool) {
    let counter = StatementCounter::default();
    let _guard = tracing_subscriber::registry()
        .with(counter.clone())
        .set_default();
    let app = common::app(pool).await;
    for (size, snapshot_read) in [(5, 2), (50, 0), (5, 0)] {
        counter.0.store(0, Ordering::SeqCst);
        let data = common::data(&app, PAGE, json!({ "first": size })).await;
        assert_eq!(data["products"]["nodes"].as_array().unwrap().len(), size);
        let last = &data["products"]["nodes"][size - 1];
        assert!(last["category"]["slug"].is_string());
        assert!(!last["description"].as_str().unwrap().is_empty());
        assert_eq!(
            counter.0.load(Ordering::SeqCst),
            STATEMENTS_PER_PAGE + snapshot_read,
            "page of {size}"
        );
    }
}

/// Cards ask for the first image only: one row per product, the same image the gallery starts
/// with, and no statement more.
#[sqlx::test(migrations = "../migrations")]
async fn cards_read_one_image_per_product(pool: PgPool) {
    const CARDS: &str = r#"{ products(first: 8) { nodes {
        slug brand { name } featuredImage { url altText } variants { id }
    } } }"#;
    const GALLERIES: &str = r#"{ products(first: 8) { nodes { slug images { url altText } } } }"#;
    let counter = StatementCounter::default();
    let _guard = tracing_subscriber::registry()
        .with(counter.clone())
        .set_default();
    let app = common::app(pool).await;
    common::data(&app, GALLERIES, json!({})).await; // reads the catalog snapshot
    counter.0.store(0, Ordering::SeqCst);
    let cards = common::data(&app, CARDS, json!({})).await;
    // Products, variants, first images.
    assert_eq!(counter.0.load(Ordering::SeqCst), 3);
    let galleries = common::data(&app, GALLERIES, json!({})).await;
    let cards = cards["products"]["nodes"].as_array().unwrap();
    assert_eq!(cards.len(), 8);
    for (card, gallery) in cards
        .iter()
        .zip(galleries["products"]["nodes"].as_array().unwrap())
    {
        assert_eq!(card["slug"], gallery["slug"]);
        let first = &gallery["images"][0];
        assert_eq!(card["featuredImage"]["url"], first["url"]);
        assert_eq!(card["featuredImage"]["altText"], first["altText"]);
        assert!(first["url"].is_string());
    }
}
