//! How the domains' errors reach clients.
//!
//! Services return their own error enums and know nothing of GraphQL. Each domain's GraphQL
//! layer implements [`ToClient`] for its enum: a failure the user can fix becomes `userErrors`
//! (field path, code, Czech message), a refusal becomes a GraphQL error with `extensions.code`,
//! and a database failure stays internal (logged and masked by the sanitiser).
//!
//! Resolvers go through [`ServiceResult`]; a domain error passed to `?` directly would compile
//! (async-graphql converts anything displayable) but reach the client as `INTERNAL`.

use async_graphql::ErrorExtensions;

use crate::error::{ErrorCode, api_error};
use crate::graphql::user_error::UserError;
use crate::rate_limit::RateLimited;

/// What a failure of a service is to a client.
pub(crate) enum ClientError {
    /// A GraphQL error with a code (refusals, internal failures).
    Error(async_graphql::Error),
    /// Problems of the input the user can fix, returned beside the payload.
    UserErrors(Vec<UserError>),
}

/// A domain error as the GraphQL layer answers it.
pub(crate) trait ToClient {
    /// Sorts the failure into a GraphQL error or `userErrors`.
    fn to_client(self) -> ClientError;
}

/// A service's result in a resolver.
pub(crate) trait ServiceResult<T> {
    /// For mutation payloads: fixable input as `Ok(Err(user_errors))`, anything else an error.
    fn or_user_errors(self) -> async_graphql::Result<Result<T, Vec<UserError>>>;
    /// For fields without `userErrors`: every failure as a GraphQL error (input problems as
    /// `BAD_USER_INPUT` with their messages).
    fn or_error(self) -> async_graphql::Result<T>;
}

impl<T, E: ToClient> ServiceResult<T> for Result<T, E> {
    fn or_user_errors(self) -> async_graphql::Result<Result<T, Vec<UserError>>> {
        match self.map_err(ToClient::to_client) {
            Ok(value) => Ok(Ok(value)),
            Err(ClientError::UserErrors(errors)) => Ok(Err(errors)),
            Err(ClientError::Error(error)) => Err(error),
        }
    }

    fn or_error(self) -> async_graphql::Result<T> {
        self.map_err(|error| match error.to_client() {
            ClientError::Error(error) => error,
            ClientError::UserErrors(errors) => {
                let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
                api_error(ErrorCode::BadUserInput, messages.join(" "))
            }
        })
    }
}

/// A mutation payload's two halves from a service's result: the value, or the `userErrors`
/// (anything else is a GraphQL error).
pub(crate) fn payload_parts<T, E: ToClient>(
    result: Result<T, E>,
) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    Ok(match result.or_user_errors()? {
        Ok(value) => (Some(value), Vec::new()),
        Err(user_errors) => (None, user_errors),
    })
}

/// A problem of one input field the user can fix: a `userErrors` entry with code `INVALID`.
pub(crate) fn invalid_field(field: &str, message: &str) -> ClientError {
    ClientError::UserErrors(vec![UserError::on(field, "INVALID", message)])
}

/// Something named does not exist: `NOT_FOUND`.
pub(crate) fn not_found(message: impl std::fmt::Display) -> ClientError {
    ClientError::Error(api_error(ErrorCode::NotFound, message.to_string()))
}

/// The file of a GraphQL multipart request sent for `file`.
pub(crate) fn uploaded(
    ctx: &async_graphql::Context<'_>,
    file: &async_graphql::Upload,
) -> async_graphql::Result<async_graphql::UploadValue> {
    file.value(ctx).map_err(|_| {
        api_error(
            ErrorCode::BadUserInput,
            "The file is missing from the request.",
        )
    })
}

/// An internal failure: its text is logged, the client sees `INTERNAL`.
pub(crate) fn internal(source: impl std::fmt::Display + Send + Sync + 'static) -> ClientError {
    ClientError::Error(async_graphql::Error::new_with_source(source))
}

impl ToClient for sqlx::Error {
    fn to_client(self) -> ClientError {
        internal(self)
    }
}

impl ToClient for RateLimited {
    fn to_client(self) -> ClientError {
        let retry_after = self.retry_after;
        ClientError::Error(
            api_error(ErrorCode::RateLimited, self.to_string())
                .extend_with(|_, ext| ext.set("retryAfter", retry_after)),
        )
    }
}
