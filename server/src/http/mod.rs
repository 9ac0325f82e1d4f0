//! The HTTP surface: routes and the middleware every request passes.

mod auth;
mod documents;
mod feeds;
mod forms;
mod graphql;
mod graphql_over_http;
mod health;
mod mcp;
mod media;
pub(crate) mod metrics;
pub mod page_cache;
mod persisted;
pub(crate) mod security;
pub mod sockets;
mod webhooks;

use axum::{
    Router,
    http::{HeaderName, HeaderValue, Request, StatusCode, header},
    middleware,
    routing::{get, post},
};
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeader,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{AppState, storefront_routes};

/// The header that carries the request id, in requests (when a proxy set one) and responses.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The shop's listener: every accepted connection sends at once (`TCP_NODELAY`). Without it,
/// an answer written in more than one piece waits for the client's delayed ACK, about 40 ms.
pub fn listener(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    listener.tap_io(send_at_once)
}

fn send_at_once(stream: &mut tokio::net::TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::warn!(%error, "could not turn off Nagle's algorithm on a connection");
    }
}

/// Every route of the shop.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    let max_body = state.config.graphql_limits.max_body_bytes;
    let pkg_dir = format!(
        "{}/{}",
        state.leptos_options.site_root, state.leptos_options.site_pkg_dir
    );
    let api = Router::new()
        .route("/graphql", get(graphql::execute).post(graphql::execute))
        .layer(RequestBodyLimitLayer::new(max_body))
        .route(
            "/graphql/upload",
            post(graphql::upload).layer(RequestBodyLimitLayer::new(
                state.config.upload_max_bytes.saturating_add(64 * 1024),
            )),
        )
        .route("/graphql/ws", get(graphql::subscriptions))
        .route("/graphiql", get(graphql::graphiql))
        .route("/graphiql/console.js", get(graphql::graphiql_console))
        .route("/ucet/prihlasit", post(forms::sign_in))
        .route("/ucet/registrovat", post(forms::register))
        .route("/kosik/pridat", post(forms::add_to_cart))
        .route("/kosik/zmenit", post(forms::save_cart))
        .route("/hlidaci-pes/potvrzeni", post(forms::watch_confirm))
        .route("/hlidaci-pes/zruseni", post(forms::watch_cancel))
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(metrics::render))
        .route("/media/placeholder/{hue}/{label}", get(media::placeholder))
        .route("/favicon.svg", get(media::favicon))
        .route("/media/images/{hash}/{file}", get(media::rendition))
        .route("/feeds/{file}", get(feeds::feed))
        .route("/doklady/{file}", get(documents::pdf))
        .route(
            "/mcp",
            post(mcp::call).layer(RequestBodyLimitLayer::new(max_body)),
        )
        .route(
            "/webhooks/payu",
            post(webhooks::payu).layer(RequestBodyLimitLayer::new(max_body)),
        );
    let graphiql_dir = format!("{}/graphiql", state.leptos_options.site_root);
    let assets = Router::new()
        .nest_service(
            "/graphiql/assets",
            static_files(graphiql_dir, "public, max-age=86400"),
        )
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            // Named by their content (see scripts/build.sh): a new build has new names.
            static_files(pkg_dir, "public, max-age=31536000, immutable"),
        );
    let production = state.config.mode == crate::config::Mode::Production;
    let pages = storefront_routes(&state).layer(middleware::from_fn_with_state(
        state.clone(),
        page_cache::serve,
    ));
    security::with_security_headers(api.merge(assets).merge(pages), production)
        .layer(middleware::from_fn_with_state(state.clone(), auth::identify))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, state.config.request_timeout))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok());
            tracing::info_span!("request", id = id.unwrap_or("-"), method = %request.method(), uri = %request.uri())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Files of `dir`, precompressed copies preferred, with `cache_control`.
fn static_files(
    dir: String,
    cache_control: &'static str,
) -> SetResponseHeader<ServeDir, HeaderValue> {
    SetResponseHeader::overriding(
        ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    )
}
