//! Makes every GraphQL error safe and machine-readable before it leaves the server.
//!
//! Errors raised on purpose carry `extensions.code`. Anything else that a resolver returned
//! (a database error, say) is an internal failure: it is logged with the request's span (and so
//! its request id) and replaced by a generic `INTERNAL` error. Errors the GraphQL engine raises
//! about the request itself (syntax, validation, limits, argument types) get `BAD_USER_INPUT`.

//!
//! This runs on the finished response rather than as a schema extension: any extension makes
//! async-graphql wrap every field's resolution in the extension chain, a cost paid per field.

use async_graphql::{Response, ServerError, Value};

use crate::error::ErrorCode;

/// Gives every error of `response` a code and hides internal ones; a rate-limit error also
/// sets the HTTP `Retry-After` header.
pub(crate) fn sanitize(response: &mut Response) {
    for error in &mut response.errors {
        sanitize_error(error);
    }
    let retry_after = response.errors.iter().find_map(|error| {
        match error.extensions.as_ref()?.get("retryAfter")? {
            Value::Number(seconds) => Some(seconds.to_string()),
            _ => None,
        }
    });
    if let Some(value) = retry_after.and_then(|seconds| seconds.parse().ok()) {
        response
            .http_headers
            .insert(axum::http::header::RETRY_AFTER, value);
    }
}

fn sanitize_error(error: &mut ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some());
    if has_code {
        return;
    }
    if error.source.is_some() {
        tracing::error!(error = %error.message, path = ?error.path, "internal error in a resolver");
        error.message = "Internal server error".to_owned();
        error.source = None;
        set_code(error, ErrorCode::Internal);
    } else {
        set_code(error, ErrorCode::BadUserInput);
    }
}

fn set_code(error: &mut ServerError, code: ErrorCode) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", Value::from(code.as_str()));
}
