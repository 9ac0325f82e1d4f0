//! The store as a directory (`MEDIA_DIR`); every instance must see the same directory (a shared
//! volume) until a bucket implementation replaces it.

use std::io::{Error, ErrorKind};
use std::path::{Path, PathBuf};

use futures_util::future::BoxFuture;

use super::{MediaStore, is_valid_key};

/// Files under one root directory.
#[derive(Debug, Clone)]
pub struct DiskStore {
    root: PathBuf,
}

impl DiskStore {
    /// A store rooted at `root` (created when first written).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        if is_valid_key(key) {
            Ok(self.root.join(key))
        } else {
            Err(Error::new(ErrorKind::InvalidInput, "invalid media key"))
        }
    }
}

impl MediaStore for DiskStore {
    fn put_file<'a>(&'a self, key: &'a str, from: &'a Path) -> BoxFuture<'a, std::io::Result<()>> {
        Box::pin(async move {
            let to = self.path(key)?;
            if let Some(dir) = to.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            // A rename within one file system; a copy across file systems (temp dir elsewhere).
            if tokio::fs::rename(from, &to).await.is_err() {
                tokio::fs::copy(from, &to).await?;
                tokio::fs::remove_file(from).await.ok();
            }
            Ok(())
        })
    }

    fn put_bytes<'a>(
        &'a self,
        key: &'a str,
        bytes: &'a [u8],
    ) -> BoxFuture<'a, std::io::Result<()>> {
        Box::pin(async move {
            let to = self.path(key)?;
            if let Some(dir) = to.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            tokio::fs::write(to, bytes).await
        })
    }

    fn local_path<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<PathBuf>> {
        Box::pin(async move {
            let path = self.path(key)?;
            tokio::fs::metadata(&path).await?;
            Ok(path)
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<()>> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(error) if error.kind() != ErrorKind::NotFound => Err(error),
                _ => Ok(()),
            }
        })
    }
}
