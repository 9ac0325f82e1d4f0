//! PayU's notification signature: `OpenPayu-Signature: sender=checkout;signature=<hex>;
//! algorithm=MD5;content=DOCUMENT`, valid when `hex(H(body ‖ second_key))` equals the signature
//! (H by `algorithm`: MD5 or SHA-256), compared in constant time over the raw body.

use md5::Md5;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Whether `header` signs `body` with `second_key`.
pub(crate) fn verify(header: &str, body: &[u8], second_key: &str) -> bool {
    let mut signature = None;
    let mut algorithm = "MD5".to_owned();
    for part in header.split(';') {
        match part.trim().split_once('=') {
            Some(("signature", value)) => signature = Some(value.trim().to_ascii_lowercase()),
            Some(("algorithm", value)) => algorithm = value.trim().to_ascii_uppercase(),
            _ => {}
        }
    }
    let Some(signature) = signature else {
        return false;
    };
    let Some(expected) = digest(&algorithm, body, second_key.as_bytes()) else {
        return false;
    };
    expected.as_bytes().ct_eq(signature.as_bytes()).into()
}

/// `hex(H(body ‖ key))` for the algorithms PayU uses.
pub(crate) fn digest(algorithm: &str, body: &[u8], key: &[u8]) -> Option<String> {
    match algorithm {
        "MD5" => Some(hex::encode(
            Md5::new().chain_update(body).chain_update(key).finalize(),
        )),
        "SHA" | "SHA-256" | "SHA256" => Some(hex::encode(
            Sha256::new()
                .chain_update(body)
                .chain_update(key)
                .finalize(),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // PayU's published test vector (its SDK's unit test).
    const BODY: &[u8] = b"OpenPayUData";
    const KEY: &str = "SignatureKey";
    const MD5: &str = "8375034eb737d520c829fad4026a38aa";
    const SHA256: &str = "8b2fd55b48f150347df56ce18d787335f32ced1d67f214016476f7c0a8f09981";

    #[test]
    fn the_published_vector_verifies() {
        assert_eq!(digest("MD5", BODY, KEY.as_bytes()).unwrap(), MD5);
        assert_eq!(digest("SHA-256", BODY, KEY.as_bytes()).unwrap(), SHA256);
        let md5 = format!("sender=checkout;signature={MD5};algorithm=MD5;content=DOCUMENT");
        assert!(verify(&md5, BODY, KEY));
        let sha = format!("sender=checkout;signature={SHA256};algorithm=SHA-256;content=DOCUMENT");
        assert!(verify(&sha, BODY, KEY));
    }

    #[test]
    fn anything_else_is_refused() {
        let md5 = format!("sender=checkout;signature={MD5};algorithm=MD5");
        assert!(!verify(&md5, b"OpenPayUData ", KEY), "another body");
        assert!(!verify(&md5, BODY, "OtherKey"), "another key");
        assert!(
            !verify("sender=checkout;algorithm=MD5", BODY, KEY),
            "no signature"
        );
        let unknown = format!("signature={MD5};algorithm=CRC32");
        assert!(!verify(&unknown, BODY, KEY), "unknown algorithm");
        assert!(!verify("", BODY, KEY));
    }
}
