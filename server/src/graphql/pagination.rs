//! Relay cursor pagination (`first`/`after`, `last`/`before`) over offsets, at most 100 a page.

use async_graphql::SimpleObject;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::error::bad_input;

/// The most items one page may hold.
pub(crate) const MAX_PAGE_SIZE: i32 = 100;
/// The page size when the client names none.
pub(crate) const DEFAULT_PAGE_SIZE: i32 = 20;

/// A slice of a list: skip `offset` items, take `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub offset: i64,
    pub limit: i64,
}

impl PageRequest {
    /// Validates the Relay arguments; a bad combination is a `BAD_USER_INPUT` error.
    pub(crate) fn from_args(
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
    ) -> async_graphql::Result<Self> {
        for (name, value) in [("first", first), ("last", last)] {
            match value {
                Some(n) if n < 0 => {
                    return Err(bad_input(format!("`{name}` must not be negative")));
                }
                Some(n) if n > MAX_PAGE_SIZE => {
                    return Err(bad_input(format!(
                        "`{name}` is {n}, but a page holds at most {MAX_PAGE_SIZE} items"
                    )));
                }
                _ => {}
            }
        }
        if first.is_some() && last.is_some() {
            return Err(bad_input("use `first` or `last`, not both"));
        }
        let after = after.map(decode_cursor).transpose()?;
        let before = before.map(decode_cursor).transpose()?;
        match (last, before) {
            (Some(last), Some(before)) => {
                let start = after.map_or(0, |a| a + 1).max(before - i64::from(last));
                Ok(Self {
                    offset: start,
                    limit: (before - start).max(0),
                })
            }
            (Some(_), None) => Err(bad_input(
                "`last` needs `before`: page backwards from a cursor",
            )),
            (None, before) => {
                let offset = after.map_or(0, |a| a + 1);
                let mut limit = i64::from(first.unwrap_or(DEFAULT_PAGE_SIZE));
                if let Some(before) = before {
                    limit = limit.min((before - offset).max(0));
                }
                Ok(Self { offset, limit })
            }
        }
    }
}

/// The cursor of the item at `index` in the whole list.
pub(crate) fn encode_cursor(index: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{index}"))
}

fn decode_cursor(cursor: &str) -> async_graphql::Result<i64> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("cursor:")?.parse::<i64>().ok())
        .filter(|index| (0..=1_000_000_000).contains(index))
        .ok_or_else(|| bad_input(format!("\"{cursor}\" is not a valid cursor")))
}

/// Where a page stands in its list.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(serial)]
pub(crate) struct PageInfo {
    /// Whether items follow this page.
    pub has_next_page: bool,
    /// Whether items precede this page.
    pub has_previous_page: bool,
    /// Cursor of the first item of the page.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of the page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// Page info for `count` items fetched at `page`, with `more` telling whether any follow.
    pub(crate) fn new(page: PageRequest, count: usize, more: bool) -> Self {
        let last = page.offset + count as i64 - 1;
        Self {
            has_next_page: more,
            has_previous_page: page.offset > 0,
            start_cursor: (count > 0).then(|| encode_cursor(page.offset)),
            end_cursor: (count > 0).then(|| encode_cursor(last)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_pages_start_after_the_cursor() {
        let page = PageRequest::from_args(Some(10), Some(&encode_cursor(9)), None, None).unwrap();
        assert_eq!(
            page,
            PageRequest {
                offset: 10,
                limit: 10
            }
        );
        assert_eq!(
            PageRequest::from_args(None, None, None, None)
                .unwrap()
                .limit,
            20
        );
    }

    #[test]
    fn backward_pages_end_before_the_cursor() {
        let page = PageRequest::from_args(None, None, Some(5), Some(&encode_cursor(12))).unwrap();
        assert_eq!(
            page,
            PageRequest {
                offset: 7,
                limit: 5
            }
        );
        let page = PageRequest::from_args(None, None, Some(50), Some(&encode_cursor(3))).unwrap();
        assert_eq!(
            page,
            PageRequest {
                offset: 0,
                limit: 3
            }
        );
    }

    #[test]
    fn refuses_oversized_pages_and_bad_cursors() {
        assert!(PageRequest::from_args(Some(101), None, None, None).is_err());
        assert!(PageRequest::from_args(Some(-1), None, None, None).is_err());
        assert!(PageRequest::from_args(Some(5), Some("garbage"), None, None).is_err());
        assert!(PageRequest::from_args(None, None, Some(5), None).is_err());
        assert!(PageRequest::from_args(Some(1), None, Some(1), Some(&encode_cursor(3))).is_err());
    }
}
