//! Passwords: argon2id with OWASP's parameters, a policy, and rehashing when parameters change.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Semaphore;

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// OWASP's argon2id recommendation in its least-memory form: 7 MiB, 5 iterations, 1 lane,
/// "an equal level of defense" to its 19 MiB × 2 and about the same CPU. A hash's memory is the
/// server's largest single allocation; with 19 MiB, two logins at once lifted the resident size
/// by 38 MiB under load.
const MEMORY_KIB: u32 = 7 * 1024;
const ITERATIONS: u32 = 5;
const LANES: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when the account does not exist, so that unknown and known e-mails
/// take the same time.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("dummy password for timing").expect("hashing works"));

/// Hashes computed at once: each takes 7 MiB and tens of milliseconds of a core, off the async
/// runtime; more requests wait their turn instead of starving every other request.
static HASHING: Semaphore = Semaphore::const_new(2);

/// Password hashing could not run.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// [`hash`] on the blocking pool, at most two at once.
pub(crate) async fn hash_off_runtime(password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    off_runtime(move || hash(&password).map_err(|e| HashError(e.to_string())))
        .await
        .and_then(|hashed| hashed)
}

/// [`verify`] on the blocking pool, at most two at once.
pub(crate) async fn verify_off_runtime(
    password: &str,
    stored: Option<String>,
) -> Result<bool, HashError> {
    let password = password.to_owned();
    off_runtime(move || verify(&password, stored.as_deref())).await
}

async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    let _turn = HASHING
        .acquire()
        .await
        .map_err(|e| HashError(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| HashError(e.to_string()))
}

/// One password hash or check per GraphQL request, so aliases cannot multiply what one request
/// costs. Each request gets a fresh one.
#[derive(Debug, Default)]
pub(crate) struct HashingBudget(AtomicBool);

impl HashingBudget {
    /// Takes the request's one hash; false when it was taken already.
    pub(crate) fn spend(&self) -> bool {
        !self.0.swap(true, Ordering::SeqCst)
    }
}

/// Hashes a password (PHC string with its parameters and salt).
pub(crate) fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches `stored`; `None` for an unknown account still spends the time.
pub(crate) fn verify(password: &str, stored: Option<&str>) -> bool {
    let Some(stored) = stored else {
        let _ = verify_hash(password, &DUMMY_HASH);
        return false;
    };
    verify_hash(password, stored)
}

fn verify_hash(password: &str, stored: &str) -> bool {
    if password.chars().count() > super::validate::MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Whether `stored` was made with other parameters than today's (then rehash on next login).
pub(crate) fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    let current =
        |p: Params| (p.m_cost(), p.t_cost(), p.p_cost()) == (MEMORY_KIB, ITERATIONS, LANES);
    parsed.algorithm.as_str() != "argon2id" || !Params::try_from(&parsed).is_ok_and(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_carry_owasp_parameters() {
        let stored = hash("správné heslo 123").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
            "{stored}"
        );
        assert!(verify("správné heslo 123", Some(&stored)));
        assert!(!verify("špatné heslo 123", Some(&stored)));
        assert!(!verify("cokoli", None));
        assert!(!needs_rehash(&stored));
    }

    #[test]
    fn old_parameters_are_rehashed() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let stored = weak
            .hash_password(b"heslo", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(needs_rehash(&stored));
    }
}
