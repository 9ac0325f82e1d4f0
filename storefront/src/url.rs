//! Building query strings for links.

/// Percent-encodes a query-string component.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `?a=1&b=2` from pairs (empty when there are none).
pub fn query_string(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("?{}", joined.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_czech_text() {
        assert_eq!(encode("židle a stůl"), "%C5%BEidle+a+st%C5%AFl");
        assert_eq!(query_string(&[("q".into(), "a&b".into())]), "?q=a%26b");
        assert_eq!(query_string(&[]), "");
    }
}
