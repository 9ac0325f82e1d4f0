//! The storefront's server side: its routes, rendered by Leptos, reading data from the schema
//! in-process (no HTTP hop) through the executor it finds in its context, as the same caller
//! (signed in or not) as the page request.

use axum::Router;
use axum::http::{HeaderValue, header};
use leptos::nonce::use_nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{
    LeptosRoutes, ResponseOptions, file_and_error_handler_with_context, generate_route_list,
};
use storefront::GraphqlExecutor;

use crate::AppState;
use crate::graphql::json::response_to_json;
use crate::graphql::{Caller, ShopExecutor};
use crate::http::security::page_policy;

/// The storefront's pages; unknown paths render its 404 page.
pub fn storefront_routes(state: &AppState) -> Router<AppState> {
    let site = storefront::SiteUrl(state.config.public_url.clone());
    let shop = state.executor.clone();
    let context = move || {
        let caller = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Caller>().cloned())
            .unwrap_or_default();
        provide_context(executor(shop.clone(), caller));
        provide_context(site.clone());
        allow_only_own_scripts();
    };
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(storefront::App),
            context.clone(),
            move || storefront::shell(options.clone()),
        )
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context,
            storefront::shell,
        ))
}

/// Sends the page's Content-Security-Policy, naming the nonce Leptos gives this response's inline
/// hydration script: an injected script has no nonce and does not run.
fn allow_only_own_scripts() {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    if let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
    }
}

/// Runs GraphQL requests (JSON in, JSON out) on the shop's schema for `caller`, as
/// `POST /graphql` would.
fn executor(shop: ShopExecutor, caller: Caller) -> GraphqlExecutor {
    GraphqlExecutor::new(move |body: String| {
        let (shop, caller) = (shop.clone(), caller.clone());
        Box::pin(async move {
            let response = match serde_json::from_str::<async_graphql::Request>(&body) {
                Ok(request) => shop.execute_trusted(caller, request).await,
                Err(error) => {
                    async_graphql::Response::from_errors(vec![async_graphql::ServerError::new(
                        format!("the storefront sent a malformed request: {error}"),
                        None,
                    )])
                }
            };
            response_to_json(&response)
        })
    })
}
