//! Draws a tax document as an A4 PDF with DejaVu Sans embedded (subset to the glyphs used, so
//! Czech letters show everywhere and the file stays small); text is extractable (ToUnicode).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

use super::document::{DocumentKind, TaxDocument};
use crate::money::Money;

/// The regular and the bold face, as TrueType files.
pub(crate) struct Fonts {
    regular: Vec<u8>,
    bold: Vec<u8>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Fonts({} + {} bytes)",
            self.regular.len(),
            self.bold.len()
        )
    }
}

impl Fonts {
    /// Reads `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` from `dir` (Debian: `fonts-dejavu-core`).
    pub(crate) fn load(dir: &Path) -> std::io::Result<Self> {
        let read = |file: &str| std::fs::read(dir.join(file));
        let fonts = Self {
            regular: read("DejaVuSans.ttf")?,
            bold: read("DejaVuSans-Bold.ttf")?,
        };
        for face in [&fonts.regular, &fonts.bold] {
            ttf_parser::Face::parse(face, 0).map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        Ok(fonts)
    }
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
/// Where a page's text ends; the next line goes to a new page.
const BOTTOM: f32 = 70.0;

/// One thing drawn on a page.
enum Mark {
    Text {
        bold: bool,
        size: f32,
        x: f32,
        y: f32,
        text: String,
    },
    Rule {
        y: f32,
    },
}

/// Lays out the document and measures text with the real glyph widths.
struct Layout<'f> {
    faces: [ttf_parser::Face<'f>; 2],
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl<'f> Layout<'f> {
    fn width(&self, bold: bool, size: f32, text: &str) -> f32 {
        let face = &self.faces[usize::from(bold)];
        let units: f32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0.0, f32::from)
            })
            .sum();
        units * size / f32::from(face.units_per_em())
    }

    fn text(&mut self, bold: bool, size: f32, x: f32, text: impl Into<String>) {
        let text = text.into();
        let page = self.pages.last_mut().expect("a page");
        page.push(Mark::Text {
            bold,
            size,
            x,
            y: self.y,
            text,
        });
    }

    /// Text ending at `right`.
    fn text_right(&mut self, bold: bool, size: f32, right: f32, text: String) {
        let x = right - self.width(bold, size, &text);
        self.text(bold, size, x, text);
    }

    /// Text cut to `width` with an ellipsis.
    fn text_fit(&mut self, size: f32, x: f32, width: f32, text: &str) {
        let mut kept: Vec<char> = text.chars().collect();
        let mut fitted = text.to_owned();
        while self.width(false, size, &fitted) > width && !kept.is_empty() {
            kept.pop();
            let base: String = kept.iter().collect();
            fitted = format!("{}…", base.trim_end());
        }
        self.text(false, size, x, fitted);
    }

    fn rule(&mut self) {
        let y = self.y;
        self.pages
            .last_mut()
            .expect("a page")
            .push(Mark::Rule { y });
    }

