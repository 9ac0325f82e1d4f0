//! Line icons drawn inline as SVG (no icon font, no extra request). Decorative: the element that
//! holds one carries the accessible name.

use leptos::prelude::*;

/// A person (the account).
pub const PERSON: &str = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM5 21a7 7 0 0 1 14 0";
/// A shopping cart.
pub const CART: &str =
    "M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2M9 20h.01M17 20h.01";
/// A magnifying glass.
pub const SEARCH: &str = "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM16 16l4 4";
/// Three lines getting shorter (filters).
pub const FILTER: &str = "M4 6h16M7 12h10M10 18h4";

/// A 24 × 24 line icon drawn with `path` (one of this module's constants).
#[component]
pub fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d=path/>
        </svg>
    }
}
