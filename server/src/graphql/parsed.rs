//! Parsed operations by their text. Apps and the storefront send the same few documents over
//! and over, and parsing one (a PEG parser) cost a tenth of a listing request's CPU: each
//! instance parses a document once and hands later requests a copy of the syntax tree.
//!
//! Full validation cost another tenth, and all of it but the checks of variable values depends
//! on the document alone; so an operation that passed it once is remembered, and later
//! requests for it are validated only for what depends on the variables (complexity, depth)
//! while the executor checks each variable's value where an argument reads it.

use std::collections::HashMap;
use std::sync::Mutex;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
};
use async_graphql::{Positioned, Request};

/// Text of the documents kept, at most; when full the cache starts over, so made-up documents
/// sent to flood it cost their senders a parse each and this instance a bounded amount of memory
/// (a syntax tree takes some ten times its text).
const BUDGET_BYTES: usize = 512 * 1024;
/// Larger documents are parsed every time (the storefront's operations are under 4 KB).
const MAX_KEPT_BYTES: usize = 8 * 1024;
/// Operations of one document remembered as valid (a document names few; names are the
/// client's, so a document cannot be grown without bound by naming made-up ones).
const MAX_VALID_OPERATIONS: usize = 8;

/// The cache of parsed documents of one instance.
#[derive(Default)]
pub(crate) struct ParsedDocuments {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    documents: HashMap<String, KeptDocument>,
    /// The length of all keys.
    bytes: usize,
}

struct KeptDocument {
    document: ExecutableDocument,
    /// The operations (by the name a request gave) that passed full validation.
    valid_operations: Vec<Option<String>>,
}

impl ParsedDocuments {
    /// Gives `request` its parsed document (from the cache, or parsed now and kept) and returns
    /// it; `None` when the text does not parse (the engine reports why when it runs).
    pub(crate) fn attach<'r>(&self, request: &'r mut Request) -> Option<&'r ExecutableDocument> {
        self.attach_known(request);
        request.parsed_query().ok()
    }

    /// [`Self::attach`], telling whether the operation `request` names passed full validation
    /// before (see [`Self::remember_valid`]).
    pub(crate) fn attach_known(&self, request: &mut Request) -> bool {
        let cached = self.lock().documents.get(&request.query).map(|kept| {
            let valid = kept
                .valid_operations
                .iter()
                .any(|name| name.as_deref() == request.operation_name.as_deref());
            (kept.document.clone(), valid)
        });
        if let Some((document, valid)) = cached {
            request.set_parsed_query(document);
            return valid;
        }
        let len = request.query.len();
        let Ok(document) = request.parsed_query() else {
            return false;
        };
        if len <= MAX_KEPT_BYTES {
            let kept_document = KeptDocument {
                document: document.clone(),
                valid_operations: Vec::new(),
            };
            let mut kept = self.lock();
            if kept.bytes + len > BUDGET_BYTES {
                *kept = Kept::default();
            }
            if kept
                .documents
                .insert(request.query.clone(), kept_document)
                .is_none()
            {
                kept.bytes += len;
            }
        }
        false
    }

    /// Remembers that the operation `operation` of the document `query` passed full
    /// validation, whatever the variables (a kept document only; at most a few names each).
    pub(crate) fn remember_valid(&self, query: &str, operation: Option<&str>) {
        let mut kept = self.lock();
        if let Some(kept) = kept.documents.get_mut(query)
            && kept.valid_operations.len() < MAX_VALID_OPERATIONS
            && !kept
                .valid_operations
                .iter()
                .any(|n| n.as_deref() == operation)
        {
            kept.valid_operations.push(operation.map(str::to_owned));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Consistent after any panic (one insert or reset at a time).
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The operation of `document` that a request naming `name` runs, as the engine picks it.
pub(crate) fn chosen_operation<'d>(
    document: &'d ExecutableDocument,
    name: Option<&str>,
) -> Option<&'d Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The type of the operation a request runs (`None` when it names none the document has).
pub(crate) fn operation_type(
    document: &ExecutableDocument,
    name: Option<&str>,
) -> Option<OperationType> {
    chosen_operation(document, name).map(|operation| operation.node.ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(cache: &ParsedDocuments) -> usize {
        cache.lock().documents.len()
    }

    #[test]
    fn a_document_is_parsed_once_and_handed_out_again() {
        let cache = ParsedDocuments::default();
        let text = "query A { products(first: 2) { nodes { id } } } mutation B { logout }";
        let mut first = Request::new(text).operation_name("B");
        let document = cache.attach(&mut first).expect("parses");
        assert_eq!(
            operation_type(document, Some("B")),
            Some(OperationType::Mutation)
        );
        assert_eq!(kept(&cache), 1);

        let mut again = Request::new(text);
        let document = cache.attach(&mut again).expect("from the cache");
        assert_eq!(
            operation_type(document, Some("A")),
            Some(OperationType::Query)
        );
        assert_eq!(
            operation_type(document, None),
            None,
            "two operations need a name"
        );
        assert_eq!(kept(&cache), 1);
    }

    #[test]
    fn an_operation_is_known_valid_once_remembered_and_by_its_name() {
        let cache = ParsedDocuments::default();
        let text = "query A { __typename } query B { __typename }";
        let request = |name: &str| Request::new(text).operation_name(name);
        assert!(!cache.attach_known(&mut request("A")));
        cache.remember_valid(text, Some("A"));
        assert!(cache.attach_known(&mut request("A")));
        assert!(!cache.attach_known(&mut request("B")));
        assert!(!cache.attach_known(&mut Request::new(text)));

        // A document that is not kept cannot be remembered.
        let other = "{ __typename }";
        cache.remember_valid(other, None);
        assert!(!cache.attach_known(&mut Request::new(other)));
    }

    #[test]
    fn broken_and_huge_documents_are_not_kept() {
        let cache = ParsedDocuments::default();
        assert!(cache.attach(&mut Request::new("{ products(")).is_none());
        let huge = format!("{{ {} }}", "__typename ".repeat(MAX_KEPT_BYTES / 10));
        assert!(cache.attach(&mut Request::new(huge)).is_some());
        assert_eq!(kept(&cache), 0);
    }

    #[test]
    fn a_full_cache_starts_over() {
        let cache = ParsedDocuments::default();
        let padding = "__typename ".repeat(400);
        let document = |n: usize| Request::new(format!("query Q{n:04} {{ {padding} }}"));
        let fit = BUDGET_BYTES / document(0).query.len();
        for n in 0..fit {
            assert!(cache.attach(&mut document(n)).is_some());
        }
        assert_eq!(kept(&cache), fit);
        assert!(cache.attach(&mut document(fit)).is_some());
        assert_eq!(kept(&cache), 1);
    }
}
