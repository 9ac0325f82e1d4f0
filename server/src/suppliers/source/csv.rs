//! A CSV file with a header row: the delimiter (`;`, `,` or tab) is guessed from the header,
//! quoting follows RFC 4180, a row with the wrong number of fields is an error of that row.

use std::io::BufRead;

use super::{Entry, Fields};
use crate::suppliers::mapping::MAX_FIELD_BYTES;

/// Sends every data row of the CSV in `file`.
pub(super) fn read(mut file: impl BufRead, mut send: impl FnMut(Entry) -> bool) {
    let delimiter = match file.fill_buf() {
        Ok(start) => guess_delimiter(start),
        Err(error) => {
            send(Entry::Fatal(format!("Soubor nelze číst: {error}")));
            return;
        }
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(file);
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_owned()).collect(),
        Err(error) => {
            send(Entry::Fatal(format!("Hlavičku CSV nelze přečíst: {error}")));
            return;
        }
    };
    if header.iter().all(String::is_empty) {
        send(Entry::Fatal("Soubor je prázdný nebo nemá hlavičku.".into()));
        return;
    }
    let mut record = ::csv::StringRecord::new();
    let mut number = 0;
    loop {
        number += 1;
        let fields = match reader.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) => fields(&header, &record),
            Err(error) => match error.kind() {
                ::csv::ErrorKind::UnequalLengths { len, .. } => Err(format!(
                    "Řádek má {len} polí, hlavička {} (chybné uvozovky nebo oddělovač?).",
                    header.len()
                )),
                ::csv::ErrorKind::Utf8 { .. } => Err("Řádek není v kódování UTF-8.".to_owned()),
                _ => {
                    send(Entry::Fatal(format!("Soubor nelze dočíst: {error}")));
                    return;
                }
            },
        };
        if !send(Entry::Row { number, fields }) {
            return;
        }
    }
}

fn fields(header: &[String], record: &::csv::StringRecord) -> Fields {
    if record.iter().any(|field| field.len() > MAX_FIELD_BYTES) {
        return Err(format!("Pole je delší než {} kB.", MAX_FIELD_BYTES / 1024));
    }
    Ok(header
        .iter()
        .zip(record.iter())
        .map(|(name, value)| (name.clone(), value.to_owned()))
        .collect())
}

/// The most frequent of `;`, `,` and tab in the first line (Czech spreadsheets write `;`).
fn guess_delimiter(start: &[u8]) -> u8 {
    let line = start.split(|b| *b == b'\n').next().unwrap_or_default();
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::super::{Entry, read_all};

    fn rows(text: &str) -> Vec<Result<Vec<(String, String)>, String>> {
        read_all(text.as_bytes())
            .into_iter()
            .map(|entry| match entry {
                Entry::Row { fields, .. } => fields.map(|f| {
                    let mut pairs: Vec<_> = f.into_iter().collect();
                    pairs.sort();
                    pairs
                }),
                Entry::Fatal(message) => Err(format!("FATAL {message}")),
            })
            .collect()
    }

    #[test]
    fn semicolons_quotes_and_a_bom() {
        let parsed = rows(
            "\u{feff}kod;nazev;cena\nA1;\"Židle; dřevo\";1 299,00\nA2;\"Stůl \"\"Oslo\"\"\";999\n",
        );
        assert_eq!(parsed.len(), 2);
        let first = parsed[0].as_ref().unwrap();
        assert!(first.contains(&("nazev".into(), "Židle; dřevo".into())));
        assert!(first.contains(&("kod".into(), "A1".into())));
        let second = parsed[1].as_ref().unwrap();
        assert!(second.contains(&("nazev".into(), "Stůl \"Oslo\"".into())));
    }

    #[test]
    fn a_broken_row_is_an_error_of_that_row_only() {
        let parsed = rows("code,name,price\nA,Chair,10\nB,\"Broken\" row\",20,30\nC,Table,30\n");
        assert_eq!(parsed.len(), 3);
        assert!(parsed[0].is_ok());
        assert!(parsed[1].as_ref().unwrap_err().contains("polí"));
        assert!(parsed[2].is_ok());
    }

    #[test]
    fn an_empty_file_is_fatal() {
        let parsed = rows("");
        assert!(parsed[0].as_ref().unwrap_err().starts_with("FATAL"));
    }
}
