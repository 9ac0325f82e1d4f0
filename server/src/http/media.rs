//! `GET /media/placeholder/{hue}/{label}`: generated SVG product images, so the demo shop needs
//! no image files and no outside URLs; `GET /media/images/{hash}/{width}.jpg`: renditions of
//! uploaded product images from the media store; `GET /favicon.svg`.

use axum::{
    extract::{Path, State},
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

/// A rendition of an uploaded image. Its name is its content's hash, so it never changes:
/// cached for a year, `immutable`.
pub(super) async fn rendition(
    State(media): State<crate::media::Media>,
    Path((hash, file)): Path<(String, String)>,
) -> Response {
    let hash_ok = hash.len() == 32 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let width_ok = file
        .strip_suffix(".jpg")
        .is_some_and(|w| !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()));
    if !hash_ok || !width_ok {
        return StatusCode::NOT_FOUND.into_response();
    }
    let key = format!("images/{hash}/{file}");
    let Ok(path) = media.local_path(&key).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::fs::read(path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The shop's icon: a linden leaf in the shop's green.
pub(super) async fn favicon() -> Response {
    const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0f5132"/><path d="M16 6c6 3 9 8 7 14-1 3-4 5-7 5s-6-2-7-5c-2-6 1-11 7-14z" fill="#9fd8a8"/><path d="M16 9v18" stroke="#0f5132" stroke-width="1.6" stroke-linecap="round"/></svg>"##;
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON,
    )
        .into_response()
}
