//! QR codes as inline SVG, drawn from the code's modules only: the markup holds nothing but
//! numbers, whatever the encoded text.

use qrcode::{EcLevel, QrCode};

/// An SVG of `text` as a QR code with error correction level M (QR Platba's level), a quiet zone
/// of four modules, scaled by the page. `None` when the text does not fit a QR code.
pub(crate) fn svg(text: &str, label: &'static str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let size = width + 8;
    let mut path = String::with_capacity(width * width * 4);
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            let (x, y) = (index % width + 4, index / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" \
         aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" \
         height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_svg_holds_only_the_drawing() {
        let svg = super::svg(
            "SPD*1.0*ACC:CZ6508000000192000145399*AM:1.00*CC:CZK",
            "QR Platba",
        )
        .unwrap();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(!svg.contains("SPD"), "the text is drawn, not written");
        assert!(svg.matches("h1v1h-1z").count() > 100);
    }
}