    fn down(&mut self, by: f32) {
        self.y -= by;
        if self.y < BOTTOM {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }
}

/// The PDF of a document; an error when a font cannot be read or subset.
pub(crate) fn render(document: &TaxDocument, fonts: &Fonts) -> Result<Vec<u8>, String> {
    let regular = ttf_parser::Face::parse(&fonts.regular, 0).map_err(|e| e.to_string())?;
    let bold = ttf_parser::Face::parse(&fonts.bold, 0).map_err(|e| e.to_string())?;
    let mut layout = Layout {
        faces: [regular, bold],
        pages: vec![Vec::new()],
        y: PAGE_HEIGHT - MARGIN,
    };
    lay_out(document, &mut layout);
    write(&layout, [&fonts.regular, &fonts.bold], &document.number)
}

fn money(minor: i64) -> String {
    Money::czk(minor).to_string()
}

fn lay_out(d: &TaxDocument, l: &mut Layout<'_>) {
    let right = PAGE_WIDTH - MARGIN;
    l.text(
        true,
        16.0,
        MARGIN,
        format!("{} č. {}", d.kind.title(), d.number),
    );
    l.down(30.0);
    let top = l.y;
    let party = |l: &mut Layout<'_>, x: f32, heading: &str, p: &super::document::Party| {
        l.text(true, 9.0, x, heading);
        l.down(14.0);
        l.text(true, 10.0, x, p.name.clone());
        for line in p.address.iter().chain(p.note.iter()) {
            l.down(13.0);
            l.text(false, 9.0, x, line.clone());
        }
        for (label, value) in [("IČO", &p.ico), ("DIČ", &p.dic)] {
            if let Some(value) = value {
                l.down(13.0);
                l.text(false, 9.0, x, format!("{label}: {value}"));
            }
        }
    };
    party(l, MARGIN, "Prodávající", &d.seller);
    let seller_bottom = l.y;
    if let Some(buyer) = &d.buyer {
        l.y = top;
        party(l, 320.0, "Kupující", buyer);
    }
    l.y = l.y.min(seller_bottom);
    l.down(26.0);
    let mut facts = vec![
        (
            "Datum vystavení",
            d.issued_on.format("%-d. %-m. %Y").to_string(),
        ),
        (
            "Datum uskutečnění zdanitelného plnění",
            d.taxable_on.format("%-d. %-m. %Y").to_string(),
        ),
        ("Objednávka", d.order_number.clone()),
        ("Způsob platby", payment_name(&d.payment_method).to_owned()),
    ];
    if let (Some(original), Some(reason)) = (&d.original_number, &d.reason) {
        facts.push(("Opravovaný doklad", original.clone()));
        facts.push(("Důvod opravy", reason.clone()));
    }
    for (label, value) in facts {
        l.text(false, 9.0, MARGIN, format!("{label}:"));
        l.text(false, 9.0, 260.0, value);
        l.down(13.0);
    }
    l.down(14.0);
    // Right edges of the number columns: quantity, unit price, rate, total.
    let edges = [335.0, 422.0, 462.0, right];
    l.text(true, 8.5, MARGIN, "Položka");
    for (edge, title) in edges
        .iter()
        .zip(["Množství", "Cena/ks bez DPH", "DPH", "Celkem s DPH"])
    {
        l.text_right(true, 8.5, *edge, title.to_owned());
    }
    l.down(5.0);
    l.rule();
    l.down(13.0);
    for line in &d.lines {
        l.text_fit(9.0, MARGIN, 235.0, &line.description);
        l.text_right(false, 9.0, edges[0], format!("{} ks", line.quantity));
        l.text_right(false, 9.0, edges[1], money(line.unit_net));
        l.text_right(false, 9.0, edges[2], format!("{} %", line.vat_rate));
        l.text_right(false, 9.0, edges[3], money(line.gross));
        l.down(14.0);
    }
    l.rule();
    l.down(20.0);
    for (x, title) in [
        (300.0, "Sazba DPH"),
        (400.0, "Základ"),
        (475.0, "DPH"),
        (right, "Celkem"),
    ] {
        l.text_right(true, 8.5, x, title.to_owned());
    }
    l.down(13.0);
    for sum in &d.rates {
        l.text_right(false, 9.0, 300.0, format!("{} %", sum.rate));
        l.text_right(false, 9.0, 400.0, money(sum.base));
        l.text_right(false, 9.0, 475.0, money(sum.vat));
        l.text_right(false, 9.0, right, money(sum.gross));
        l.down(13.0);
    }
    l.down(12.0);
    let total = if d.kind == DocumentKind::CreditNote {
        "Celkem k vrácení"
    } else {
        "Celkem k úhradě"
    };
    l.text_right(
        true,
        12.0,
        right,
        format!("{total}: {}", money(d.total.abs())),
    );
    l.down(18.0);
    if d.kind != DocumentKind::CreditNote {
        l.text_right(false, 9.0, right, "Uhrazeno – neplaťte.".to_owned());
    }
}

fn payment_name(method: &str) -> &str {
    match method {
        "CARD" => "platební karta online",
        "BANK_TRANSFER" => "bankovní převod",
        "CASH_ON_DELIVERY" => "dobírka",
        other => other,
    }
}

