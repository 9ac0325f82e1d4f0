//! Automatic persisted queries, as Apollo's clients speak them: a request names its document by
//! `extensions.persistedQuery = {"version": 1, "sha256Hash": "…"}` and sends the document itself
//! only the first time (or when told `PERSISTED_QUERY_NOT_FOUND`). Hash → document lives in Redis,
//! so every instance knows what any of them was taught. A repeat is a short `GET /graphql` that an
//! HTTP cache can keep: public catalog queries of anonymous callers are answered with
//! `Cache-Control: public` and an `ETag` made of the catalog version, the document and the
//! variables, and a matching `If-None-Match` gets `304` without running anything.

use std::time::Duration;

use async_graphql::parser::parse_query;
use async_graphql::parser::types::{ExecutableDocument, Selection};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::cache::Redis;
use crate::error::{ErrorCode, api_error};
use crate::graphql::parsed::chosen_operation;

/// How long a taught document is kept (a client that meets `PERSISTED_QUERY_NOT_FOUND` sends
/// it again).
const KEEP: Duration = Duration::from_secs(7 * 24 * 3600);
/// The largest document kept: real operations are a few kilobytes, and nobody fills Redis with
/// megabytes under made-up hashes (a larger one still runs, it is just not kept).
const MAX_KEPT_BYTES: usize = 16 * 1024;
/// How long HTTP caches may keep a public catalog answer without asking again.
pub(super) const PUBLIC_MAX_AGE_SECS: u32 = 60;
/// Root fields whose answers are the same for every anonymous caller until the catalog changes.
const PUBLIC_CATALOG_FIELDS: [&str; 10] = [
    "products",
    "product",
    "search",
    "searchSuggestions",
    "categories",
    "category",
    "brands",
    "node",
    "nodes",
    "__typename",
];

/// Why a persisted request cannot run; a GraphQL error for the client.
pub(super) fn not_found() -> async_graphql::Response {
    refusal(ErrorCode::PersistedQueryNotFound, "PersistedQueryNotFound")
}

fn refusal(code: ErrorCode, message: &str) -> async_graphql::Response {
    async_graphql::Response::from_errors(vec![
        api_error(code, message).into_server_error(Default::default()),
    ])
}

/// Resolves `extensions.persistedQuery` of a request's parameters: fills in `query` from the
/// store, or stores the `query` that came with it (after checking its hash). `Ok(Some(hash))`
/// for a persisted request, `Ok(None)` for a plain one.
pub(super) async fn resolve(
    redis: &Redis,
    params: &mut Map<String, Value>,
) -> Result<Option<String>, async_graphql::Response> {
    let Some(persisted) = params
        .get("extensions")
        .and_then(|e| e.get("persistedQuery"))
    else {
        return Ok(None);
    };
    let hash = persisted
        .get("sha256Hash")
        .and_then(Value::as_str)
        .filter(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .map(str::to_owned);
    let (Some(hash), Some(1)) = (hash, persisted.get("version").and_then(Value::as_i64)) else {
        return Err(refusal(
            ErrorCode::BadUserInput,
            "persistedQuery needs version 1 and a sha256Hash of 64 lowercase hex digits",
        ));
    };
    let key = format!("apq:{hash}");
    match params.get("query").and_then(Value::as_str) {
        Some(document) => {
            if hex::encode(Sha256::digest(document.as_bytes())) != hash {
                return Err(refusal(
                    ErrorCode::BadUserInput,
                    "provided sha does not match query",
                ));
            }
            if document.len() <= MAX_KEPT_BYTES && parse_query(document).is_ok() {
                redis.put(&key, document, KEEP).await;
            }
        }
        None => match redis.get(&key).await {
            Some(document) => {
                params.insert("query".into(), Value::String(document));
            }
            None => return Err(not_found()),
        },
    }
    Ok(Some(hash))
}

/// Whether every root field of the operation that runs is a public catalog field (fragments at
/// the root are not looked into: such a query is simply not cached).
pub(super) fn is_public_catalog(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    chosen_operation(document, operation).is_some_and(|operation| {
        operation
            .node
            .selection_set
            .node
            .items
            .iter()
            .all(|selection| match &selection.node {
                Selection::Field(field) => {
                    PUBLIC_CATALOG_FIELDS.contains(&field.node.name.node.as_str())
                }
                _ => false,
            })
    })
}

/// The entity tag of a persisted query's answer: the catalog version, then a digest of the
/// document, the operation and the variables.
pub(super) fn etag(catalog_version: i64, hash: &str, request: &async_graphql::Request) -> String {
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    let mut digest = Sha256::new();
    digest.update(hash.as_bytes());
    digest.update([0]);
    digest.update(
        request
            .operation_name
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
    );
    digest.update([0]);
    digest.update(variables.as_bytes());
    format!(
        "W/\"c{catalog_version}-{}\"",
        &hex::encode(digest.finalize())[..20]
    )
}
