//! Heureka-style XML: every `SHOPITEM` element is a row; its child elements are the fields
//! (nested ones by path, `STOCK/QUANTITY`; the first of repeated ones counts). Hostile files are
//! refused: a document type declaration (the carrier of entity expansion bombs and external
//! entities) stops the import, undefined entities and malformed markup end it with the position,
//! and nesting, field sizes and field counts are capped.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::Event;

use super::Entry;
use crate::suppliers::mapping::MAX_FIELD_BYTES;

/// The element that is one item.
const ITEM: &str = "SHOPITEM";
/// Deepest nesting accepted.
const MAX_DEPTH: usize = 32;
/// Most fields of one item.
const MAX_FIELDS: usize = 500;

/// Sends every `SHOPITEM` in `file`.
pub(super) fn read(file: impl BufRead, mut send: impl FnMut(Entry) -> bool) {
    let mut reader = Reader::from_reader(file);
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    // Element names from the root down to the current one.
    let mut path: Vec<String> = Vec::new();
    // The item being read: where it starts in `path`, its fields, the text of the open field.
    let mut item: Option<OpenItem> = None;
    let mut number = 0;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(error) => {
                send(Entry::Fatal(format!(
                    "XML je poškozené u bajtu {}: {error}",
                    reader.error_position()
                )));
                return;
            }
        };
        match event {
            Event::DocType(_) => {
                send(Entry::Fatal(
                    "Soubor obsahuje deklaraci typu dokumentu (<!DOCTYPE>), kterou import z bezpečnostních důvodů nepřijímá."
                        .into(),
                ));
                return;
            }
            Event::Start(start) => {
                let name = start.name().as_ref().to_owned();
                if path.len() >= MAX_DEPTH {
                    send(Entry::Fatal(format!(
                        "XML je vnořené hlouběji než {MAX_DEPTH} úrovní."
                    )));
                    return;
                }
                path.push(name);
                match &mut item {
                    None if path.last().is_some_and(|n| n == ITEM) => {
                        item = Some(OpenItem {
                            depth: path.len(),
                            ..OpenItem::default()
                        });
                    }
                    Some(open) => open.text.clear(),
                    None => {}
                }
            }
            Event::Text(text) => append(&mut item, &text.xml10_content()),
            Event::CData(data) => append(&mut item, &data.xml10_content()),
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => append(&mut item, c.encode_utf8(&mut [0; 4])),
                Ok(None) => match resolve_xml_entity(&reference) {
                    Some(text) => append(&mut item, text),
                    None => {
                        send(Entry::Fatal(format!(
                            "XML používá nedefinovanou entitu &{}; (u bajtu {}).",
                            reference.chars().take(40).collect::<String>(),
                            reader.buffer_position()
                        )));
                        return;
                    }
                },
                Err(error) => mark(&mut item, format!("Neplatný odkaz na znak: {error}")),
            },
            Event::End(_) => {
                let closing_item = item.as_ref().is_some_and(|open| open.depth == path.len());
                if closing_item {
                    let open = item.take().unwrap_or_default();
                    number += 1;
                    let fields = match open.problem {
                        Some(problem) => Err(problem),
                        None => Ok(open.fields),
                    };
                    if !send(Entry::Row { number, fields }) {
                        return;
                    }
                } else if let Some(open) = &mut item {
                    open.close_field(&path);
                }
                path.pop();
            }
            Event::Eof => {
                if number == 0 {
                    send(Entry::Fatal(format!(
                        "Soubor neobsahuje žádnou položku {ITEM}."
                    )));
                }
                return;
            }
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
}

/// The `SHOPITEM` being read.
#[derive(Default)]
struct OpenItem {
    /// Its place in the element path.
    depth: usize,
    /// The fields read so far.
    fields: HashMap<String, String>,
    /// The text of the innermost open element.
    text: String,
    /// What makes the item unreadable, if anything.
    problem: Option<String>,
}

