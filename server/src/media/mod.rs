//! Where uploaded files live (supplier files today): a directory on disk behind [`MediaStore`],
//! which an S3-compatible bucket can implement later. Keys are relative paths of lowercase
//! letters, digits, `-`, `_`, `.` and `/`, never `..`.

mod disk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::future::BoxFuture;

pub use disk::DiskStore;

/// A store of files by key.
pub trait MediaStore: Send + Sync {
    /// Moves the local file `from` into the store under `key`.
    fn put_file<'a>(&'a self, key: &'a str, from: &'a Path) -> BoxFuture<'a, std::io::Result<()>>;
    /// Stores `bytes` under `key`.
    fn put_bytes<'a>(&'a self, key: &'a str, bytes: &'a [u8])
    -> BoxFuture<'a, std::io::Result<()>>;
    /// A local path holding the file `key` (a remote store downloads it first).
    fn local_path<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<PathBuf>>;
    /// Removes `key`; a missing key is not an error.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<()>>;
}

/// The shop's store, shared.
pub type Media = Arc<dyn MediaStore>;

/// Whether `key` is a safe relative key.
pub(crate) fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && !key.starts_with('/')
        && key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_./".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_valid_key;

    #[test]
    fn keys_cannot_leave_the_store() {
        assert!(is_valid_key("imports/1f2e.dat"));
        assert!(!is_valid_key("../etc/passwd"));
        assert!(!is_valid_key("imports/../../x"));
        assert!(!is_valid_key("/abs"));
        assert!(!is_valid_key("a//b"));
        assert!(!is_valid_key("Velké"));
        assert!(!is_valid_key(""));
    }
}
