//! A product's gallery: an upload becomes renditions in the media store (named by the upload's
//! content, so they are served `immutable`) and a row of the gallery; alt texts and order
//! change; images leave the gallery. Rendition files stay in the store after a delete (another
//! product may show the same picture).

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use super::renditions::{self, ImageProblem};
use super::service::{CatalogError, invalid};
use super::store::{self, ImageRow};
use crate::media::Media;

/// The largest upload accepted, in bytes.
pub(crate) const MAX_IMAGE_BYTES: usize = 15_000_000;
/// The longest alt text, in characters.
const MAX_ALT_CHARS: usize = 300;

/// The public URL of a rendition.
pub(crate) fn rendition_url(media_key: &str, width: i32) -> String {
    format!("/media/{media_key}/{width}.jpg")
}

/// Adds an uploaded picture at the end of a product's gallery.
pub(crate) async fn add_image(
    pool: &PgPool,
    media: &Media,
    admin: i64,
    product_id: i64,
    upload: Vec<u8>,
    alt: &str,
) -> Result<ImageRow, CatalogError> {
    let alt = checked_alt(alt)?;
    if upload.len() > MAX_IMAGE_BYTES {
        return Err(invalid(
            "file",
            format!("Obrázek je větší než {} MB.", MAX_IMAGE_BYTES / 1_000_000),
        ));
    }
    if store::products_exist(pool, &[product_id]).await? == 0 {
        return Err(CatalogError::NotFound("Product", product_id));
    }
    let rendered = tokio::task::spawn_blocking(move || renditions::render(&upload))
        .await
        .unwrap_or(Err(ImageProblem::Unreadable))
        .map_err(|problem| invalid("file", problem.to_string()))?;
    let media_key = format!("images/{}", rendered.hash);
    let mut widths = Vec::with_capacity(rendered.files.len());
    for (width, bytes) in &rendered.files {
        let width = *width as i32;
        media
            .put_bytes(&rendition_url(&media_key, width)["/media/".len()..], bytes)
            .await?;
        widths.push(width);
    }
    let url = rendition_url(&media_key, widths.last().copied().unwrap_or_default());
    let mut tx = pool.begin().await?;
    let image = store::insert_image(&mut tx, product_id, &url, &alt, &media_key, &widths).await?;
    store::audit(
        &mut tx,
        admin,
        "image",
        image.id,
        "create",
        None,
        Some(json!(image)),
    )
    .await?;
    tx.commit().await?;
    Ok(image)
}

/// Changes an image's alt text and/or its place in the gallery (0 is first; the others move
/// along).
pub(crate) async fn update_image(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    id: i64,
    alt: Option<String>,
    position: Option<i32>,
) -> Result<ImageRow, CatalogError> {
    let before = store::image_for_update(tx, id)
        .await?
        .ok_or(CatalogError::NotFound("ProductImage", id))?;
    let mut after = before.clone();
    if let Some(alt) = alt {
        after.alt = checked_alt(&alt)?;
    }
    let mut saved = store::update_image(tx, &after).await?;
    if let Some(position) = position {
        let Ok(index) = usize::try_from(position) else {
            return Err(invalid("position", "Pořadí je číslo od 0 (první obrázek)."));
        };
        let mut gallery = store::gallery_ids(tx, before.product_id).await?;
        gallery.retain(|image| *image != id);
        gallery.insert(index.min(gallery.len()), id);
        store::reorder_gallery(tx, &gallery).await?;
        saved.position = index.min(gallery.len() - 1) as i32;
    }
    store::audit(
        tx,
        admin,
        "image",
        id,
        "update",
        Some(json!(before)),
        Some(json!(saved)),
    )
    .await?;
    Ok(saved)
}

/// Takes an image out of its product's gallery; the product's id.
pub(crate) async fn delete_image(
    tx: &mut Transaction<'_, Postgres>,
    admin: i64,
    id: i64,
) -> Result<i64, CatalogError> {
    let before = store::image_for_update(tx, id)
        .await?
        .ok_or(CatalogError::NotFound("ProductImage", id))?;
    store::delete_image(tx, id).await?;
    store::audit(tx, admin, "image", id, "delete", Some(json!(before)), None).await?;
    Ok(before.product_id)
}

fn checked_alt(alt: &str) -> Result<String, CatalogError> {
    let alt = alt.trim();
    if alt.chars().count() > MAX_ALT_CHARS {
        return Err(invalid("alt", "Popis obrázku má nejvýš 300 znaků."));
    }
    Ok(alt.to_owned())
}
