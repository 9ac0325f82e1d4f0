//! QR Platba (SPAYD): the payment text Czech banking apps read from a QR code, and the Czech
//! account number in IBAN form that it needs.

use std::fmt::Write;

/// A Czech account `prefix-number/bank` (prefix optional), e.g. `2001234567/2010`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CzechAccount {
    prefix: u64,
    number: u64,
    bank: u16,
}

impl CzechAccount {
    /// Parses `[prefix-]number/bank`: prefix ≤ 6 digits, number ≤ 10, bank code 4.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (account, bank) = text.trim().split_once('/')?;
        let (prefix, number) = account.split_once('-').unwrap_or(("0", account));
        let digits = |s: &str, max: usize| {
            (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u64>().ok())
                .flatten()
        };
        Some(Self {
            prefix: digits(prefix, 6)?,
            number: digits(number, 10)?,
            bank: u16::try_from(digits(bank, 4).filter(|_| bank.len() == 4)?).ok()?,
        })
    }

    /// The IBAN: `CZ`, two check digits (ISO 7064 mod 97), bank code, prefix, number.
    pub(crate) fn iban(&self) -> String {
        let bban = format!("{:04}{:06}{:010}", self.bank, self.prefix, self.number);
        // Check digits: the BBAN followed by "CZ00" with letters as numbers (C=12, Z=35).
        let rearranged = format!("{bban}123500");
        let remainder = rearranged
            .bytes()
            .fold(0u32, |acc, digit| (acc * 10 + u32::from(digit - b'0')) % 97);
        format!("CZ{:02}{bban}", 98 - remainder)
    }
}

impl std::fmt::Display for CzechAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.prefix > 0 {
            write!(f, "{}-", self.prefix)?;
        }
        write!(f, "{}/{:04}", self.number, self.bank)
    }
}

/// A payment for QR Platba.
#[derive(Debug, Clone)]
pub(crate) struct Payment<'a> {
    /// The payee's IBAN.
    pub iban: &'a str,
    /// The amount in haléře (at most 9 999 999.99 Kč).
    pub amount: i64,
    /// The variable symbol: up to 10 digits.
    pub variable_symbol: &'a str,
    /// A message for the payee (diacritics are removed, cut to 60 characters).
    pub message: &'a str,
}

/// The SPAYD text, e.g. `SPD*1.0*ACC:CZ…*AM:1299.00*CC:CZK*X-VS:2026000123*MSG:Objednavka …`;
/// `None` when a value breaks the format's limits.
pub(crate) fn text(payment: &Payment<'_>) -> Option<String> {
    let vs = payment.variable_symbol;
    let valid = payment.iban.len() <= 46
        && payment.iban.bytes().all(|b| b.is_ascii_alphanumeric())
        && (1..=999_999_999).contains(&payment.amount)
        && (1..=10).contains(&vs.len())
        && vs.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return None;
    }
    let mut spayd = format!(
        "SPD*1.0*ACC:{}*AM:{}.{:02}*CC:CZK*X-VS:{vs}",
        payment.iban,
        payment.amount / 100,
        payment.amount % 100
    );
    let message = plain(payment.message);
    if !message.is_empty() {
        let _ = write!(spayd, "*MSG:{message}");
    }
    Some(spayd)
}

/// A message without diacritics (old banking apps), with `*` escaped, at most 60 characters.
fn plain(message: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut plain = String::new();
    for c in message
        .nfd()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
    {
        let piece = if c == '*' {
            "%2A".to_owned()
        } else {
            c.to_string()
        };
        if plain.len() + piece.len() > 60 {
            break;
        }
        plain.push_str(&piece);
    }
    plain
}

#[cfg(test)]
// Amounts are written as crowns_haléř (`1_299_00` is 1 299 Kč).
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;

    #[test]
    fn czech_accounts_become_ibans() {
        // The example account of the QR Platba specification.
        let account = CzechAccount::parse("19-2000145399/0800").unwrap();
        assert_eq!(account.iban(), "CZ6508000000192000145399");
        assert_eq!(account.to_string(), "19-2000145399/0800");
        let fio = CzechAccount::parse("2001234567/2010").unwrap();
        assert_eq!(fio.iban().len(), 24);
        assert!(CzechAccount::parse("2001234567").is_none());
        assert!(
            CzechAccount::parse("12345678901/2010").is_none(),
            "11 digits"
        );
        assert!(CzechAccount::parse("1234/201").is_none(), "3-digit bank");
    }

    #[test]
    fn the_text_keeps_the_formats_limits() {
        let payment = Payment {
            iban: "CZ6508000000192000145399",
            amount: 1_299_00,
            variable_symbol: "2026000123",
            message: "Objednávka 2026000123 * žluťoučký kůň",
        };
        let spayd = text(&payment).unwrap();
        assert_eq!(
            spayd,
            "SPD*1.0*ACC:CZ6508000000192000145399*AM:1299.00*CC:CZK*X-VS:2026000123\
             *MSG:Objednavka 2026000123 %2A zlutoucky kun"
        );
        let long = Payment {
            message: &"á".repeat(100),
            ..payment.clone()
        };
        assert!(
            text(&long)
                .unwrap()
                .ends_with(&format!("MSG:{}", "a".repeat(60)))
        );
        let bad_symbol = Payment {
            variable_symbol: "12345678901",
            ..payment.clone()
        };
        assert!(text(&bad_symbol).is_none());
        let letters = Payment {
            variable_symbol: "20260A",
            ..payment.clone()
        };
        assert!(text(&letters).is_none());
        let too_much = Payment {
            amount: 10_000_000_00,
            ..payment
        };
        assert!(text(&too_much).is_none(), "AM has at most 10 characters");
    }
}
