//! Middleware that works out who is calling: a bearer token (apps) or the storefront's cookies,
//! refreshing an expired cookie session transparently. The result goes into the request's
//! extensions as a [`Caller`] for the GraphQL handler and the server-rendered pages.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};

use crate::AppState;
use crate::accounts::{service, sessions::REFRESH_TOKEN_DAYS};
use crate::auth::cookies::{self, ACCESS_COOKIE, CART_COOKIE, REFRESH_COOKIE, set_cookie};
use crate::auth::jwt::{ACCESS_TOKEN_SECONDS, TokenKeys};
use crate::auth::{RequestInfo, Role, SignedIn, Via, Viewer};
use crate::config::Mode;
use crate::graphql::Caller;

/// Marks a request whose bearer token is invalid or expired (the API answers `UNAUTHENTICATED`).
#[derive(Debug, Clone, Copy)]
pub struct InvalidBearer;

pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let info = RequestInfo {
        ip: client_ip(
            &state,
            headers,
            request.extensions().get::<ConnectInfo<SocketAddr>>(),
        ),
        same_origin_browser: same_origin(&state.config.public_url, headers),
        refresh_cookie: cookie(headers, REFRESH_COOKIE),
        cart_cookie: cookie(headers, CART_COOKIE).and_then(|id| id.parse().ok()),
    };
    let mut set_cookies = Vec::new();
    let viewer = if let Some(token) = bearer(headers) {
        let viewer = bearer_viewer(&state.tokens, &token);
        if viewer.is_none() {
            request.extensions_mut().insert(InvalidBearer);
        }
        viewer
    } else if let Some(token) = cookie(headers, ACCESS_COOKIE) {
        match state.tokens.verify(&token) {
            Some(claims) => signed_in(&claims.sub, claims.role, Via::Cookie),
            None => refresh_session(&state, &info, &mut set_cookies).await,
        }
    } else if info.refresh_cookie.is_some() {
        refresh_session(&state, &info, &mut set_cookies).await
    } else {
        None
    };
    request.extensions_mut().insert(Caller {
        viewer: Viewer(viewer),
        info,
    });
    let mut response = next.run(request).await;
    for cookie in set_cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Exchanges the refresh cookie for new cookies; clears both when it is no longer valid.
async fn refresh_session(
    state: &AppState,
    info: &RequestInfo,
    set_cookies: &mut Vec<String>,
) -> Option<SignedIn> {
    let secure = state.config.mode == Mode::Production;
    let refreshed = match &info.refresh_cookie {
        Some(token) => service::refresh(&state.pool, info.ip.as_deref(), token)
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "could not refresh a session");
                None
            }),
        None => None,
    };
    let Some((customer, refresh_token)) = refreshed else {
        set_cookies.push(set_cookie(ACCESS_COOKIE, "", 0, secure));
        set_cookies.push(set_cookie(REFRESH_COOKIE, "", 0, secure));
        return None;
    };
    let role = Role::parse(&customer.role);
    set_cookies.push(set_cookie(
        ACCESS_COOKIE,
        &state.tokens.issue(customer.id, role),
        ACCESS_TOKEN_SECONDS,
        secure,
    ));
    set_cookies.push(set_cookie(
        REFRESH_COOKIE,
        &refresh_token,
        (REFRESH_TOKEN_DAYS * 86_400) as u64,
        secure,
    ));
    Some(SignedIn {
        customer_id: customer.id,
        role,
        via: Via::Cookie,
    })
}

/// Who a bearer token signs in, if it is valid.
pub fn bearer_viewer(tokens: &TokenKeys, token: &str) -> Option<SignedIn> {
    tokens
        .verify(token)
        .and_then(|claims| signed_in(&claims.sub, claims.role, Via::Bearer))
}

fn signed_in(subject: &str, role: Role, via: Via) -> Option<SignedIn> {
    subject.parse().ok().map(|customer_id| SignedIn {
        customer_id,
        role,
        via,
    })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .map(|token| token.trim().to_owned())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| cookies::read(value, name))
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// A browser on the shop's own site: its `Origin` is the shop's (browsers send it with every
/// `fetch` POST and cannot forge it).
fn same_origin(public_url: &str, headers: &HeaderMap) -> bool {
    headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|origin| origin == public_url)
}

/// The client's address: the first `X-Forwarded-For` entry behind a trusted proxy, else the peer.
fn client_ip(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<&ConnectInfo<SocketAddr>>,
) -> Option<String> {
    if state.config.trust_proxy_headers
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
    {
        return forwarded.split(',').next().map(|ip| ip.trim().to_owned());
    }
    peer.map(|ConnectInfo(addr)| addr.ip().to_string())
}
