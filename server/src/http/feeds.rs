//! `GET /feeds/{heureka,zbozi}.xml`: the marketplace feeds, from storage, rebuilt when the
//! catalog changed since they were built (or after an hour, for stock), with `ETag` and `304`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::catalog::feeds::{self, Marketplace};

/// `GET /feeds/{file}`.
pub(super) async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(marketplace) = Marketplace::of_file(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let version = state
        .redis
        .counter(crate::catalog::CATALOG_VERSION_KEY)
        .await;
    let stored = match feeds::stored(&state.pool, marketplace).await {
        Ok(Some(feed)) if feed.catalog_version == version && feed.fresh => Ok(feed),
        Ok(_) => feeds::rebuild(&state.pool, marketplace, version, &state.config.public_url).await,
        Err(error) => Err(error),
    };
    let feed = match stored {
        Ok(feed) => feed,
        Err(error) => {
            tracing::error!(%error, feed = marketplace.name(), "could not build a marketplace feed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let cache = [
        (header::ETAG, feed.etag.clone()),
        (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(feed.etag.as_str())
    {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/xml; charset=utf-8".to_owned(),
        )],
        cache,
        feed.body,
    )
        .into_response()
}
