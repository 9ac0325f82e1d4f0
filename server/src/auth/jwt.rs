//! Access tokens: short-lived JWTs, HS256 only, with issuer, audience and expiry checked.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use super::Role;

/// How long an access token is valid.
pub const ACCESS_TOKEN_SECONDS: u64 = 15 * 60;

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
/// What an access token says.
pub struct Claims {
    /// The customer's id.
    pub sub: String,
    /// The role when the token was issued (admin rights are confirmed per request).
    pub role: Role,
    /// Issuer: the shop.
    pub iss: String,
    /// Audience: the shop's API.
    pub aud: String,
    /// Issued at, in seconds since the epoch.
    pub iat: u64,
    /// Expires at, in seconds since the epoch.
    pub exp: u64,
}

/// Signs and checks access tokens with one secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
}

impl TokenKeys {
    /// Keys from a secret, for tokens of this issuer and audience.
    pub fn new(secret: &[u8], issuer: &str, audience: &str) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
        }
    }

    /// A token for `customer_id` with `role`, valid for [`ACCESS_TOKEN_SECONDS`].
    pub fn issue(&self, customer_id: i64, role: Role) -> String {
        let now = now();
        let claims = Claims {
            sub: customer_id.to_string(),
            role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + ACCESS_TOKEN_SECONDS,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// The claims of a valid token: right algorithm (HS256 only), signature, issuer, audience,
    /// not expired.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"test secret that is long enough!", "shop", "shop-api")
    }

    #[test]
    fn round_trip() {
        let token = keys().issue(42, Role::Customer);
        let claims = keys().verify(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.role), ("42", Role::Customer));
    }

    #[test]
    fn forged_tokens_are_refused() {
        let token = keys().issue(42, Role::Customer);
        // Another key.
        assert!(
            TokenKeys::new(b"another secret, just as long!!!!", "shop", "shop-api")
                .verify(&token)
                .is_none()
        );
        // Another audience or issuer.
        assert!(
            TokenKeys::new(b"test secret that is long enough!", "shop", "elsewhere")
                .verify(&token)
                .is_none()
        );
        assert!(
            TokenKeys::new(b"test secret that is long enough!", "evil", "shop-api")
                .verify(&token)
                .is_none()
        );
        // Tampered payload: promote to admin, keep the signature.
        let parts: Vec<&str> = token.split('.').collect();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap())
            .unwrap()
            .replace("CUSTOMER", "ADMIN");
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(payload),
            parts[2]
        );
        assert!(keys().verify(&tampered).is_none());
        // alg: none.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys().verify(&format!("{header}.{}.", parts[1])).is_none());
        // Expired.
        let old = Claims {
            sub: "42".into(),
            role: Role::Admin,
            iss: "shop".into(),
            aud: "shop-api".into(),
            iat: 1,
            exp: 2,
        };
        let expired = encode(
            &Header::new(Algorithm::HS256),
            &old,
            &EncodingKey::from_secret(b"test secret that is long enough!"),
        )
        .unwrap();
        assert!(keys().verify(&expired).is_none());
    }
}
