//! Shared by the domains' dataloaders.

use std::{collections::HashMap, hash::Hash};

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
