//! Money in minor units (haléř) and Czech VAT arithmetic. Never floats.

use std::fmt;

/// Currencies the shop prices in. The shop sells in Czech crowns only, for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum CurrencyCode {
    /// Czech crown (Kč); 1 CZK = 100 haléř.
    Czk,
}

/// An amount in minor units (1/100 of the currency unit) together with its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: CurrencyCode,
}

impl Money {
    /// An amount in Czech crowns given in haléř.
    pub const fn czk(minor: i64) -> Self {
        Self {
            minor,
            currency: CurrencyCode::Czk,
        }
    }

    /// The amount in minor units.
    pub const fn minor(self) -> i64 {
        self.minor
    }

    /// The amount as a decimal string with two places, e.g. `1299.50` (for machines).
    pub fn decimal(self) -> String {
        let abs = self.minor.unsigned_abs();
        let mut out = String::with_capacity(24);
        if self.minor < 0 {
            out.push('-');
        }
        push_digits(&mut out, abs / 100, None);
        out.push('.');
        push_two_digits(&mut out, abs % 100);
        out
    }

    /// Czech formatting for people: `1 299 Kč`, `1 299,50 Kč` (non-breaking spaces).
    pub fn czech_text(self) -> String {
        let abs = self.minor.unsigned_abs();
        let mut out = String::with_capacity(32);
        if self.minor < 0 {
            out.push('−');
        }
        push_digits(&mut out, abs / 100, Some('\u{a0}'));
        if !abs.is_multiple_of(100) {
            out.push(',');
            push_two_digits(&mut out, abs % 100);
        }
        out.push_str("\u{a0}Kč");
        out
    }
}

/// Appends `n` in decimal digits, with `separator` between groups of three when given.
fn push_digits(out: &mut String, mut n: u64, separator: Option<char>) {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = &digits[start..];
    for (i, digit) in digits.iter().enumerate() {
        if let Some(separator) = separator
            && i > 0
            && (digits.len() - i) % 3 == 0
        {
            out.push(separator);
        }
        out.push(char::from(*digit));
    }
}

/// Appends `n` (below 100) as two digits.
fn push_two_digits(out: &mut String, n: u64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// As [`Money::czech_text`].
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.czech_text())
    }
}

/// A Czech VAT rate in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VatRate(u8);

impl VatRate {
    /// The standard rate, 21 % (also of shipping and fees).
    pub const STANDARD: Self = Self(21);

    /// The rates Czech law knows: standard 21 %, reduced 12 %, and zero.
    pub const ALLOWED: [u8; 3] = [21, 12, 0];

    /// A rate, if it is one of [`VatRate::ALLOWED`].
    pub fn new(percent: u8) -> Option<Self> {
        Self::ALLOWED.contains(&percent).then_some(Self(percent))
    }

    pub const fn percent(self) -> u8 {
        self.0
    }

    /// The rate as the schema shows it.
    pub fn as_i32(self) -> i32 {
        i32::from(self.0)
    }

    /// The VAT contained in a gross amount: round_half_up(gross × rate / (100 + rate)).
    pub fn vat_in_gross(self, gross: Money) -> Money {
        let rate = i128::from(self.0);
        let numerator = i128::from(gross.minor) * rate;
        let denominator = 100 + rate;
        // Half up, away from zero for negative amounts (refunds) so that they mirror sales.
        let vat = (numerator.abs() * 2 + denominator) / (denominator * 2) * numerator.signum();
        Money {
            minor: vat as i64,
            currency: gross.currency,
        }
    }

    /// The net amount of a gross amount: gross − VAT.
    pub fn net_of_gross(self, gross: Money) -> Money {
        Money {
            minor: gross.minor - self.vat_in_gross(gross).minor,
            currency: gross.currency,
        }
    }
}

/// A number that is not a Czech VAT rate (21, 12 or 0).
#[derive(Debug, thiserror::Error)]
#[error("{0} is not a Czech VAT rate (21, 12 or 0 %)")]
pub struct InvalidVatRate(i64);

impl TryFrom<i16> for VatRate {
    type Error = InvalidVatRate;

    fn try_from(percent: i16) -> Result<Self, Self::Error> {
        u8::try_from(percent)
            .ok()
            .and_then(Self::new)
            .ok_or(InvalidVatRate(i64::from(percent)))
    }
}

/// Stored as `smallint`; a stored number that is no Czech rate fails the read, never turns into
/// some default rate.
impl sqlx::Type<sqlx::Postgres> for VatRate {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <i16 as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for VatRate {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <i16 as sqlx::Encode<sqlx::Postgres>>::encode(i16::from(self.0), buf)
    }
}

impl sqlx::Decode<'_, sqlx::Postgres> for VatRate {
    fn decode(value: sqlx::postgres::PgValueRef<'_>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Self::try_from(
            <i16 as sqlx::Decode<sqlx::Postgres>>::decode(value)?,
        )?)
    }
}

