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
    id name slug
    brand { name }
    category { name slug }
    variants { sku price { formatted } compareAtPrice { formatted } quantityAvailable }
    images { url altText }
    attributes { name value }
} } }"#;

/// Statements per page: products (1), variants (1), images (1), brands (1), attributes (1).
/// Categories come from the instance's category tree, read once per catalog change (1).
const STATEMENTS_PER_PAGE: usize = 5;

#[sqlx::test(migrations = "../migrations")]
async fn a_page_costs_a_fixed_number_of_statements(pool: PgPool) {
    let counter = StatementCounter::default();
    let _guard = tracing_subscriber::registry()
        .with(counter.clone())
        .set_default();
    let app = common::app(pool).await;
    for (size, tree_read) in [(5, 1), (50, 0), (5, 0)] {
        counter.0.store(0, Ordering::SeqCst);
        let data = common::data(&app, PAGE, json!({ "first": size })).await;
        assert_eq!(data["products"]["nodes"].as_array().unwrap().len(), size);
        assert!(data["products"]["nodes"][size - 1]["category"]["slug"].is_string());
        assert_eq!(
            counter.0.load(Ordering::SeqCst),
            STATEMENTS_PER_PAGE + tree_read,
            "page of {size}"
        );
    }
}
