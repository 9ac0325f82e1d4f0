//! Periodic background work of every instance: booking the bank's new movements, following
//! refunds, cancelling unpaid orders whose payment window closed (their stock goes back on
//! sale, subscribers hear of it), issuing tax documents, keeping the sales rollups current,
//! sweeping abandoned guest carts, syncing Zásilkovna's pickup points when due and sending the
//! watchdog's notices. Each step is safe to run on any number of instances at once.

use std::time::Duration;

use crate::AppState;

/// Runs forever, a round every `every`; start it with `tokio::spawn`.
pub async fn run(state: AppState, every: Duration) {
    let crate::Shared {
        pool,
        live,
        redis,
        payments,
        invoices,
        config,
        ..
    } = &*state;
    let pickup_feed = &config.pickup_point_feed;
    let shop_url = &config.public_url;
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(300))
        .build()
        .unwrap_or_default();
    loop {
        match crate::invoices::service::issue_due(pool, invoices).await {
            Ok(0) => {}
            Ok(issued) => tracing::info!(issued, "issued tax documents"),
            Err(error) => tracing::warn!(%error, "could not issue tax documents"),
        }
        match crate::payments::service::poll_bank(pool, redis, payments).await {
            Ok(changes) => {
                for change in changes {
                    live.publish(change).await;
                }
            }
            Err(error) => tracing::warn!(%error, "could not read the bank's movements"),
        }
        if let Err(error) = crate::payments::service::follow_pending_refunds(pool, payments).await {
            tracing::warn!(%error, "could not follow pending refunds");
        }
        match crate::orders::service::cancel_overdue(pool).await {
            Ok(changes) => {
                if !changes.is_empty() {
                    crate::catalog::catalog_changed(redis).await;
                    tracing::info!(
                        cancelled = changes.len(),
                        "cancelled unpaid orders after their payment window"
                    );
                }
                for change in changes {
                    live.publish(change).await;
                }
            }
            Err(error) => tracing::warn!(%error, "could not cancel overdue orders"),
        }
        if let Err(error) = crate::reports::rollup::refresh(pool).await {
            tracing::warn!(%error, "could not refresh the sales rollups");
        }
        match crate::cart::store::delete_expired_guest_carts(pool).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "swept expired guest carts"),
            Err(error) => tracing::warn!(%error, "could not sweep expired guest carts"),
        }
        crate::pickup_points::service::sync_if_due(pool, &http, pickup_feed).await;
        match crate::watchdog::service::notify_due(pool, shop_url).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "sent watchdog notices"),
            Err(error) => tracing::warn!(%error, "could not send watchdog notices"),
        }
        tokio::time::sleep(every).await;
    }
}
