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

/// `text` as a QR code drawn with an HTML table (e-mail clients show tables, not SVG): each
/// row's runs of one colour are single cells, `module` pixels a module, with a quiet zone.
pub(crate) fn html_table(text: &str, module: usize) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = (width + 8) * module;
    let mut html = format!(
        "<table role=\"img\" aria-label=\"QR Platba\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" \
         style=\"border-collapse:collapse;background:#fff;width:{size}px\">"
    );
    let quiet = format!(
        "<tr><td colspan=\"{}\" style=\"height:{}px\"></td></tr>",
        width + 2,
        4 * module
    );
    html.push_str(&quiet);
    for row in colors.chunks(width) {
        html.push_str(&format!(
            "<tr style=\"height:{module}px\"><td style=\"width:{}px\"></td>",
            4 * module
        ));
        let mut x = 0;
        while x < width {
            let dark = row[x] == qrcode::Color::Dark;
            let run = row[x..]
                .iter()
                .take_while(|c| (**c == qrcode::Color::Dark) == dark)
                .count();
            let color = if dark { "#000" } else { "#fff" };
            html.push_str(&format!(
                "<td colspan=\"{run}\" style=\"width:{}px;background:{color}\"></td>",
                run * module
            ));
            x += run;
        }
        html.push_str(&format!("<td style=\"width:{}px\"></td></tr>", 4 * module));
    }
    html.push_str(&quiet);
    html.push_str("</table>");
    Some(html)
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

    #[test]
    fn the_table_is_small_enough_for_an_email() {
        let text = "SPD*1.0*ACC:CZ6508000000192000145399*AM:1299.00*CC:CZK*X-VS:2026000123*MSG:Objednavka 2026000123";
        let table = super::html_table(text, 4).unwrap();
        assert!(table.starts_with("<table ") && table.ends_with("</table>"));
        assert!(!table.contains("SPD"));
        assert!(table.len() < 60_000, "{} bytes", table.len());
        assert!(table.contains("background:#000"));
    }
}
