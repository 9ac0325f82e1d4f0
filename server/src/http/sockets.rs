//! A cap on the WebSockets one client address keeps open on this instance. Sockets are tied to
//! the instance that accepted them, so the count lives here rather than in Redis: each instance
//! protects its own memory and connections.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Open WebSockets one client address may have on one instance.
pub const MAX_SOCKETS_PER_CLIENT: usize = 8;

/// Open WebSockets per client address. Cheap to clone.
#[derive(Clone, Default)]
pub struct SocketCounter(Arc<Mutex<HashMap<String, usize>>>);

/// One open socket; closing it (dropping this) frees its place.
pub struct SocketPermit {
    counter: SocketCounter,
    client: String,
}

impl SocketCounter {
    /// A place for one more socket of `client`, unless it has [`MAX_SOCKETS_PER_CLIENT`] already.
    pub fn open(&self, client: &str) -> Option<SocketPermit> {
        let mut open = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(client.to_owned()).or_default();
        if *count >= MAX_SOCKETS_PER_CLIENT {
            return None;
        }
        *count += 1;
        Some(SocketPermit {
            counter: self.clone(),
            client: client.to_owned(),
        })
    }
}

impl Drop for SocketPermit {
    fn drop(&mut self) {
        let mut open = self
            .counter
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_client_and_frees_on_close() {
        let counter = SocketCounter::default();
        let permits: Vec<_> = (0..MAX_SOCKETS_PER_CLIENT)
            .map(|_| counter.open("1.2.3.4").expect("a place"))
            .collect();
        assert!(counter.open("1.2.3.4").is_none(), "the cap holds");
        assert!(counter.open("5.6.7.8").is_some(), "others are not affected");
        drop(permits);
        assert!(
            counter.open("1.2.3.4").is_some(),
            "closed sockets free their place"
        );
    }
}
