//! Full-text search that ignores Czech diacritics and forgives typos.

use sqlx::PgPool;

use super::store;
use crate::error::bad_input;

/// The longest search query accepted, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 200;

/// A search query prepared for PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PreparedQuery {
    /// The catalog words the query stands for, typos corrected.
    pub words: Vec<String>,
    /// A `to_tsquery('simple', …)` expression: every word, each also as a prefix.
    pub ts_query: String,
    /// The corrected query, when it differs from what was typed.
    pub corrected: Option<String>,
}

/// Normalises, checks and corrects a query typed by a shopper.
pub(crate) async fn prepare(pool: &PgPool, query: &str) -> async_graphql::Result<PreparedQuery> {
    let query = query.trim();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(bad_input(format!(
            "a search query has at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let corrections = store::correct_words(pool, query).await?;
    if corrections.is_empty() {
        return Err(bad_input("the search query has no letters or digits"));
    }
    let typed: Vec<&str> = corrections
        .iter()
        .map(|(typed, _)| typed.as_str())
        .collect();
    // A word the catalog does not know stays as typed: the search then finds nothing, honestly.
    let words: Vec<String> = corrections
        .iter()
        .map(|(typed, fixed)| fixed.clone().unwrap_or_else(|| typed.clone()))
        .collect();
    let corrected =
        (words.iter().map(String::as_str).ne(typed.iter().copied())).then(|| words.join(" "));
    Ok(PreparedQuery {
        ts_query: ts_query(&words),
        words,
        corrected,
    })
}

/// `a:* & b:*` for the words `a`, `b` (already reduced to `[a-z0-9]`).
fn ts_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("{w}:*"))
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_required_and_may_be_a_prefix() {
        assert_eq!(ts_query(&["zidle".into(), "dub".into()]), "zidle:* & dub:*");
    }
}
