//! Product photos as the shop serves them: the upload is decoded (JPEG, PNG or WebP only, within
//! pixel and memory limits, so a decompression bomb fails instead of eating the server), then
//! scaled to a few widths and encoded as JPEG. Nothing here touches the network or the disk.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

/// Widths served, in pixels; an image narrower than one is served at its own width instead.
pub(crate) const WIDTHS: [u32; 3] = [320, 640, 1280];
/// The largest picture decoded, in pixels per side.
const MAX_SIDE: u32 = 10_000;
/// Memory a decoder may take.
const MAX_DECODE_BYTES: u64 = 400 * 1024 * 1024;
/// JPEG quality of the renditions.
const QUALITY: u8 = 82;

/// Why an upload is not a usable image; the message is for the admin, in Czech.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum ImageProblem {
    /// Not JPEG, PNG or WebP (or not an image at all).
    #[error("Soubor není obrázek JPEG, PNG ani WebP.")]
    NotAnImage,
    /// Too many pixels, or broken data.
    #[error("Obrázek nelze přečíst (poškozený, nebo větší než 10 000 × 10 000 px).")]
    Unreadable,
}

/// An image's renditions: `(width, JPEG bytes)`, narrowest first, and the content hash that
/// names them.
#[derive(Debug)]
pub(crate) struct Renditions {
    /// 32 hex digits of the upload's SHA-256.
    pub hash: String,
    /// The encoded widths.
    pub files: Vec<(u32, Vec<u8>)>,
}

/// Decodes `bytes` and encodes the renditions (CPU-heavy: call it on a blocking thread).
pub(crate) fn render(bytes: &[u8]) -> Result<Renditions, ImageProblem> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| ImageProblem::NotAnImage)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(ImageProblem::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| ImageProblem::Unreadable)?;
    let mut widths: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|w| *w < picture.width())
        .collect();
    if widths.len() < WIDTHS.len() {
        widths.push(picture.width());
    }
    let files = widths
        .into_iter()
        .map(|width| Ok((width, encode(&scaled(&picture, width))?)))
        .collect::<Result<_, ImageProblem>>()?;
    let digest = Sha256::digest(bytes);
    Ok(Renditions {
        hash: hex::encode(&digest[..16]),
        files,
    })
}

/// The picture at `width`, transparency laid on white.
fn scaled(picture: &DynamicImage, width: u32) -> RgbImage {
    let resized = if width == picture.width() {
        picture.clone()
    } else {
        picture.resize(width, u32::MAX, FilterType::Triangle)
    };
    if !resized.color().has_alpha() {
        return resized.to_rgb8();
    }
    let rgba = resized.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let on_white =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([on_white(r), on_white(g), on_white(b)])
    })
}

fn encode(picture: &RgbImage) -> Result<Vec<u8>, ImageProblem> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(picture)
        .map_err(|_| ImageProblem::Unreadable)?;
    Ok(out)
}

#[cfg(test)]
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([
            (x % 256) as u8,
            (y % 256) as u8,
            90,
            if x < 4 { 0 } else { 255 },
        ])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgba8(picture)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_gets_every_width_it_can_fill() {
        let large = render(&png(1500, 900)).unwrap();
        let widths: Vec<u32> = large.files.iter().map(|f| f.0).collect();
        assert_eq!(widths, vec![320, 640, 1280]);
        let small = render(&png(500, 500)).unwrap();
        let widths: Vec<u32> = small.files.iter().map(|f| f.0).collect();
        assert_eq!(widths, vec![320, 500]);
        let decoded = image::load_from_memory(&small.files[1].1).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (500, 500));
        assert_eq!(
            image::guess_format(&small.files[0].1).unwrap(),
            ImageFormat::Jpeg
        );
        assert_eq!(large.hash.len(), 32);
    }

    #[test]
    fn text_svg_and_bombs_are_refused() {
        assert_eq!(render(b"hello").unwrap_err(), ImageProblem::NotAnImage);
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(render(svg).unwrap_err(), ImageProblem::NotAnImage);
        // A PNG header that claims 100 000 × 100 000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert_eq!(render(&bomb).unwrap_err(), ImageProblem::Unreadable);
        let truncated = &png(50, 50)[..60];
        assert_eq!(render(truncated).unwrap_err(), ImageProblem::Unreadable);
    }
}
