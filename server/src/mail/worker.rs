//! The background worker that delivers the outbox. Any number of instances may run it at once:
//! each claims different rows (`SKIP LOCKED`). Delivery is at least once.

use std::time::Duration;

use sqlx::PgPool;

use super::{outbox, smtp::Mailer};

/// Messages claimed per round.
const BATCH: i64 = 20;
/// Pause between rounds when the outbox is empty.
const IDLE: Duration = Duration::from_millis(500);
/// Failed messages wait 30 s, 1 min, 2 min… up to an hour before the next try.
fn backoff_secs(attempts: i32) -> i64 {
    (30_i64 << attempts.clamp(0, 7)).min(3600)
}

/// Runs forever; start it with `tokio::spawn`.
pub async fn run(pool: PgPool, mailer: Mailer) {
    loop {
        match deliver_due(&pool, &mailer).await {
            Ok(0) => tokio::time::sleep(IDLE).await,
            Ok(_) => {}
            Err(error) => {
                tracing::error!(%error, "the outbox worker could not reach the database");
                tokio::time::sleep(IDLE * 4).await;
            }
        }
    }
}

/// Delivers one batch of due messages; returns how many it tried.
pub async fn deliver_due(pool: &PgPool, mailer: &Mailer) -> sqlx::Result<usize> {
    let mut tx = pool.begin().await?;
    let claimed = outbox::claim(&mut tx, BATCH).await?;
    for message in &claimed {
        match mailer.send(&message.payload).await {
            Ok(()) => outbox::mark_delivered(&mut tx, message.id).await?,
            Err(error) => {
                tracing::warn!(id = message.id, attempts = message.attempts + 1, %error, "e-mail not delivered; will retry");
                outbox::mark_failed(&mut tx, message.id, &error, backoff_secs(message.attempts))
                    .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(claimed.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(super::backoff_secs(0), 30);
        assert_eq!(super::backoff_secs(1), 60);
        assert_eq!(super::backoff_secs(20), 3600);
    }
}
