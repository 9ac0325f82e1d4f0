//! Rate limits kept in Redis, so every server instance counts against the same limit.
//! While Redis is down, each instance counts on its own (the shop keeps working, the limits
//! hold per instance; `/ready` says why).

use std::time::Duration;

use crate::cache::Redis;

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Names the counters in Redis.
    pub name: &'static str,
    /// Hits allowed per window.
    pub max: i64,
    /// How long a count lasts.
    pub window: Duration,
}

/// Sign-in attempts from one IP address.
pub const LOGIN_PER_IP: Limit = Limit {
    name: "login-ip",
    max: 30,
    window: Duration::from_secs(300),
};
/// Sign-in attempts for one account (e-mail); above the lockout threshold, so a locked account
/// still cannot be hammered.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    name: "login-account",
    max: 20,
    window: Duration::from_secs(300),
};
/// Password-reset e-mails asked for one address or from one IP.
pub const RESET_REQUESTS: Limit = Limit {
    name: "reset",
    max: 5,
    window: Duration::from_secs(3600),
};
/// New passwords set with a reset link from one IP (each costs a hash; tokens are checked
/// first).
pub const PASSWORD_SETS_PER_IP: Limit = Limit {
    name: "password-set-ip",
    max: 10,
    window: Duration::from_secs(900),
};
/// Password changes of one account (each checks the current password: a guessing target).
pub const PASSWORD_SETS_PER_ACCOUNT: Limit = Limit {
    name: "password-set-account",
    max: 10,
    window: Duration::from_secs(900),
};
/// Guest order attempts from one IP: each reserves stock and e-mails any address.
pub const GUEST_ORDERS_PER_IP: Limit = Limit {
    name: "guest-order-ip",
    max: 20,
    window: Duration::from_secs(3600),
};
/// Guest order attempts for one mailbox.
pub const GUEST_ORDERS_PER_MAILBOX: Limit = Limit {
    name: "guest-order-mailbox",
    max: 10,
    window: Duration::from_secs(3600),
};
/// Carts created from one IP.
pub const CARTS_PER_IP: Limit = Limit {
    name: "cart-ip",
    max: 600,
    window: Duration::from_secs(3600),
};
/// Registrations from one IP.
pub const REGISTRATIONS_PER_IP: Limit = Limit {
    name: "register-ip",
    max: 10,
    window: Duration::from_secs(3600),
};

/// Guest order look-ups (number + e-mail) from one IP: numbers are sequential, so guessing
/// e-mails must stay slow.
pub const ORDER_LOOKUPS_PER_IP: Limit = Limit {
    name: "order-lookup-ip",
    max: 20,
    window: Duration::from_secs(300),
};

/// A limit was reached: the caller may try again after `retry_after` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Too many attempts; try again in {retry_after} s.")]
pub struct RateLimited {
    /// Seconds until the window lets the next hit through.
    pub retry_after: i64,
}

/// Counts a hit for `subject` under `limit`; past the limit it is refused with the seconds to
/// wait (`RATE_LIMITED` with `extensions.retryAfter` to GraphQL clients).
pub async fn check(redis: &Redis, limit: Limit, subject: &str) -> Result<(), RateLimited> {
    let key = format!("rate:{}:{subject}", limit.name);
    match redis.hit(&key, limit.window).await {
        (count, retry_after) if count > limit.max => Err(RateLimited { retry_after }),
        _ => Ok(()),
    }
}

/// Clears `subject`'s count under `limit` (after a successful sign-in, say).
pub async fn reset(redis: &Redis, limit: Limit, subject: &str) {
    redis.reset(&format!("rate:{}:{subject}", limit.name)).await;
}