/// Writes the pages with both faces subset to the characters drawn.
fn write(layout: &Layout<'_>, files: [&[u8]; 2], number: &str) -> Result<Vec<u8>, String> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut id = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree, info) = (id(), id(), id());
    // Per face: the remapped glyphs of every character used.
    let mut subsets = Vec::new();
    for (index, face) in layout.faces.iter().enumerate() {
        let used: BTreeSet<char> = marks(layout)
            .filter_map(|(bold, text)| (usize::from(bold) == index).then_some(text))
            .flat_map(str::chars)
            .collect();
        let mut remapper = subsetter::GlyphRemapper::new();
        let glyphs: Vec<(char, u16)> = used
            .iter()
            .map(|c| (*c, remapper.remap(face.glyph_index(*c).map_or(0, |g| g.0))))
            .collect();
        let subset = subsetter::subset(files[index], 0, &remapper).map_err(|e| format!("{e:?}"))?;
        subsets.push((remapper, glyphs, subset));
    }
    let mut font_refs = Vec::new();
    for (index, (remapper, glyphs, subset)) in subsets.iter().enumerate() {
        let face = &layout.faces[index];
        let (type0, cid, descriptor, file, cmap) = (id(), id(), id(), id(), id());
        let name = if index == 0 {
            "DejaVuSans"
        } else {
            "DejaVuSans-Bold"
        };
        let base = format!("LIPAAA+{name}");
        pdf.type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let scale = 1000.0 / f32::from(face.units_per_em());
        let widths: Vec<f32> = remapper
            .remapped_gids()
            .map(|old| {
                face.glyph_hor_advance(ttf_parser::GlyphId(old))
                    .map_or(0.0, |w| f32::from(w) * scale)
            })
            .collect();
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font.widths().consecutive(0, widths);
        cid_font.finish();
        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(face.ascender()) * scale)
            .descent(f32::from(face.descender()) * scale)
            .cap_height(f32::from(face.capital_height().unwrap_or(700)) * scale)
            .stem_v(80.0)
            .font_file2(file);
        pdf.stream(file, &deflate(subset))
            .filter(Filter::FlateDecode);
        let mut unicode = UnicodeCmap::new(Name(b"Custom"), info);
        for (c, gid) in glyphs {
            unicode.pair(*gid, *c);
        }
        pdf.cmap(cmap, &unicode.finish());
        font_refs.push(type0);
    }
    let mut page_ids = Vec::new();
    for page in &layout.pages {
        let (page_id, content_id) = (id(), id());
        let mut content = Content::new();
        for mark in page {
            match mark {
                Mark::Text {
                    bold,
                    size,
                    x,
                    y,
                    text,
                } => {
                    let (remapper, ..) = &subsets[usize::from(*bold)];
                    let face = &layout.faces[usize::from(*bold)];
                    let encoded: Vec<u8> = text
                        .chars()
                        .map(|c| {
                            remapper
                                .get(face.glyph_index(c).map_or(0, |g| g.0))
                                .unwrap_or(0)
                        })
                        .flat_map(u16::to_be_bytes)
                        .collect();
                    let font = if *bold { Name(b"F2") } else { Name(b"F1") };
                    content
                        .begin_text()
                        .set_font(font, *size)
                        .next_line(*x, *y)
                        .show(Str(&encoded))
                        .end_text();
                }
                Mark::Rule { y } => {
                    content
                        .set_line_width(0.5)
                        .move_to(MARGIN, *y)
                        .line_to(PAGE_WIDTH - MARGIN, *y)
                        .stroke();
                }
            }
        }
        pdf.stream(content_id, &deflate(&content.finish()))
            .filter(Filter::FlateDecode);
        let mut writer = pdf.page(page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        writer
            .resources()
            .fonts()
            .pair(Name(b"F1"), font_refs[0])
            .pair(Name(b"F2"), font_refs[1]);
        writer.finish();
        page_ids.push(page_id);
    }
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.catalog(catalog).pages(tree);
    pdf.document_info(info)
        .title(pdf_writer::TextStr(number))
        .producer(pdf_writer::TextStr("Lípa"));
    Ok(pdf.finish())
}

fn marks<'a>(layout: &'a Layout<'_>) -> impl Iterator<Item = (bool, &'a str)> {
    layout.pages.iter().flatten().filter_map(|mark| match mark {
        Mark::Text { bold, text, .. } => Some((*bold, text.as_str())),
        Mark::Rule { .. } => None,
    })
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).ok();
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoices::document::{Line, Party, RateSum};

    fn fonts() -> Fonts {
        Fonts::load(Path::new("/usr/share/fonts/truetype/dejavu")).expect("fonts-dejavu-core")
    }

    fn document(lines: usize) -> TaxDocument {
        let party = Party {
            name: "Lípa s.r.o.".into(),
            address: vec!["Lipová 1".into(), "110 00 Praha 1".into()],
            ico: Some("12345678".into()),
            dic: Some("CZ12345678".into()),
            note: None,
        };
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        TaxDocument {
            kind: DocumentKind::Invoice,
            number: "FV2026000001".into(),
            original_number: None,
            reason: None,
            order_number: "2026000001".into(),
            issued_on: day,
            taxable_on: day,
            seller: party.clone(),
            buyer: Some(party),
            payment_method: "CARD".into(),
            lines: (0..lines)
                .map(|i| Line {
                    description: format!(
                        "Židle č. {i} s velmi dlouhým názvem, který se do sloupce nevejde celý"
                    ),
                    quantity: 1,
                    unit_net: 1_000,
                    vat_rate: 21,
                    gross: 1_210,
                })
                .collect(),
            rates: vec![RateSum {
                rate: 21,
                base: 1_000,
                vat: 210,
                gross: 1_210,
            }],
            total: 1_210,
        }
    }

    #[test]
    fn a_long_document_flows_onto_more_pages_and_stays_small() {
        let fonts = fonts();
        let short = render(&document(3), &fonts).unwrap();
        assert!(short.starts_with(b"%PDF-"));
        assert!(
            short.len() < 60_000,
            "subset fonts keep it small: {} bytes",
            short.len()
        );
        let long = render(&document(120), &fonts).unwrap();
        let text = String::from_utf8_lossy(&long);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert!(pages >= 3, "120 lines take several pages, not {pages}");
    }
}
