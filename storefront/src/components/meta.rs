//! `<title>`, meta description and canonical link of a page; the 404 status.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::app::SiteUrl;

/// The shop's name, shown in titles.
pub const SHOP_NAME: &str = "Lípa";

/// Head tags of a page: `path` is the canonical path (e.g. `/p/zidle`).
#[component]
pub fn PageMeta(title: String, description: String, path: String) -> impl IntoView {
    let canonical = format!("{}{path}", SiteUrl::current());
    let description: String = description.chars().take(160).collect();
    view! {
        <Title text=format!("{title} | {SHOP_NAME}")/>
        <Meta name="description" content=description/>
        <Link rel="canonical" href=canonical/>
    }
}

/// Makes the server answer 404 for the page being rendered.
pub fn set_not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}
