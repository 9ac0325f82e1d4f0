//! `GET /metrics`: request counts and latencies in the Prometheus text format.

use std::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::AppState;

/// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];
/// Status classes counted apart: 1xx–5xx.
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// Counters of this process. Each instance is scraped on its own and summed by Prometheus.
#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    bucket_counts: [AtomicU64; BUCKETS.len()],
    duration_micros_sum: AtomicU64,
    in_flight: AtomicU64,
}

impl Metrics {
    fn record(&self, status: u16, seconds: f64) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.bucket_counts[bucket].fetch_add(1, Ordering::Relaxed);
        }
        self.duration_micros_sum
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    fn render(&self, pool: &sqlx::PgPool) -> String {
        let mut out = String::with_capacity(2048);
        out.push_str("# HELP http_requests_total HTTP requests answered, by status class.\n# TYPE http_requests_total counter\n");
        let mut total = 0;
        for (class, counter) in CLASSES.iter().zip(&self.by_class) {
            let count = counter.load(Ordering::Relaxed);
            total += count;
            let _ = writeln!(out, "http_requests_total{{status=\"{class}\"}} {count}");
        }
        out.push_str("# HELP http_request_duration_seconds Time to answer a request.\n# TYPE http_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, counter) in BUCKETS.iter().zip(&self.bucket_counts) {
            cumulative += counter.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let sum = self.duration_micros_sum.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(
            out,
            "http_request_duration_seconds_bucket{{le=\"+Inf\"}} {total}"
        );
        let _ = writeln!(
            out,
            "http_request_duration_seconds_sum {sum}\nhttp_request_duration_seconds_count {total}"
        );
        let in_flight = self.in_flight.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# TYPE http_requests_in_flight gauge\nhttp_requests_in_flight {in_flight}"
        );
        let _ = writeln!(
            out,
            "# TYPE db_pool_connections gauge\ndb_pool_connections{{state=\"open\"}} {}\ndb_pool_connections{{state=\"idle\"}} {}",
            pool.size(),
            pool.num_idle()
        );
        out
    }
}

/// Middleware that times every request.
pub(crate) async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    state.metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let response = next.run(request).await;
    state.metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    state
        .metrics
        .record(response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`.
pub(crate) async fn render(State(state): State<AppState>) -> impl IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4")],
        state.metrics.render(&state.pool),
    )
}
