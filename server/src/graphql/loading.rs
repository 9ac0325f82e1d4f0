//! Shared by the domains' dataloaders.

use std::{collections::HashMap, hash::Hash, ops::Deref, sync::Arc};

/// Every key with its rows (none for a key that has none), in the rows' order: the shape a
/// one-to-many loader returns.
pub(crate) fn group<K: Hash + Eq + Copy, V>(
    keys: &[K],
    rows: impl Iterator<Item = (K, V)>,
) -> HashMap<K, Vec<V>> {
    let mut groups: HashMap<K, Vec<V>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for (key, row) in rows {
        groups.entry(key).or_default().push(row);
    }
    groups
}

/// One of the rows a loader shares (`Arc<[T]>`), seen without copying it: a page's variants and
/// images are read from the request's loader cache by several fields each.
pub(crate) struct SharedRow<T> {
    rows: Arc<[T]>,
    index: usize,
}

impl<T> SharedRow<T> {
    /// Each row of `rows`, in order.
    pub(crate) fn each(rows: &Arc<[T]>) -> impl Iterator<Item = Self> + '_ {
        (0..rows.len()).map(|index| Self {
            rows: rows.clone(),
            index,
        })
    }

    /// A row nobody shares.
    pub(crate) fn single(row: T) -> Self {
        Self {
            rows: Arc::from(vec![row]),
            index: 0,
        }
    }
}

impl<T> Clone for SharedRow<T> {
    fn clone(&self) -> Self {
        Self {
            rows: self.rows.clone(),
            index: self.index,
        }
    }
}

impl<T> Deref for SharedRow<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.rows[self.index]
    }
}
