//! Catalog pages for anonymous visitors (no session, no cart) from a cache that every instance
//! shares (Redis), keyed by the catalog version and the address: a product, price or stock
//! change bumps the version, so no instance serves an old page after it. Each answer from the
//! cache gets a fresh CSP nonce; its `ETag` names the page and that nonce, so a `304` can repeat
//! the policy that fits the copy the browser holds. Personal bits (the mini-cart, sign-in) come
//! from islands, so a page is the same for every anonymous visitor. A page is stored the second
//! time it is asked for within a minute, so made-up addresses cannot fill Redis. Each instance
//! also keeps the pages it served lately, split at the nonce, so a hit copies no HTML: the body
//! is the stored pieces with the new nonce between them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::security::page_policy;
use crate::AppState;
use crate::auth::cookies::{ACCESS_COOKIE, CART_COOKIE, REFRESH_COOKIE};
use crate::catalog::CATALOG_VERSION_KEY;

/// How long an unused page stays in the cache (a catalog change retires it sooner).
const KEEP: Duration = Duration::from_secs(15 * 60);
/// The largest page kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;
/// Browsers keep the page but ask before each use (`304` when it is still the same).
const REVALIDATE: &str = "no-cache";

/// A rendered page and the nonce it was rendered with.
#[derive(Serialize, Deserialize)]
struct Page {
    /// Names the content: catalog version and digest.
    tag: String,
    nonce: String,
    html: String,
}

/// The cache around the storefront's routes.
pub(super) async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !cacheable(&request) {
        return next.run(request).await;
    }
    let version = state.redis.counter(CATALOG_VERSION_KEY).await;
    let key = format!("page:{version}:{}", request.uri());
    let local = state.pages.get(&key);
    let shared = match local {
        Some(_) => None,
        None => state.redis.get(&key).await,
    };
    let stored = shared.and_then(|json| serde_json::from_str::<Page>(&json).ok());
    if let Some(page) = local.or_else(|| stored.map(|page| state.pages.keep(key.clone(), page))) {
        if let Some(nonce) = held_nonce(request.headers(), &page.tag) {
            return not_modified(&page.tag, &nonce);
        }
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        return page_response(StatusCode::OK, &page.tag, &nonce, page.body(&nonce));
    }
    let response = next.run(request).await;
    let storable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && is_html(response.headers())
        && asked_again(&state, &key).await;
    let Some(nonce) = storable.then(|| nonce_of(response.headers())).flatten() else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page is too large").into_response();
    };
    let Ok(html) = String::from_utf8(bytes.to_vec()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let digest = hex::encode(Sha256::digest(html.replace(&nonce, "").as_bytes()));
    let tag = format!("p{version}-{}", &digest[..20]);
    let page = Page {
        tag,
        nonce: nonce.clone(),
        html,
    };
    if let Ok(json) = serde_json::to_string(&page) {
        state.redis.put(&key, &json, KEEP).await;
    }
    let pieces = state.pages.keep(key, page);
    let mut response = page_response(parts.status, &pieces.tag, &nonce, pieces.body(&nonce));
    for (name, value) in &parts.headers {
        response
            .headers_mut()
            .entry(name)
            .or_insert_with(|| value.clone());
    }
    response
}

/// Whether the page was asked for before within [`ADMISSION_WINDOW`]: only such pages are
/// stored, so addresses made up by the thousand (random filter values, search words) cost a small
/// counter each, not a page in Redis.
async fn asked_again(state: &AppState, key: &str) -> bool {
    let (seen, _) = state
        .redis
        .hit(&format!("page-seen:{key}"), ADMISSION_WINDOW)
        .await;
    seen >= 2
}

/// How long a first request for a page waits for a second one to have it stored.
const ADMISSION_WINDOW: Duration = Duration::from_secs(60);

/// Pages this instance served lately, split at their nonce.
#[derive(Default)]
pub struct LocalPages(Mutex<HashMap<String, Arc<Pieces>>>);

