//! Logging: `tracing` events, readable in development and JSON in production.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::Mode;

/// Installs the global subscriber; `RUST_LOG` overrides the default levels.
pub fn init(mode: Mode) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info,leptos=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    match mode {
        Mode::Production => registry
            .with(fmt::layer().json().flatten_event(true))
            .init(),
        Mode::Development => registry.with(fmt::layer().compact()).init(),
    }
}
