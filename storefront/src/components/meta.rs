//! `<title>`, meta description and canonical link of a page; its status.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::app::SiteUrl;

/// The shop's name, shown in titles.
pub const SHOP_NAME: &str = "Lípa";

/// Head tags of a page: `path` is the canonical path (e.g. `/p/zidle`).
#[component]
pub fn PageMeta(title: String, description: String, path: String) -> impl IntoView {
    let canonical = format!("{}{path}", SiteUrl::current());
    let description = meta_description(&description);
    view! {
        <Title text=title_text(&format!("{title} | {SHOP_NAME}"))/>
        <Meta name="description" content=description/>
        <Link rel="canonical" href=canonical/>
    }
}

/// The longest meta description, in characters (what search engines show).
const DESCRIPTION_CHARS: usize = 160;

/// A description on one line (white space and line breaks collapsed), cut at a word boundary to
/// at most [`DESCRIPTION_CHARS`] characters with "…" when it was longer.
fn meta_description(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= DESCRIPTION_CHARS {
        return whole;
    }
    let mut cut = String::new();
    for word in words {
        if cut.chars().count() + word.chars().count() + 2 > DESCRIPTION_CHARS {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = whole.chars().take(DESCRIPTION_CHARS - 1).collect();
    }
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', '–', '-']))
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

/// Makes the server answer the page being rendered with `status` (404, 400…).
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
    let _ = status;
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
    fn descriptions_are_one_line_cut_at_a_word() {
        assert_eq!(
            meta_description("Pevná židle\n\n  z buku."),
            "Pevná židle z buku."
        );
        let long = "slovo ".repeat(40);
        let cut = meta_description(&long);
        assert!(cut.chars().count() <= DESCRIPTION_CHARS, "{cut}");
        assert!(cut.ends_with("slovo…"), "{cut}");
        let one_word = "x".repeat(300);
        assert_eq!(
            meta_description(&one_word).chars().count(),
            DESCRIPTION_CHARS
        );
    }

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
