//! The storefront's session cookies: HttpOnly, SameSite=Lax, Secure in production.

/// The access token (a JWT, 15 minutes).
pub(crate) const ACCESS_COOKIE: &str = "shop_at";
/// The refresh token (30 days), sent only to the API path that uses it.
pub(crate) const REFRESH_COOKIE: &str = "shop_rt";
/// The storefront's guest cart (its ID, 30 days): proves the browser owns the cart and the
/// orders placed from it.
pub(crate) const CART_COOKIE: &str = "shop_cart";

/// How the shop's cookies are set: `Secure` in production (behind HTTPS). Schema data, read by
/// every domain that sets a cookie.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CookiePolicy {
    pub secure: bool,
}

/// A `Set-Cookie` value for `name=value` living `max_age` seconds (0 deletes it).
pub(crate) fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// The value of cookie `name` in a `Cookie` header.
pub(crate) fn read<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes() {
        assert_eq!(read("a=1; shop_at=xyz; b=2", ACCESS_COOKIE), Some("xyz"));
        assert_eq!(read("a=1", ACCESS_COOKIE), None);
        let cookie = set_cookie(ACCESS_COOKIE, "t", 900, true);
        assert_eq!(
            cookie,
            "shop_at=t; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure"
        );
    }
}
