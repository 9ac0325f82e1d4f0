//! `POST /graphql`, `GET /graphql` (queries only) and `GET /graphiql`.

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    Extension,
    body::Bytes,
    extract::{RawQuery, State, WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{Html, IntoResponse, Response},
};

use super::auth::{InvalidBearer, bearer_viewer};
use super::graphql_over_http::{self, MediaType};
use super::persisted;
use super::security::GRAPHIQL_POLICY;
use crate::AppState;
use crate::auth::{RequestInfo, Via, Viewer};
use crate::catalog::CATALOG_VERSION_KEY;
use crate::error::ErrorCode;
use crate::graphql::Caller;
use crate::graphql::executor::{SocketExecutor, refusal};

/// Executes one GraphQL request against the shop's schema, as the GraphQL-over-HTTP
/// specification says (see [`graphql_over_http`]). Batches are not accepted: one HTTP request
/// is one operation, which keeps limits and rate limits honest.
///
/// Cookie-authenticated mutations are accepted only as `POST` with a JSON body from the shop's
/// own origin: a cross-site form or script cannot use a shopper's session (CSRF).
pub(super) async fn execute(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    Extension(caller): Extension<Caller>,
    invalid_bearer: Option<Extension<InvalidBearer>>,
    body: Bytes,
) -> Response {
    let media = MediaType::accepted(&headers);
    let mut params = match graphql_over_http::params(&method, &headers, query.as_deref(), &body) {
        Ok(params) => params,
        Err(refusal) => return graphql_over_http::refused(media, refusal),
    };
    let persisted = match persisted::resolve(&state.redis, &mut params).await {
        Ok(persisted) => persisted,
        Err(refusal) => return graphql_over_http::respond(media, refusal, None),
    };
    let mut request = match graphql_over_http::request_from(params) {
        Ok(request) => request,
        Err(refusal) => return graphql_over_http::refused(media, refusal),
    };
    let anonymous = caller.viewer.0.is_none()
        && caller.info.cart_cookie.is_none()
        && invalid_bearer.is_none()
        && !headers.contains_key(header::AUTHORIZATION);
    let cacheable = method == Method::GET && anonymous && {
        let operation = request.operation_name.clone();
        (state.executor.document(&mut request))
            .is_some_and(|document| persisted::is_public_catalog(document, operation.as_deref()))
    };
    let Some(hash) = persisted.filter(|_| cacheable) else {
        return run(&state, &method, media, caller, invalid_bearer, request).await;
    };
    // A public catalog answer: the same for every anonymous caller until the catalog changes.
    let version = state.redis.counter(CATALOG_VERSION_KEY).await;
    let etag = persisted::etag(version, &hash, &request);
    let cache_headers = [
        (header::ETAG, etag.clone()),
        (
            header::CACHE_CONTROL,
            format!("public, max-age={}", persisted::PUBLIC_MAX_AGE_SECS),
        ),
    ];
    let seen = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    if seen {
        return (StatusCode::NOT_MODIFIED, cache_headers).into_response();
    }
    let mut response = run(&state, &method, media, caller, invalid_bearer, request).await;
    if response.status() == StatusCode::OK {
        for (name, value) in cache_headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
    }
    response
}

/// `POST /graphql/upload`: one operation with files, as the GraphQL multipart request
/// specification says (`operations`, `map`, then the files), e.g. a supplier's file for
/// `supplierImportUpload`. Its own body limit (`UPLOAD_MAX_MB`); otherwise the same rules as
/// `POST /graphql`: a browser session may use it only from the shop's own pages.
pub(super) async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(caller): Extension<Caller>,
    invalid_bearer: Option<Extension<InvalidBearer>>,
    body: Bytes,
) -> Response {
    let media = MediaType::accepted(&headers);
    let max_file = state.config.upload_max_bytes;
    let request = match graphql_over_http::parse_multipart(&headers, &body, max_file).await {
        Ok(request) => request,
        Err(refusal) => return graphql_over_http::refused(media, refusal),
    };
    run(
        &state,
        &Method::POST,
        media,
        caller,
        invalid_bearer,
        request,
    )
    .await
}