/// Pages an instance keeps at most (all are dropped when it is full: a new catalog version
/// leaves the old ones unused anyway).
const LOCAL_PAGES: usize = 256;

/// A page as pieces of HTML that go around its nonce.
struct Pieces {
    tag: String,
    pieces: Vec<Bytes>,
}

impl Pieces {
    /// The page with `nonce` in its places, without copying the HTML.
    fn body(&self, nonce: &str) -> Body {
        let nonce = Bytes::copy_from_slice(nonce.as_bytes());
        let mut chunks = Vec::with_capacity(self.pieces.len() * 2);
        for (index, piece) in self.pieces.iter().enumerate() {
            if index > 0 {
                chunks.push(Ok::<_, std::convert::Infallible>(nonce.clone()));
            }
            chunks.push(Ok(piece.clone()));
        }
        Body::from_stream(futures_util::stream::iter(chunks))
    }
}

impl LocalPages {
    fn get(&self, key: &str) -> Option<Arc<Pieces>> {
        self.0.lock().ok()?.get(key).cloned()
    }

    fn keep(&self, key: String, page: Page) -> Arc<Pieces> {
        let pieces = Arc::new(Pieces {
            tag: page.tag,
            pieces: page
                .html
                .split(page.nonce.as_str())
                .map(|piece| Bytes::copy_from_slice(piece.as_bytes()))
                .collect(),
        });
        if let Ok(mut pages) = self.0.lock() {
            if pages.len() >= LOCAL_PAGES {
                pages.clear();
            }
            pages.insert(key, pieces.clone());
        }
        pieces
    }
}

/// A `GET` of a catalog page by a visitor with none of the shop's cookies or credentials, not
/// asking for a fresh answer.
fn cacheable(request: &Request) -> bool {
    let path = request.uri().path();
    let catalog_page =
        path == "/" || path == "/hledat" || path.starts_with("/c/") || path.starts_with("/p/");
    let personal = request.headers().contains_key(header::AUTHORIZATION)
        || request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.split_once('=').map(|(name, _)| name.trim()))
            .any(|name| [ACCESS_COOKIE, REFRESH_COOKIE, CART_COOKIE].contains(&name));
    // A reload that asks for a fresh answer (`Cache-Control: no-cache` or `no-store`) gets one.
    let fresh = request
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-cache") || v.contains("no-store"));
    request.method() == Method::GET && catalog_page && !personal && !fresh
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The nonce of the page's policy (`'nonce-…'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let nonce = &policy[start..start + policy[start..].find('\'')?];
    valid_nonce(nonce).then(|| nonce.to_owned())
}

fn valid_nonce(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b))
}

/// The entity tag of a page as served with `nonce`.
fn etag(tag: &str, nonce: &str) -> String {
    format!("W/\"{tag}.{nonce}\"")
}

/// The nonce of the copy the browser holds, when `If-None-Match` names this page.
fn held_nonce(headers: &HeaderMap, tag: &str) -> Option<String> {
    let prefix = format!("W/\"{tag}.");
    headers
        .get(header::IF_NONE_MATCH)?
        .to_str()
        .ok()?
        .split(',')
        .filter_map(|candidate| candidate.trim().strip_prefix(&prefix)?.strip_suffix('"'))
        .find(|nonce| valid_nonce(nonce))
        .map(str::to_owned)
}

fn page_response(status: StatusCode, tag: &str, nonce: &str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    headers.insert(header::VARY, HeaderValue::from_static("Cookie"));
    for (name, value) in [
        (header::ETAG, etag(tag, nonce)),
        (header::CONTENT_SECURITY_POLICY, page_policy(nonce)),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// `304`: the browser's copy is current; the policy repeats the nonce that copy was sent with.
fn not_modified(tag: &str, nonce: &str) -> Response {
    page_response(StatusCode::NOT_MODIFIED, tag, nonce, Body::empty())
}
