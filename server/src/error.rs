//! Errors clients see: GraphQL errors with a stable `extensions.code`.

use async_graphql::ErrorExtensions;

/// The codes in `extensions.code` that clients can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    RateLimited,
    Internal,
    /// An automatic persisted query's hash the shop does not know: send the document with it.
    PersistedQueryNotFound,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
        }
    }
}

/// A GraphQL error with a message for the client and a code for programs.
pub(crate) fn api_error(code: ErrorCode, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code.as_str()))
}

/// `NOT_FOUND` for a thing the client named, e.g. `not_found("Product", "zidle-x")`.
pub(crate) fn not_found(what: &str, key: &str) -> async_graphql::Error {
    api_error(
        ErrorCode::NotFound,
        format!("{what} \"{key}\" does not exist"),
    )
}

/// `BAD_USER_INPUT` with a message that says what to change.
pub(crate) fn bad_input(message: impl Into<String>) -> async_graphql::Error {
    api_error(ErrorCode::BadUserInput, message)
}
