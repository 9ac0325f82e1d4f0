//! The shop's e-mails, in Czech.

use super::outbox::Email;
use crate::delivery::ShopAccount;
use crate::money::Money;
use crate::qr_platba::{qr, spayd};
use storefront::html::escape;

/// Welcome after registration.
pub(crate) fn welcome(to: &str, first_name: &str, shop_url: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: "Vítejte v obchodě Lípa".into(),
        body: format!(
            "Dobrý den, {first_name},\n\nděkujeme za registraci v obchodě Lípa. Přihlásit se můžete na {shop_url}/prihlaseni.\n\nTým obchodu Lípa"
        ),
        html: None,
        unsubscribe: None,
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
        html: None,
        unsubscribe: None,
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
        html: None,
        unsubscribe: None,
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
                "\nZaplaťte prosím převodem:\n  číslo účtu: {}\n  IBAN: {}\n  variabilní symbol: {number}\n  částka: {total}\nQR kód pro mobilní bankovnictví najdete v HTML verzi e-mailu a na stránce objednávky.\n",
                account.number, account.iban
            )
        })
        .unwrap_or_default();
    let body = format!(
        "Dobrý den,\n\nděkujeme za objednávku č. {number} v celkové hodnotě {total}.\n{payment}O jejím dalším průběhu vás budeme informovat e-mailem.\n\nTým obchodu Lípa"
    );
    let html = transfer_to.and_then(|account| {
        let spayd = spayd::text(&spayd::Payment {
            iban: &account.iban,
            amount: total_minor,
            variable_symbol: number,
            message: &format!("Objednavka {number}"),
        })?;
        let code = qr::html_table(&spayd, 4)?;
        Some(format!(
            "<!doctype html><html lang=\"cs\"><body style=\"font-family:sans-serif\">{}<p>QR Platba – naskenujte v aplikaci své banky:</p>{code}</body></html>",
            paragraphs(&body)
        ))
    });
    Email {
        to: to.to_owned(),
        subject: format!("Objednávka {number} přijata"),
        body,
        html,
        unsubscribe: None,
    }
}

/// Plain text as HTML paragraphs, every character escaped.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| format!("<p>{}</p>", escape(paragraph).replace('\n', "<br>")))
        .collect()
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
        html: None,
        unsubscribe: None,
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
        html: None,
        unsubscribe: None,
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
        html: None,
        unsubscribe: None,
    }
}

/// A tax document was issued: its title and number, and the link to its PDF (plain text only:
/// nothing of the document's content is interpreted as markup).
pub(crate) fn tax_document(
    to: &str,
    title: &str,
    number: &str,
    order_number: &str,
    link: &str,
) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("{title} {number} k objednávce {order_number}"),
        body: format!(
            "Dobrý den,\n\nk objednávce č. {order_number} jsme vystavili doklad {number} ({title}). Stáhnete si ho zde:\n{link}\n\nTým obchodu Lípa"
        ),
        html: None,
        unsubscribe: None,
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
        html: None,
        unsubscribe: None,
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
        html: None,
        unsubscribe: None,
    }
}

/// A guest asked to watch a product: the link that starts the watch (and one that cancels it).
pub(crate) fn watch_confirm(
    to: &str,
    product: &str,
    links: &crate::watchdog::service::Links,
) -> Email {
    let (confirm, cancel) = (&links.confirm, &links.cancel);
    Email {
        to: to.to_owned(),
        subject: format!("Potvrďte hlídání: {product}"),
        body: format!(
            "Dobrý den,\n\nchcete, abychom vám napsali, až se u zboží „{product}“ stane, co hlídáte? \
             Potvrďte to zde:\n{confirm}\n\nPokud jste o hlídání nežádali, e-mail ignorujte – bez potvrzení vám nic posílat nebudeme. \
             Zrušit hlídání můžete kdykoli: {cancel}\n\nTým obchodu Lípa"
        ),
        html: None,
        unsubscribe: Some(links.one_click.clone()),
    }
}

/// A watch fired: the price dropped, or the product is back in stock. The watch ends with it.
pub(crate) fn watch_fired(
    to: &str,
    product: &str,
    url: &str,
    price: Money,
    kind: crate::watchdog::WatchKind,
) -> Email {
    let (subject, news) = match kind {
        crate::watchdog::WatchKind::PriceBelow => (
            format!("Cena klesla: {product}"),
            format!("cena zboží „{product}“ klesla na {price}."),
        ),
        crate::watchdog::WatchKind::BackInStock => (
            format!("Opět skladem: {product}"),
            format!("zboží „{product}“ je opět skladem za {price}."),
        ),
    };
    Email {
        to: to.to_owned(),
        subject,
        body: format!(
            "Dobrý den,\n\n{news}\n{url}\n\nHlídání tím skončilo; nové nastavíte na stránce zboží.\n\nTým obchodu Lípa"
        ),
        html: None,
        unsubscribe: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_parts_escape_every_text() {
        assert_eq!(
            super::paragraphs("a <b>&\"'\n\nc"),
            "<p>a &lt;b&gt;&amp;&quot;&#39;</p><p>c</p>"
        );
    }
}
