//! Typing asks the server once, not once a key: a request starts after a short quiet spell,
//! and only the newest request's answer is used (an older one arriving late is dropped).

use std::time::Duration;

use leptos::prelude::*;

/// How long typing must pause before a request starts.
pub const QUIET: Duration = Duration::from_millis(250);

/// The newest of a series of requests (copyable into event handlers).
#[derive(Debug, Clone, Copy)]
pub struct Latest(StoredValue<u32>);

impl Default for Latest {
    fn default() -> Self {
        Self(StoredValue::new(0))
    }
}

impl Latest {
    /// Starts a new request: every earlier one is stale from now on. Returns its ticket.
    pub fn renew(&self) -> u32 {
        self.0.update_value(|n| *n = n.wrapping_add(1));
        self.0.get_value()
    }

    /// Whether `ticket` is still the newest request.
    pub fn is_current(&self, ticket: u32) -> bool {
        self.0.get_value() == ticket
    }

    /// Runs `work` after [`QUIET`], unless a newer request came meanwhile; `work` gets the
    /// ticket to check again when its answer arrives.
    pub fn after_quiet(&self, work: impl FnOnce(u32) + 'static) {
        let ticket = self.renew();
        let latest = *self;
        set_timeout(
            move || {
                if latest.is_current(ticket) {
                    work(ticket);
                }
            },
            QUIET,
        );
    }
}
