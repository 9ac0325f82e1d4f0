//! Reading a supplier's file as a stream of rows: a CSV with a header or Heureka-style XML
//! (`SHOP/SHOPITEM`). The file is read on a blocking thread and handed over a row at a time
//! through a bounded channel, so a file of any length takes the same memory.

mod csv;
mod xml;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use tokio::sync::mpsc;

/// Rows waiting between the reading thread and the import at most.
const CHANNEL_ROWS: usize = 256;

/// One row's fields by name, or why the row could not be read (in Czech).
pub(crate) type Fields = Result<HashMap<String, String>, String>;

/// What a supplier's file yields, in order.
#[derive(Debug)]
pub(crate) enum Entry {
    /// A data row (numbered from 1) with its fields by name, or why it could not be read.
    Row {
        /// The row's number among the data rows (XML: the `SHOPITEM`'s number).
        number: u64,
        /// The fields, or the reason in Czech.
        fields: Fields,
    },
    /// The file cannot be read any further; why, in Czech.
    Fatal(String),
}

/// Reads the file on a blocking thread; the channel closes after the last row or a fatal
/// problem. Dropping the receiver stops the reading.
pub(crate) fn read(path: PathBuf) -> mpsc::Receiver<Entry> {
    let (sender, receiver) = mpsc::channel(CHANNEL_ROWS);
    tokio::task::spawn_blocking(move || {
        let send = |entry: Entry| sender.blocking_send(entry).is_ok();
        match std::fs::File::open(&path) {
            Ok(file) => read_any(BufReader::with_capacity(64 * 1024, file), send),
            Err(error) => {
                send(Entry::Fatal(format!("Soubor nelze otevřít: {error}")));
            }
        }
    });
    receiver
}

/// Tells XML from CSV by the first character that is not a byte-order mark or white space.
fn read_any(mut file: impl BufRead, send: impl FnMut(Entry) -> bool) {
    let is_xml = match file.fill_buf() {
        Ok(start) => start
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(start)
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'<'),
        Err(_) => false,
    };
    if is_xml {
        xml::read(file, send);
    } else {
        csv::read(file, send);
    }
}

#[cfg(test)]
pub(crate) fn read_all(bytes: &[u8]) -> Vec<Entry> {
    let mut entries = Vec::new();
    read_any(bytes, |entry| {
        entries.push(entry);
        true
    });
    entries
}