impl OpenItem {
    /// Stores the text of the element that `path` ends with under its path below the item.
    fn close_field(&mut self, path: &[String]) {
        let text = std::mem::take(&mut self.text).trim().to_owned();
        let field = path[self.depth..].join("/");
        if text.is_empty() || self.fields.contains_key(&field) {
            return;
        }
        if self.fields.len() >= MAX_FIELDS {
            self.problem = Some(format!("Položka má víc než {MAX_FIELDS} polí."));
        } else {
            self.fields.insert(field, text);
        }
    }
}

/// Adds text to the open field of the open item, within the size limit.
fn append(item: &mut Option<OpenItem>, more: &str) {
    if let Some(open) = item {
        if open.text.len() + more.len() > MAX_FIELD_BYTES {
            open.problem = Some(format!("Pole je delší než {} kB.", MAX_FIELD_BYTES / 1024));
        } else {
            open.text.push_str(more);
        }
    }
}

/// Marks the open item as broken.
fn mark(item: &mut Option<OpenItem>, message: String) {
    if let Some(open) = item {
        open.problem.get_or_insert(message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Entry, read_all};

    #[test]
    fn items_with_nested_fields_entities_and_cdata() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<SHOP>
  <SHOPITEM>
    <ITEM_ID>A-1</ITEM_ID>
    <PRODUCTNAME>Židle &amp; stůl &#8211; set</PRODUCTNAME>
    <DESCRIPTION><![CDATA[<p>Pevná</p>]]></DESCRIPTION>
    <STOCK><QUANTITY>5</QUANTITY></STOCK>
    <PARAM><PARAM_NAME>Barva</PARAM_NAME></PARAM>
    <PARAM><PARAM_NAME>Druhá</PARAM_NAME></PARAM>
  </SHOPITEM>
  <SHOPITEM><ITEM_ID>A-2</ITEM_ID><EMPTY/></SHOPITEM>
</SHOP>"#;
        let entries = read_all(xml.as_bytes());
        assert_eq!(entries.len(), 2, "{entries:?}");
        let Entry::Row {
            number: 1,
            fields: Ok(fields),
        } = &entries[0]
        else {
            panic!("{entries:?}")
        };
        assert_eq!(fields["ITEM_ID"], "A-1");
        assert_eq!(fields["PRODUCTNAME"], "Židle & stůl – set");
        assert_eq!(fields["DESCRIPTION"], "<p>Pevná</p>");
        assert_eq!(fields["STOCK/QUANTITY"], "5");
        assert_eq!(fields["PARAM/PARAM_NAME"], "Barva");
        let Entry::Row {
            number: 2,
            fields: Ok(second),
        } = &entries[1]
        else {
            panic!("{entries:?}")
        };
        assert_eq!(second["ITEM_ID"], "A-2");
    }

    fn fatal(xml: &str) -> String {
        match read_all(xml.as_bytes()).pop() {
            Some(Entry::Fatal(message)) => message,
            other => panic!("expected a fatal error, got {other:?}"),
        }
    }

    #[test]
    fn entity_bombs_and_external_entities_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><SHOP><SHOPITEM><ITEM_ID>&lol2;</ITEM_ID></SHOPITEM></SHOP>"#;
        assert!(fatal(bomb).contains("DOCTYPE"));
        let external = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><SHOP><SHOPITEM><ITEM_ID>&xxe;</ITEM_ID></SHOPITEM></SHOP>"#;
        assert!(fatal(external).contains("DOCTYPE"));
        let undefined = "<SHOP><SHOPITEM><ITEM_ID>&xxe;</ITEM_ID></SHOPITEM></SHOP>";
        assert!(fatal(undefined).contains("nedefinovanou entitu"));
    }

    #[test]
    fn malformed_and_empty_files_end_with_a_reason() {
        assert!(fatal("<SHOP><SHOPITEM><ITEM_ID>1</NAME></SHOPITEM></SHOP>").contains("poškozené"));
        assert!(fatal("<SHOP></SHOP>").contains("žádnou položku"));
        let deep = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
        assert!(fatal(&deep).contains("vnořené"));
    }
}
