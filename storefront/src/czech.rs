//! Czech as the pages write it: the noun form that goes with a number ("1 produkt",
//! "2 produkty", "5 produktů") and prices that may be free.

/// Forms of a noun: for one, for two to four, for five and more (and zero).
pub type Forms = [&'static str; 3];

/// produkt, produkty, produktů.
pub const PRODUCTS: Forms = ["produkt", "produkty", "produktů"];
/// kus, kusy, kusů.
pub const PIECES: Forms = ["kus", "kusy", "kusů"];
/// položka, položky, položek.
pub const ITEMS: Forms = ["položka", "položky", "položek"];
/// hodnocení (the same in every form).
pub const RATINGS: Forms = ["hodnocení", "hodnocení", "hodnocení"];
/// den, dny, dní.
pub const DAYS: Forms = ["den", "dny", "dní"];

/// The form of the noun that goes with `n`.
pub fn plural(n: i64, [one, few, many]: Forms) -> &'static str {
    match n.unsigned_abs() {
        1 => one,
        2..=4 => few,
        _ => many,
    }
}

/// `n` and its noun: "1 produkt", "3 produkty", "12 produktů".
pub fn count(n: i64, forms: Forms) -> String {
    format!("{n}\u{a0}{}", plural(n, forms))
}

/// A price, or "zdarma" when there is nothing to pay.
pub fn price_or_free(minor_units: i64, formatted: &str) -> String {
    if minor_units == 0 {
        "zdarma".into()
    } else {
        formatted.to_owned()
    }
}

/// A deduction as it is written: with a minus sign ("−33,80 Kč").
pub fn minus(formatted: &str) -> String {
    format!(
        "\u{2212}{}",
        formatted.trim_start_matches(['-', '\u{2212}'])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_noun_follows_the_number() {
        let products: Vec<String> = [0, 1, 2, 4, 5, 11, 21, 22, 100]
            .iter()
            .map(|n| count(*n, PRODUCTS))
            .collect();
        assert_eq!(
            products,
            [
                "0\u{a0}produktů",
                "1\u{a0}produkt",
                "2\u{a0}produkty",
                "4\u{a0}produkty",
                "5\u{a0}produktů",
                "11\u{a0}produktů",
                "21\u{a0}produktů",
                "22\u{a0}produktů",
                "100\u{a0}produktů"
            ]
        );
        assert_eq!(plural(3, ITEMS), "položky");
        assert_eq!(plural(7, DAYS), "dní");
        assert_eq!(plural(1, PIECES), "kus");
    }

    #[test]
    fn free_and_deducted_amounts() {
        assert_eq!(price_or_free(0, "0,00\u{a0}Kč"), "zdarma");
        assert_eq!(price_or_free(9900, "99,00\u{a0}Kč"), "99,00\u{a0}Kč");
        assert_eq!(minus("33,80\u{a0}Kč"), "\u{2212}33,80\u{a0}Kč");
        assert_eq!(minus("-33,80\u{a0}Kč"), "\u{2212}33,80\u{a0}Kč");
    }
}
