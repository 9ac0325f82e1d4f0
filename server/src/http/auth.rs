//! Middleware that works out who is calling: a bearer token (apps) or the storefront's cookies,
//! refreshing an expired cookie session transparently. The result goes into the request's
//! extensions as a [`Caller`] for the GraphQL handler and the server-rendered pages.
//!
//! A token's role may be up to 15 minutes old, so a token that claims the admin role is checked
//! against the account as it is now: a demoted or disabled admin loses access at once.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};

use crate::AppState;
use crate::accounts::service::{self, Refresh};
use crate::accounts::{sessions::REFRESH_TOKEN_DAYS, store};
use crate::auth::cookies::{self, ACCESS_COOKIE, CART_COOKIE, REFRESH_COOKIE, set_cookie};
use crate::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::auth::{RequestInfo, Role, SignedIn, Via, Viewer};
use crate::config::Mode;
use crate::graphql::Caller;

/// Marks a request whose bearer token is invalid or expired (the API answers `UNAUTHENTICATED`).
#[derive(Debug, Clone, Copy)]
pub(super) struct InvalidBearer;

/// Identifies the caller of every request.
pub(super) async fn identify(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let same_origin_browser = same_origin(&state.config.public_url, headers);
    // Browsers send the shop's cookies on a WebSocket upgrade from any page of the same site
    // (another port or subdomain): there, only the shop's own origin may use them.
    let cookies_count = same_origin_browser || !is_websocket_upgrade(headers);
    let cookie = |name| cookie(headers, name).filter(|_| cookies_count);
    let info = RequestInfo {
        ip: client_ip(
            state.config.trusted_proxy_hops,
            headers,
            request.extensions().get::<ConnectInfo<SocketAddr>>(),
        ),
        same_origin_browser,
        refresh_cookie: cookie(REFRESH_COOKIE),
        cart_cookie: cookie(CART_COOKIE).and_then(|id| id.parse().ok()),
    };
    let mut set_cookies = Vec::new();
    let viewer = if let Some(token) = bearer(headers) {
        let viewer = bearer_viewer(&state, &token).await;
        if viewer.is_none() {
            request.extensions_mut().insert(InvalidBearer);
        }
        viewer
    } else if let Some(token) = cookie(ACCESS_COOKIE) {
        match state.tokens.verify(&token) {
            Some(claims) => match signed_in(&claims.sub, claims.role, Via::Cookie) {
                Some(viewer) => confirm(&state, viewer).await,
                None => None,
            },
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

/// Exchanges the refresh cookie for new cookies; clears both when the session is over. Parallel
/// requests with the same expired cookie all get the same new pair.
async fn refresh_session(
    state: &AppState,
    info: &RequestInfo,
    set_cookies: &mut Vec<String>,
) -> Option<SignedIn> {
    let secure = state.config.mode == Mode::Production;
    let token = info.refresh_cookie.as_deref()?;
    let refreshed = service::refresh(&state.pool, &state.redis, info.ip.as_deref(), token)
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "could not refresh a session");
            Refresh::Pending
        });
    let (customer, refresh_token) = match refreshed {
        Refresh::Renewed(customer, token) => (customer, token),
        Refresh::Pending => return None,
        Refresh::Ended => {
            set_cookies.push(set_cookie(ACCESS_COOKIE, "", 0, secure));
            set_cookies.push(set_cookie(REFRESH_COOKIE, "", 0, secure));
            return None;
        }
    };
    let role = customer.role;
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
pub(super) async fn bearer_viewer(state: &AppState, token: &str) -> Option<SignedIn> {
    let claims = state.tokens.verify(token)?;
    confirm(state, signed_in(&claims.sub, claims.role, Via::Bearer)?).await
}

/// A token that claims the admin role counts only while the account is an enabled admin; a
/// demoted admin is a customer, a disabled one nobody.
async fn confirm(state: &AppState, viewer: SignedIn) -> Option<SignedIn> {
    if viewer.role != Role::Admin {
        return Some(viewer);
    }
    match store::customer_by_id(&state.pool, viewer.customer_id).await {
        Ok(Some(account)) if !account.disabled => Some(SignedIn {
            role: account.role,
            ..viewer
        }),
        Ok(_) => None,
        Err(error) => {
            tracing::error!(%error, "could not check an admin's account");
            None
        }
    }
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

fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// A browser on the shop's own site: its `Origin` is the shop's (browsers send it with every
/// `fetch` POST and WebSocket upgrade, and scripts cannot forge it).
fn same_origin(public_url: &str, headers: &HeaderMap) -> bool {
    headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|origin| origin == public_url)
}

/// The client's address. Behind `hops` proxies that each append the address they saw to
/// `X-Forwarded-For`, it is the entry `hops` places from the right; anything further left was
/// sent by the client and proves nothing. Without proxies (or a header shorter than the chain
/// of proxies), it is the peer.
fn client_ip(
    hops: usize,
    headers: &HeaderMap,
    peer: Option<&ConnectInfo<SocketAddr>>,
) -> Option<String> {
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if hops > 0
        && let Some(index) = forwarded.len().checked_sub(hops)
        && let Ok(ip) = forwarded[index].parse::<std::net::IpAddr>()
    {
        return Some(ip.to_string());
    }
    peer.map(|ConnectInfo(addr)| addr.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn the_client_cannot_choose_its_address() {
        let peer = ConnectInfo("10.0.0.9:4000".parse::<SocketAddr>().unwrap());
        let spoofed = forwarded("6.6.6.6, 203.0.113.7");
        // One proxy appended the real address; the client wrote the first entry.
        assert_eq!(
            client_ip(1, &spoofed, Some(&peer)).as_deref(),
            Some("203.0.113.7")
        );
        // Two proxies: the last entry is the first proxy.
        let chain = forwarded("6.6.6.6, 203.0.113.7, 10.0.0.2");
        assert_eq!(
            client_ip(2, &chain, Some(&peer)).as_deref(),
            Some("203.0.113.7")
        );
        // No proxy configured: the header is ignored.
        assert_eq!(
            client_ip(0, &spoofed, Some(&peer)).as_deref(),
            Some("10.0.0.9")
        );
        // Fewer entries than proxies, or garbage: the peer.
        assert_eq!(
            client_ip(3, &spoofed, Some(&peer)).as_deref(),
            Some("10.0.0.9")
        );
        assert_eq!(
            client_ip(1, &forwarded("nonsense"), Some(&peer)).as_deref(),
            Some("10.0.0.9")
        );
    }
}
