//! `GET /media/placeholder/{hue}/{label}`: generated SVG product images, so the demo shop needs
//! no image files and no outside URLs.

use axum::{
    extract::Path,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

/// Longest label drawn, in characters.
const MAX_LABEL_CHARS: usize = 40;

/// An 800×800 SVG with a gradient of the given hue (0–359) and the label in the middle.
pub(super) async fn placeholder(Path((hue, label)): Path<(u16, String)>) -> Response {
    let Some(label) = label.strip_suffix(".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if hue >= 360 || label.chars().count() > MAX_LABEL_CHARS {
        return StatusCode::NOT_FOUND.into_response();
    }
    let text = escape(label);
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},65%,88%)"/><stop offset="1" stop-color="hsl({hue},55%,72%)"/></linearGradient></defs><rect width="800" height="800" fill="url(#g)"/><circle cx="400" cy="330" r="150" fill="hsl({hue},45%,60%)" opacity=".55"/><text x="400" y="600" font-family="system-ui,sans-serif" font-size="52" text-anchor="middle" fill="hsl({hue},40%,25%)">{text}</text></svg>"##
    );
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        svg,
    )
        .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
