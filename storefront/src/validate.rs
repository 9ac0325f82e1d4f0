//! Checks of what customers type: e-mail, names, phone, Czech postal codes, IČO, DIČ and new
//! passwords. Each returns the normalised value or a Czech message for the form field. The same
//! functions run in the browser (before a form is sent) and on the server (which decides): one
//! rule, one place.

/// A field's value was refused; the message is shown next to the field.
pub type Invalid = &'static str;

/// Trimmed, lower-case e-mail with one `@`, a dot in the domain, no spaces, at most 254 chars.
pub fn email(input: &str) -> Result<String, Invalid> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err("Zadejte platnou e-mailovou adresu.")
    }
}

/// A first or last name: 1–100 characters after trimming.
pub fn name(input: &str) -> Result<String, Invalid> {
    let name = input.trim();
    match name.chars().count() {
        0 => Err("Vyplňte jméno."),
        1..=100 => Ok(name.to_owned()),
        _ => Err("Jméno může mít nejvýš 100 znaků."),
    }
}

/// A Czech phone number, as carriers text and call it: nine digits (the first 2 to 9), with or
/// without `+420` / `00420`; spaces are dropped. Normalised to `+420777123456`.
pub fn phone(input: &str) -> Result<String, Invalid> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let national = compact
        .strip_prefix("+420")
        .or_else(|| compact.strip_prefix("00420"))
        .unwrap_or(&compact);
    let valid = national.len() == 9
        && national.bytes().all(|b| b.is_ascii_digit())
        && !national.starts_with(['0', '1']);
    if valid {
        Ok(format!("+420{national}"))
    } else {
        Err("Zadejte české telefonní číslo: devět číslic, případně s předvolbou +420.")
    }
}

/// A Czech postal code (PSČ), normalised to `NNN NN`; `11000` is accepted as `110 00`.
pub fn postal_code(input: &str) -> Result<String, Invalid> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0') {
        Ok(format!("{} {}", &digits[..3], &digits[3..]))
    } else {
        Err("PSČ má tvar 123 45.")
    }
}

/// An IČO: 8 digits whose last one is the mod-11 check digit.
pub fn ico(input: &str) -> Result<String, Invalid> {
    let ico: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: Vec<u32> = ico.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 8 || ico.len() != 8 {
        return Err("IČO má 8 číslic.");
    }
    let sum: u32 = digits[..7]
        .iter()
        .zip((2..=8).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match sum % 11 {
        0 => 1,
        1 => 0,
        r => 11 - r,
    };
    if digits[7] == check {
        Ok(ico)
    } else {
        Err("IČO nemá platný kontrolní součet.")
    }
}

/// A Czech DIČ: `CZ` and 8 to 10 digits.
pub fn dic(input: &str) -> Result<String, Invalid> {
    let dic: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let valid = dic.strip_prefix("CZ").is_some_and(|digits| {
        (8..=10).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if valid {
        Ok(dic)
    } else {
        Err("DIČ má tvar CZ12345678.")
    }
}

/// Free text such as a street or city: 1–200 characters after trimming.
pub fn line(input: &str, empty: Invalid) -> Result<String, Invalid> {
    let text = input.trim();
    match text.chars().count() {
        0 => Err(empty),
        1..=200 => Ok(text.to_owned()),
        _ => Err("Text může mít nejvýš 200 znaků."),
    }
}

/// Shortest password accepted (characters).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (characters).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a new password is refused (shown next to the field).
pub fn new_password(password: &str) -> Result<(), Invalid> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err("Heslo musí mít alespoň 10 znaků.");
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err("Heslo může mít nejvýš 128 znaků.");
    }
    let distinct = password
        .chars()
        .collect::<std::collections::HashSet<_>>()
        .len();
    if distinct < 5 {
        return Err("Heslo je příliš jednoduché: použijte více různých znaků.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email(" Jana.Novak@Example.CZ ").unwrap(),
            "jana.novak@example.cz"
        );
        for bad in [
            "",
            "jana",
            "jana@",
            "@example.cz",
            "jana@example",
            "ja na@example.cz",
            "a@b@c.cz",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn postal_codes() {
        assert_eq!(postal_code("110 00").unwrap(), "110 00");
        assert_eq!(postal_code("60200").unwrap(), "602 00");
        for bad in ["1100", "110 000", "abc de", "010 00"] {
            assert!(postal_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ico_check_digit() {
        assert!(ico("25596641").is_ok());
        assert!(ico("00006947").is_ok());
        assert!(ico("25596642").is_err());
        assert!(ico("1234567").is_err());
    }

    #[test]
    fn dic_and_phone() {
        assert_eq!(dic("cz25596641").unwrap(), "CZ25596641");
        assert!(dic("SK2020202020").is_err());
        assert_eq!(phone("+420 777 123 456").unwrap(), "+420777123456");
        assert_eq!(phone("777 123 456").unwrap(), "+420777123456");
        assert_eq!(phone("00420 222 333 444").unwrap(), "+420222333444");
        assert!(phone("12345").is_err());
        assert!(phone("+421 905 123 456").is_err(), "a Slovak number");
        assert!(phone("077 712 345").is_err());
        assert!(phone("+420 777 123 4567").is_err());
    }

    #[test]
    fn new_passwords() {
        assert!(new_password("krátké").is_err());
        assert!(new_password("aaaaaaaaaaaa").is_err());
        assert!(new_password(&"x".repeat(200)).is_err());
        assert!(new_password("Dlouhé heslo 2026").is_ok());
    }
}
