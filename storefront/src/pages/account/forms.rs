//! Running a form's mutation from the browser.

use graphql_client::GraphQLQuery;

use crate::api::{ApiError, Client, run};

/// Sends the mutation `Q` and hands its result to `done`, in the browser.
pub fn submit<Q>(
    variables: Q::Variables,
    done: impl FnOnce(Result<Q::ResponseData, ApiError>) + 'static,
) where
    Q: GraphQLQuery + 'static,
    Q::Variables: 'static,
{
    let client = Client::from_context();
    leptos::task::spawn_local(async move { done(run::<Q>(&client, variables).await) });
}
