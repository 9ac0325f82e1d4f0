//! Headers that tell browsers what a response may do: a Content-Security-Policy on every answer
//! (pages get theirs with the nonce of their hydration script), no MIME sniffing, a referrer
//! policy, and HSTS in production.

use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

/// The policy of a storefront page: scripts only from the shop and the page's own inline
/// hydration script (by its per-response `nonce`), WebAssembly compiled from the shop's bundle,
/// no plugins, no foreign `<base>`, no framing.
pub(crate) fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// GraphiQL's policy: its scripts are the shop's own files; its editor sets inline styles.
pub(crate) const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";

/// Everything else (JSON, assets, images): nothing to run, nothing to frame.
const DEFAULT_POLICY: &str =
    "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Two years, subdomains included: production is served over HTTPS only.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Adds the security headers to every response of `router` (a response that set its own
/// Content-Security-Policy keeps it).
pub(crate) fn with_security_headers(
    router: Router<AppState>,
    production: bool,
) -> Router<AppState> {
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ));
    if production {
        router.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("strict-transport-security"),
            HeaderValue::from_static(HSTS),
        ))
    } else {
        router
    }
}