/// Net, VAT and gross of the amounts at one VAT rate, as a Czech tax document lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::SimpleObject)]
#[graphql(serial)]
pub(crate) struct VatLine {
    /// The rate in percent.
    pub rate: i32,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// Groups gross amounts by VAT rate (highest rate first); VAT is computed once per rate on the
/// summed gross, so the lines add up exactly to the gross total.
pub(crate) fn vat_breakdown(items: impl IntoIterator<Item = (VatRate, Money)>) -> Vec<VatLine> {
    let mut sums: Vec<(VatRate, i64)> = Vec::new();
    for (rate, gross) in items {
        match sums.iter_mut().find(|(r, _)| *r == rate) {
            Some((_, sum)) => *sum += gross.minor,
            None => sums.push((rate, gross.minor)),
        }
    }
    sums.sort_by_key(|(rate, _)| std::cmp::Reverse(rate.percent()));
    sums.into_iter()
        .map(|(rate, minor)| {
            let gross = Money::czk(minor);
            VatLine {
                rate: i32::from(rate.percent()),
                net: rate.net_of_gross(gross),
                vat: rate.vat_in_gross(gross),
                gross,
            }
        })
        .collect()
}

/// An amount of money as clients see it.
#[async_graphql::Object(serial)]
impl Money {
    /// Decimal amount in the currency's major unit, e.g. `"1299.50"`.
    async fn amount(&self) -> String {
        self.decimal()
    }

    /// The amount in minor units (haléř for CZK), e.g. `129950`.
    async fn minor_units(&self) -> i64 {
        self.minor
    }

    /// The currency of the amount.
    async fn currency(&self) -> CurrencyCode {
        self.currency
    }

    /// The amount formatted for Czech readers, e.g. `"1 299,50 Kč"`.
    async fn formatted(&self) -> String {
        self.czech_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_czech_people_read_prices() {
        assert_eq!(Money::czk(129_900).to_string(), "1\u{a0}299\u{a0}Kč");
        assert_eq!(Money::czk(129_950).to_string(), "1\u{a0}299,50\u{a0}Kč");
        assert_eq!(Money::czk(99).to_string(), "0,99\u{a0}Kč");
        assert_eq!(
            Money::czk(123_456_700).to_string(),
            "1\u{a0}234\u{a0}567\u{a0}Kč"
        );
        assert_eq!(Money::czk(-5_000).to_string(), "−50\u{a0}Kč");
        assert_eq!(Money::czk(0).to_string(), "0\u{a0}Kč");
        assert_eq!(Money::czk(100_000).to_string(), "1\u{a0}000\u{a0}Kč");
        assert_eq!(
            Money::czk(i64::MIN).to_string(),
            "−92\u{a0}233\u{a0}720\u{a0}368\u{a0}547\u{a0}758,08\u{a0}Kč"
        );
    }

    #[test]
    fn decimal_string_for_machines() {
        assert_eq!(Money::czk(129_950).decimal(), "1299.50");
        assert_eq!(Money::czk(5).decimal(), "0.05");
        assert_eq!(Money::czk(-105).decimal(), "-1.05");
        assert_eq!(Money::czk(i64::MIN).decimal(), "-92233720368547758.08");
    }

    #[test]
    fn vat_is_rounded_half_up_from_gross() {
        let rate = VatRate::new(21).unwrap();
        // 121 Kč gross contains exactly 21 Kč VAT.
        assert_eq!(rate.vat_in_gross(Money::czk(12_100)).minor(), 2_100);
        // 1 299 Kč: 129900 × 21 / 121 = 22544.63… → 22545.
        assert_eq!(rate.vat_in_gross(Money::czk(129_900)).minor(), 22_545);
        assert_eq!(rate.net_of_gross(Money::czk(129_900)).minor(), 107_355);
        // An exact half rounds up: 14 × 12 / 112 = 1.5 → 2.
        assert_eq!(
            VatRate::new(12)
                .unwrap()
                .vat_in_gross(Money::czk(14))
                .minor(),
            2
        );
        assert_eq!(
            VatRate::new(0)
                .unwrap()
                .vat_in_gross(Money::czk(999))
                .minor(),
            0
        );
        assert_eq!(rate.vat_in_gross(Money::czk(-12_100)).minor(), -2_100);
    }

    #[test]
    fn breakdown_per_rate_adds_up() {
        let r21 = VatRate::new(21).unwrap();
        let r12 = VatRate::new(12).unwrap();
        let lines = vat_breakdown([
            (r12, Money::czk(11_200)),
            (r21, Money::czk(12_100)),
            (r21, Money::czk(24_200)),
        ]);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (
                lines[0].rate,
                lines[0].gross.minor(),
                lines[0].vat.minor(),
                lines[0].net.minor()
            ),
            (21, 36_300, 6_300, 30_000)
        );
        assert_eq!(
            (lines[1].rate, lines[1].vat.minor(), lines[1].net.minor()),
            (12, 1_200, 10_000)
        );
    }

    #[test]
    fn only_czech_rates_exist() {
        assert!(VatRate::new(15).is_none());
        assert_eq!(VatRate::new(12).map(VatRate::percent), Some(12));
    }
}
