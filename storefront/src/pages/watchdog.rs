//! Hlídací pes pages: what a watch is, and the pages the e-mailed links open. A link only shows
//! a button (a mail scanner opening it changes nothing); the button posts the link's secret.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{OutcomeNote, PageMeta};

/// `/hlidaci-pes`: the outcome of a link, and what the watchdog does.
#[component]
pub fn WatchdogPage() -> impl IntoView {
    view! {
        <PageMeta title="Hlídací pes".into() description="Upozorníme vás, až zlevní nebo bude opět skladem zboží, které chcete.".into() path="/hlidaci-pes".into()/>
        <section class="form-page" data-testid="watchdog">
            <h1>"Hlídací pes"</h1>
            <OutcomeNote notes=&[
                ("stav", "potvrzeno", "Hotovo, hlídáme. Napíšeme vám, jakmile se to stane."),
                ("stav", "zruseno", "Hlídání jsme zrušili. Už vám kvůli němu nenapíšeme."),
                ("chyba", "odkaz", "Odkaz je neplatný nebo už byl použit."),
            ]/>
            <p>"U každého zboží si můžete nechat hlídat cenu nebo dostupnost. Jakmile cena klesne pod vaši částku nebo bude zboží opět skladem, napíšeme vám jeden e-mail."</p>
            <p>"Přihlášení zákazníci najdou svá hlídání v " <a href="/ucet">"účtu"</a> "."</p>
        </section>
    }
}

/// `/hlidaci-pes/potvrdit?klic=…`: starts a guest's watch with a button.
#[component]
pub fn WatchConfirmPage() -> impl IntoView {
    view! { <LinkButton title="Potvrdit hlídání" action="/hlidaci-pes/potvrzeni" button="Ano, hlídat" text="Potvrďte prosím, že si přejete hlídání, o které jste požádali."/> }
}

/// `/hlidaci-pes/zrusit?klic=…`: ends a watch with a button.
#[component]
pub fn WatchCancelPage() -> impl IntoView {
    view! { <LinkButton title="Zrušit hlídání" action="/hlidaci-pes/zruseni" button="Zrušit hlídání" text="Opravdu už nechcete dostávat upozornění k tomuto hlídání?"/> }
}

#[component]
fn LinkButton(
    title: &'static str,
    action: &'static str,
    button: &'static str,
    text: &'static str,
) -> impl IntoView {
    let token = use_query_map()
        .get_untracked()
        .get("klic")
        .unwrap_or_default();
    view! {
        <PageMeta title=title.into() description=text.into() path="/hlidaci-pes".into()/>
        <section class="form-page">
            <h1>{title}</h1>
            <form class="form" method="post" action=action>
                <p>{text}</p>
                <input type="hidden" name="klic" value=token/>
                <button class="button" type="submit" data-testid="watch-link-button">{button}</button>
            </form>
        </section>
    }
}
