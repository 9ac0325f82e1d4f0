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
        <Title text=title_text(&format!("{title} | {SHOP_NAME}"))/>
        <Meta name="description" content=description/>
        <Link rel="canonical" href=canonical/>
    }
}

/// The text of `<title>`. Leptos writes it into the server's HTML as it is, so on the server it
/// is escaped here (a search query must not close the tag); in the browser it is plain text.
fn title_text(title: &str) -> String {
    if cfg!(feature = "ssr") {
        crate::html::escape(title)
    } else {
        title.to_owned()
    }
}

/// JSON text safe inside `<script type="application/ld+json">`: no `<`, `>` or `&` that could
/// end the element or open a comment, as JSON escapes that mean the same characters.
pub fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Makes the server answer 404 for the page being rendered.
pub fn set_not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// Answers the server-rendered page with `301 Moved Permanently` to `path` (an old URL).
pub fn redirect_permanently(path: &str) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::MOVED_PERMANENTLY);
        if let Ok(location) = http::HeaderValue::from_str(path) {
            response.insert_header(http::header::LOCATION, location);
        }
    }
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            crate::html::escape("</title><script>alert('x&y')</script>\""),
            "&lt;/title&gt;&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;"
        );
        assert_eq!(
            script_safe_json(r#"{"name":"</script><!-- & "}"#),
            r#"{"name":"\u003c/script\u003e\u003c!-- \u0026 "}"#
        );
    }
}
