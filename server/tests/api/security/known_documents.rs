//! An operation that passed full validation once is validated only for what depends on its
//! variables when it comes again: a second request must still be refused when its variables
//! make it too costly or do not fit their types, and a document that failed validation is
//! validated in full every time.

use serde_json::json;
use sqlx::PgPool;

use super::code;
use crate::common::{app, graphql};

/// Ten variant lists per product: cheap for a few products, over the complexity limit for 100.
fn costly_listing() -> String {
    let lists: String = (0..10)
        .map(|i| format!(" v{i}: variants {{ sku title price {{ amount formatted }} }}"))
        .collect();
    format!("query Costly($n: Int) {{ products(first: $n) {{ nodes {{ name{lists} }} }} }}")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_known_operation_still_has_its_variables_checked(pool: PgPool) {
    let app = app(pool).await;
    let query = costly_listing();

    let first = graphql(&app, &query, json!({ "n": 2 })).await;
    assert!(first["errors"].is_null(), "{first}");
    assert_eq!(
        first["data"]["products"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );

    // The same operation again: too costly with these variables…
    let costly = graphql(&app, &query, json!({ "n": 100 })).await;
    assert_eq!(code(&costly), "BAD_USER_INPUT", "{costly}");
    assert_eq!(costly["errors"][0]["message"], "Query is too complex.");
    assert!(costly["data"].is_null(), "{costly}");

    // …a variable of the wrong type…
    let mistyped = graphql(&app, &query, json!({ "n": "many" })).await;
    assert_eq!(code(&mistyped), "BAD_USER_INPUT", "{mistyped}");
    assert!(mistyped["data"]["products"].is_null(), "{mistyped}");

    // …and a variable a resolver refuses.
    let negative = graphql(&app, &query, json!({ "n": -1 })).await;
    assert_eq!(code(&negative), "BAD_USER_INPUT", "{negative}");

    let again = graphql(&app, &query, json!({ "n": 1 })).await;
    let first_product = &first["data"]["products"]["nodes"][0];
    assert_eq!(again["data"]["products"]["nodes"], json!([first_product]));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invalid_operation_is_refused_every_time(pool: PgPool) {
    let app = app(pool).await;
    let query = "query Bad($n: Int) { products(first: $n) { nodes { name price } } }";
    for _ in 0..2 {
        let reply = graphql(&app, query, json!({ "n": 2 })).await;
        assert_eq!(code(&reply), "BAD_USER_INPUT", "{reply}");
        assert!(reply["data"].is_null(), "{reply}");
    }
}
