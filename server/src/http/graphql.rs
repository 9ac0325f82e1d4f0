//! `POST /graphql`, `GET /graphql` (queries only) and `GET /graphiql`.

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::{parse_query, types::OperationType};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::{
    Extension,
    extract::{State, WebSocketUpgrade},
    http::{HeaderMap, Method, header},
    response::{Html, IntoResponse, Response},
};

use super::auth::{InvalidBearer, bearer_viewer};
use crate::AppState;
use crate::auth::{Via, Viewer};
use crate::error::{ErrorCode, api_error};
use crate::graphql::{self, Caller};

/// Executes one GraphQL request against the shop's schema. Batches are not accepted: one HTTP
/// request is one operation, which keeps limits and rate limits honest.
///
/// Cookie-authenticated mutations are accepted only as `POST` with a JSON body from the shop's
/// own origin: a cross-site form or script cannot use a shopper's session (CSRF).
pub async fn execute(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    invalid_bearer: Option<Extension<InvalidBearer>>,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let request = request.into_inner();
    if invalid_bearer.is_some() {
        return refuse(
            ErrorCode::Unauthenticated,
            "The access token is invalid or expired; refresh it or sign in again.",
        );
    }
    if method == Method::GET && !is_query(&request) {
        return refuse(
            ErrorCode::BadUserInput,
            "GET /graphql runs queries only; send mutations as POST",
        );
    }
    let by_cookie = caller
        .viewer
        .0
        .is_some_and(|viewer| viewer.via == Via::Cookie);
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if by_cookie && !is_query(&request) && !(caller.info.same_origin_browser && json) {
        return refuse(
            ErrorCode::Forbidden,
            "Signed-in mutations come only from the shop's own pages.",
        );
    }
    graphql::execute(&state.schema, &state.pool, caller, request)
        .await
        .into()
}

fn refuse(code: ErrorCode, message: &str) -> GraphQLResponse {
    async_graphql::Response::from_errors(vec![
        api_error(code, message).into_server_error(Default::default()),
    ])
    .into()
}

/// `GET /graphql/ws`: subscriptions over WebSocket (`graphql-transport-ws`, and the older
/// `graphql-ws`). Browsers are identified by the shop's cookies on the upgrade request; apps send
/// `{"Authorization": "Bearer …"}` as the `connection_init` payload.
pub async fn subscriptions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let (schema, tokens) = (state.schema.clone(), state.tokens.clone());
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload
                        .get("Authorization")
                        .and_then(|v| v.as_str())
                        .and_then(|v| v.strip_prefix("Bearer "));
                    let viewer = match token {
                        Some(token) => {
                            Viewer(Some(bearer_viewer(&tokens, token.trim()).ok_or_else(
                                || async_graphql::Error::new("invalid or expired access token"),
                            )?))
                        }
                        // A cookie session counts only on the shop's own pages: another site's
                        // script must not follow a shopper's orders (cross-site WebSocket).
                        None if caller.info.same_origin_browser => caller.viewer,
                        None => Viewer(None),
                    };
                    let mut info = caller.info;
                    if !info.same_origin_browser {
                        info.cart_cookie = None;
                    }
                    let mut data = async_graphql::Data::default();
                    data.insert(viewer);
                    data.insert(info);
                    Ok(data)
                })
                .serve()
        })
}

/// Whether the operation the request runs is a query (a parse error counts as one: the engine
/// reports it).
fn is_query(request: &async_graphql::Request) -> bool {
    let Ok(document) = parse_query(&request.query) else {
        return true;
    };
    document.operations.iter().all(|(name, operation)| {
        let chosen = match (&request.operation_name, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            _ => true,
        };
        !chosen || operation.node.ty == OperationType::Query
    })
}

/// `GET /graphiql`: the in-browser IDE, the admins' manual of the schema.
pub async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("Obchod – GraphiQL")
            .finish(),
    )
}