/// Runs a parsed request under the rules every HTTP way in shares.
async fn run(
    state: &AppState,
    method: &Method,
    media: MediaType,
    caller: Caller,
    invalid_bearer: Option<Extension<InvalidBearer>>,
    mut request: async_graphql::Request,
) -> Response {
    if invalid_bearer.is_some() {
        let message = "The access token is invalid or expired; refresh it or sign in again.";
        let refusal = refusal(ErrorCode::Unauthenticated, message);
        return graphql_over_http::respond(media, refusal, Some(StatusCode::UNAUTHORIZED));
    }
    if method == Method::GET && !is_query(state, &mut request) {
        let message = "GET /graphql runs queries only; send mutations as POST";
        let refusal = refusal(ErrorCode::BadUserInput, message);
        return graphql_over_http::respond(media, refusal, Some(StatusCode::METHOD_NOT_ALLOWED));
    }
    let by_cookie = caller
        .viewer
        .0
        .is_some_and(|viewer| viewer.via == Via::Cookie);
    // A POST is JSON by now, which browsers send cross-site only after a preflight.
    if by_cookie && !is_query(state, &mut request) && !caller.info.same_origin_browser {
        let message = "Signed-in mutations come only from the shop's own pages.";
        let refusal = refusal(ErrorCode::Forbidden, message);
        return graphql_over_http::respond(media, refusal, Some(StatusCode::FORBIDDEN));
    }
    let response = state.executor.execute(caller, request).await;
    graphql_over_http::respond(media, response, None)
}

/// `GET /graphql/ws`: subscriptions (and any other operation) over WebSocket
/// (`graphql-transport-ws`, and the older `graphql-ws`). Browsers on the shop's own pages are
/// identified by its cookies on the upgrade request (the auth middleware ignores cookies on an
/// upgrade from any other origin); apps send `{"Authorization": "Bearer …"}` as the
/// `connection_init` payload. Operations run through the same executor as `POST /graphql`, with
/// the same message size limit, plus caps on sockets per client and operations per socket.
pub(super) async fn subscriptions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let client = caller.info.ip.clone().unwrap_or_else(|| "-".to_owned());
    let Some(permit) = state.sockets.open(&client) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many open connections from one address.",
        )
            .into_response();
    };
    let executor = SocketExecutor::new(state.executor.clone());
    let identified = executor.clone();
    let max_message = state.config.graphql_limits.max_body_bytes;
    upgrade
        .max_message_size(max_message)
        .max_frame_size(max_message)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let _permit = permit;
            GraphQLWebSocket::new(socket, executor, protocol)
                .on_connection_init(move |payload| async move {
                    let token = payload
                        .get("Authorization")
                        .and_then(|v| v.as_str())
                        .and_then(|v| v.strip_prefix("Bearer "));
                    let viewer = match token {
                        Some(token) => {
                            Viewer(Some(bearer_viewer(&state, token.trim()).await.ok_or_else(
                                || async_graphql::Error::new("invalid or expired access token"),
                            )?))
                        }
                        None => caller.viewer,
                    };
                    // A socket cannot set cookies: a session is refreshed over HTTP only, so a
                    // rotated refresh token is never lost on a socket.
                    let info = RequestInfo {
                        refresh_cookie: None,
                        ..caller.info
                    };
                    identified.identify(Caller { viewer, info });
                    Ok(async_graphql::Data::default())
                })
                .serve()
                .await;
        })
}

/// Whether the request runs a query (one that does not parse counts: the engine reports it).
fn is_query(state: &AppState, request: &mut async_graphql::Request) -> bool {
    (state.executor.operation_type(request)).is_none_or(|ty| ty == OperationType::Query)
}

/// `GET /graphiql`: the in-browser IDE, the admins' console and manual of the schema. Its
/// scripts are files of the shop (see `scripts/build.sh`), nothing comes from elsewhere.
pub(super) async fn graphiql() -> impl IntoResponse {
    (
        [(header::CONTENT_SECURITY_POLICY, GRAPHIQL_POLICY)],
        Html(include_str!("../../assets/graphiql.html")),
    )
}

/// `GET /graphiql/console.js`: starts GraphiQL against `/graphql` and `/graphql/ws`.
pub(super) async fn graphiql_console() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../assets/graphiql.js"),
    )
}
