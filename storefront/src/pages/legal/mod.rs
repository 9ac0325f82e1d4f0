//! The pages a Czech shop must have: terms, complaints, withdrawal (with the model form),
//! privacy, and contact. The company's particulars come from the server's configuration.

mod texts;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::NotFound;
use crate::api::{Client, ShopContact, run, shop_contact};
use crate::components::PageMeta;
pub use texts::ALL as LEGAL_PAGES;
use texts::{LegalText, WITHDRAWAL};

type Shop = shop_contact::ShopContactShop;

/// Loads the company's particulars and renders `page` with them.
fn with_shop<V: IntoView + 'static>(
    page: impl Fn(Shop) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let page = std::sync::Arc::new(page);
    let client = Client::from_context();
    let data = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { run::<ShopContact>(&client, shop_contact::Variables {}).await }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                match data.await {
                    Ok(data) => page(data.shop).into_any(),
                    Err(_) => view! { <p class="error">"Stránku se nepodařilo načíst. Zkuste to prosím znovu."</p> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

/// A legal page, chosen by the address (`/obchodni-podminky`, …).
#[component]
pub fn LegalPage() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let Some(text) = LEGAL_PAGES.into_iter().find(|t| t.path == path) else {
        return view! { <NotFound/> }.into_any();
    };
    view! {
        <PageMeta title=text.title.into() description=text.description.into() path=text.path.into()/>
        <article class="legal">
            <h1>{text.title}</h1>
            {with_shop(move |shop| view! {
                <Company shop=shop.clone()/>
                <Sections text/>
                {(text.path == WITHDRAWAL.path).then(|| view! { <WithdrawalForm shop/> })}
            })}
        </article>
    }
    .into_any()
}

/// `/kontakt`: who we are and how to reach us.
#[component]
pub fn ContactPage() -> impl IntoView {
    view! {
        <PageMeta title="Kontakt".into() description="Kontakt na zákaznickou linku a údaje o provozovateli obchodu Lípa.".into() path="/kontakt".into()/>
        <article class="legal">
            <h1>"Kontakt"</h1>
            {with_shop(|shop| view! {
                <p class="legal__lead">"Zákaznická linka je tu pro vás v pracovní dny od 8 do 18 hodin."</p>
                <dl class="legal__contact">
                    <dt>"Telefon"</dt>
                    <dd><a href=format!("tel:{}", shop.phone.replace(' ', ""))>{shop.phone.clone()}</a></dd>
                    <dt>"E-mail"</dt>
                    <dd><a href=format!("mailto:{}", shop.email)>{shop.email.clone()}</a></dd>
                </dl>
                <h2>"Provozovatel"</h2>
                <Company shop/>
            })}
        </article>
    }
}

/// The company's particulars as the law asks them to be shown.
#[component]
fn Company(shop: Shop) -> impl IntoView {
    view! {
        <address class="legal__company" data-testid="company">
            <strong>{shop.company}</strong><br/>
            {shop.street} ", " {shop.city}<br/>
            "IČO: " {shop.ico}
            {shop.dic.map(|dic| view! { ", DIČ: " {dic} })}
            {shop.register.map(|register| view! { <br/>{register} })}
            <br/>"E-mail: " <a href=format!("mailto:{}", shop.email)>{shop.email.clone()}</a>
            ", telefon: " {shop.phone}
        </address>
    }
}

#[component]
fn Sections(text: &'static LegalText) -> impl IntoView {
    text.sections
        .iter()
        .map(|(heading, paragraphs)| {
            view! {
                <section>
                    <h2>{*heading}</h2>
                    {paragraphs.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
                </section>
            }
        })
        .collect_view()
}

/// The model withdrawal form (annex 1 of the EU consumer rights directive), addressed to the
/// shop, to print or copy into an e-mail.
#[component]
fn WithdrawalForm(shop: Shop) -> impl IntoView {
    let mail = format!(
        "mailto:{}?subject={}",
        shop.email,
        crate::url::encode("Odstoupení od smlouvy").replace('+', "%20")
    );
    view! {
        <section class="legal__form" data-testid="withdrawal-form">
            <h2>"Formulář pro odstoupení od smlouvy"</h2>
            <p>"Vyplňte a odešlete jej pouze v případě, že chcete od smlouvy odstoupit."</p>
            <ol>
                <li>"Adresát: " {shop.company} ", " {shop.street} ", " {shop.city} ", " {shop.email.clone()}</li>
                <li>"Oznamuji, že tímto odstupuji od smlouvy o nákupu tohoto zboží: …"</li>
                <li>"Číslo objednávky a datum převzetí: …"</li>
                <li>"Jméno a příjmení, adresa: …"</li>
                <li>"Číslo účtu pro vrácení peněz (platili-li jste převodem): …"</li>
                <li>"Datum a podpis (jen u listinné podoby): …"</li>
            </ol>
            <a class="button" href=mail>"Odeslat odstoupení e-mailem"</a>
        </section>
    }
}
