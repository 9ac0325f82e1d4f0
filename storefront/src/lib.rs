//! The shop's storefront: Leptos pages rendered on the server (feature `ssr`); the interactive
//! parts (islands: search type-ahead, filters, variant picker, gallery, account forms) are
//! hydrated in the browser (feature `hydrate`). All data comes through the GraphQL schema (see
//! [`api`]): pages load it on the server, islands send their own operations from the browser.

// The product page's views nest deep enough (cards inside a resource inside the page) to pass the
// compiler's default type-layout depth when building for the browser.
#![recursion_limit = "256"]

pub mod api;
mod app;
mod components;
pub mod czech;
pub mod html;
mod pages;
pub mod time;
mod url;
pub mod validate;

#[cfg(feature = "ssr")]
pub use api::GraphqlExecutor;
pub use app::{App, SiteUrl, shell};

/// Browser entry point: prepares the reactive system; Leptos' script then hydrates each island.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console help while developing; release bundles stay smaller without.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
