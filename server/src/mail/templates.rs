//! The shop's e-mails, in Czech.

use super::outbox::Email;
use crate::delivery::ShopAccount;
use crate::money::Money;

/// Welcome after registration.
pub(crate) fn welcome(to: &str, first_name: &str, shop_url: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: "Vítejte v obchodě Lípa".into(),
        body: format!(
            "Dobrý den, {first_name},\n\nděkujeme za registraci v obchodě Lípa. Přihlásit se můžete na {shop_url}/prihlaseni.\n\nTým obchodu Lípa"
        ),
    }
}

/// Someone tried to register with an address that already has an account.
pub(crate) fn already_registered(to: &str, shop_url: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: "Pokus o registraci s vaší adresou".into(),
        body: format!(
            "Dobrý den,\n\nněkdo se právě pokusil zaregistrovat s touto e-mailovou adresou, ale účet už máte. \
             Pokud jste to byli vy a heslo si nepamatujete, obnovte ho na {shop_url}/zapomenute-heslo.\n\nTým obchodu Lípa"
        ),
    }
}

/// A link to choose a new password.
pub(crate) fn password_reset(to: &str, shop_url: &str, token: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: "Obnova hesla".into(),
        body: format!(
            "Dobrý den,\n\nnové heslo si nastavíte zde (odkaz platí hodinu a jen jednou):\n{shop_url}/obnova-hesla?token={token}\n\n\
             Pokud jste o obnovu nežádali, e-mail ignorujte – vaše heslo zůstává beze změny.\n\nTým obchodu Lípa"
        ),
    }
}

/// The order was received.
pub(crate) fn order_confirmation(
    to: &str,
    number: &str,
    total_minor: i64,
    transfer_to: Option<&ShopAccount>,
) -> Email {
    let total = Money::czk(total_minor);
    let payment = transfer_to
        .map(|account| {
            format!(
                "\nZaplaťte prosím převodem:\n  číslo účtu: {}\n  IBAN: {}\n  variabilní symbol: {number}\n  částka: {total}\nQR kód pro mobilní bankovnictví najdete na stránce objednávky.\n",
                account.number, account.iban
            )
        })
        .unwrap_or_default();
    Email {
        to: to.to_owned(),
        subject: format!("Objednávka {number} přijata"),
        body: format!(
            "Dobrý den,\n\nděkujeme za objednávku č. {number} v celkové hodnotě {total}.\n{payment}O jejím dalším průběhu vás budeme informovat e-mailem.\n\nTým obchodu Lípa"
        ),
    }
}

/// The order's payment arrived.
pub(crate) fn payment_received(to: &str, number: &str, amount_minor: i64) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("Platba za objednávku {number} přijata"),
        body: format!(
            "Dobrý den,\n\nobdrželi jsme platbu {} za objednávku č. {number}. Zboží připravujeme k odeslání.\n\nTým obchodu Lípa",
            Money::czk(amount_minor)
        ),
    }
}

/// A card payment failed or was abandoned; the order can still be paid.
pub(crate) fn payment_failed(to: &str, number: &str, shop_url: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("Platba za objednávku {number} neproběhla"),
        body: format!(
            "Dobrý den,\n\nplatba za objednávku č. {number} neproběhla. Zaplatit můžete znovu kartou nebo převodem na stránce objednávky:\n{shop_url}/objednavka/{number}\n\nTým obchodu Lípa"
        ),
    }
}

/// Money went back to the customer.
pub(crate) fn refund_issued(to: &str, number: &str, amount_minor: i64) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("Vrácení peněz k objednávce {number}"),
        body: format!(
            "Dobrý den,\n\nk objednávce č. {number} jsme vám vrátili {}. Na účtu je uvidíte do několika pracovních dnů.\n\nTým obchodu Lípa",
            Money::czk(amount_minor)
        ),
    }
}

/// The order left the warehouse.
pub(crate) fn order_shipped(to: &str, number: &str, tracking_number: Option<&str>) -> Email {
    let tracking = tracking_number
        .map(|t| format!("Zásilku sledujete zde: https://sledovani.lipa.example/{t}\n"))
        .unwrap_or_default();
    Email {
        to: to.to_owned(),
        subject: format!("Objednávka {number} je na cestě"),
        body: format!(
            "Dobrý den,\n\nvaši objednávku č. {number} jsme předali dopravci.\n{tracking}\nTým obchodu Lípa"
        ),
    }
}

/// The order was cancelled.
pub(crate) fn order_cancelled(to: &str, number: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("Objednávka {number} byla zrušena"),
        body: format!(
            "Dobrý den,\n\nobjednávka č. {number} byla zrušena. Pokud jste ji už zaplatili, peníze vám vrátíme.\n\nTým obchodu Lípa"
        ),
    }
}
