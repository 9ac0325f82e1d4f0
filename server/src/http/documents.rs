//! `GET /doklady/{number}.pdf?klic=…`: a tax document's PDF. The key (from the e-mail, the
//! order page or the API) opens it; without the right key it does not exist.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::invoices::{pdf, store};

/// The query of a document link.
#[derive(serde::Deserialize)]
pub(super) struct Key {
    klic: Option<String>,
}

/// The PDF, drawn from the document's frozen particulars.
pub(super) async fn pdf(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(key): Query<Key>,
) -> Response {
    let Some(number) = file.strip_suffix(".pdf").filter(|n| n.len() <= 20) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let document = match store::by_number(&state.pool, number).await {
        Ok(Some(document)) => document,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot read a tax document");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let given = key.klic.unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(document.access_key.as_bytes())) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let settings = state.invoices.clone();
    let rendered = tokio::task::spawn_blocking(move || {
        let fonts = settings
            .fonts()
            .ok_or_else(|| "fonts are missing".to_owned())?;
        pdf::render(&document.content, fonts)
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()));
    match rendered {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{number}.pdf\""),
                ),
                (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
                (
                    header::HeaderName::from_static("x-robots-tag"),
                    "noindex".to_owned(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, number, "cannot draw a tax document");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Doklad teď nelze vytvořit, zkuste to prosím později.",
            )
                .into_response()
        }
    }
}
