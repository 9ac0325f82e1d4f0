//! The shop's e-mails, in Czech.

use super::outbox::Email;

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
pub(crate) fn order_confirmation(to: &str, number: &str, total_minor: i64) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("Objednávka {number} přijata"),
        body: format!(
            "Dobrý den,\n\nděkujeme za objednávku č. {number} v celkové hodnotě {}.\nO jejím dalším průběhu vás budeme informovat e-mailem.\n\nTým obchodu Lípa",
            crate::money::Money::czk(total_minor)
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
