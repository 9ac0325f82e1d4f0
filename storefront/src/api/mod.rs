//! The storefront's only data source: typed GraphQL operations checked at compile time against
//! `schema.graphql`. During SSR they run in-process on the server's schema; in the browser they
//! are sent as `POST /graphql`.

mod operations;
mod transport;

use graphql_client::GraphQLQuery;
use serde::{Deserialize, Serialize};

pub use operations::*;
#[cfg(feature = "ssr")]
pub use transport::GraphqlExecutor;

/// Why an operation gave no data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// `extensions.code` of the first error, e.g. `NOT_FOUND`; `NETWORK` when the request failed.
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// Whether the thing asked for does not exist (the page answers 404).
    pub fn is_not_found(&self) -> bool {
        self.code == "NOT_FOUND"
    }

    pub(crate) fn network(message: impl ToString) -> Self {
        Self {
            code: "NETWORK".into(),
            message: message.to_string(),
        }
    }
}

/// Runs a typed operation and returns its data, or the first error.
pub async fn run<Q: GraphQLQuery>(
    client: &Client,
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError> {
    let body = serde_json::to_string(&Q::build_query(variables)).map_err(ApiError::network)?;
    let text = client.send(body).await?;
    // A failed non-null field leaves its key out of `data`, which then does not parse: the
    // errors alone say why.
    let response: graphql_client::Response<Q::ResponseData> = match serde_json::from_str(&text) {
        Ok(response) => response,
        Err(parse_error) => match serde_json::from_str::<ErrorsOnly>(&text) {
            Ok(ErrorsOnly { errors }) if !errors.is_empty() => graphql_client::Response {
                data: None,
                errors: Some(errors),
                extensions: None,
            },
            _ => return Err(ApiError::network(parse_error)),
        },
    };
    if let Some(error) = response.errors.into_iter().flatten().next() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|ext| ext.get("code"))
            .and_then(|c| c.as_str());
        return Err(ApiError {
            code: code.unwrap_or("INTERNAL").to_owned(),
            message: error.message,
        });
    }
    response
        .data
        .ok_or_else(|| ApiError::network("the response has no data"))
}

/// A response read for its errors only.
#[derive(Deserialize)]
struct ErrorsOnly {
    #[serde(default)]
    errors: Vec<graphql_client::Error>,
}

/// Sends operations: in-process during SSR, over HTTP in the browser.
#[derive(Clone)]
pub struct Client {
    #[cfg(feature = "ssr")]
    executor: Option<GraphqlExecutor>,
}

impl Client {
    /// The client for the current render: takes the server's executor from the context in SSR.
    pub fn from_context() -> Self {
        Self {
            #[cfg(feature = "ssr")]
            executor: leptos::prelude::use_context::<GraphqlExecutor>(),
        }
    }

    async fn send(&self, body: String) -> Result<String, ApiError> {
        #[cfg(feature = "ssr")]
        {
            let executor = self
                .executor
                .as_ref()
                .ok_or_else(|| ApiError::network("no GraphQL executor in context"))?;
            Ok(executor.execute(body).await)
        }
        #[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
        {
            transport::post(body).await
        }
        #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
        {
            let _ = body;
            Err(ApiError::network("built without a transport"))
        }
    }
}
